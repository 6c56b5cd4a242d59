// Builds the benchmark world through the real API: an org, shipments with links, a device
// attached as the driver layer, positions.
import { call, pool } from './lib/util.js';

export interface World {
  key: string;
  slugs: string[];
  /** A shipment whose link shows the driver layer, with its device. */
  live: { shipmentId: string; slug: string; deviceId: string };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

export async function buildWorld(base: string, key: string, shipments: number): Promise<World> {
  await call(base, key, 'PATCH', '/api/v1/org', { auto_create_links: true });
  await pool(
    Array.from({ length: shipments }, (_, i) => i),
    8,
    async (i) => {
      await call(base, key, 'POST', '/api/v1/shipments', {
        kind: 'consignment',
        reference: `BENCH-${i}`,
        title: `Consignment ${i}`,
        status: 'in_transit',
        eta: hoursAgo(-5),
        stops: [
          { type: 'pickup', name: 'Depot Rotterdam', lat: 51.9, lon: 4.4, reference: `PU-${i}`, departed_at: hoursAgo(31 * 24) },
          { type: 'delivery', name: 'Customer Utrecht', lat: 52.09, lon: 5.11, reference: `DL-${i}`, window_start: hoursAgo(-4), window_end: hoursAgo(-6) },
        ],
        cargo: [{ description: 'Pallets', quantity: 12, packaging: 'EUR pallet', weight_kg: 8000 }],
        segments: [{ name: 'Main haul', from_stop: 0, to_stop: 1 }],
      });
    },
  );
  const slugs: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { slug: string; state: string; shipment_id: string }[]; next_cursor: string | null } = await call(
      base,
      key,
      'GET',
      `/api/v1/links?state=active&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    slugs.push(...page.items.map((l) => l.slug));
    cursor = page.next_cursor;
  } while (cursor);
  if (slugs.length < shipments) throw new Error(`expected ${shipments} auto-created links, found ${slugs.length}`);

  const live = await call<{ id: string }>(base, key, 'POST', '/api/v1/shipments', {
    kind: 'order',
    reference: 'BENCH-LIVE',
    title: 'Live truck',
    status: 'in_transit',
    stops: [
      { type: 'pickup', name: 'Depot', lat: 51.9, lon: 4.4, departed_at: hoursAgo(31 * 24) },
      { type: 'delivery', name: 'Customer', lat: 52.09, lon: 5.11 },
    ],
    segments: [{ name: 'Main haul', from_stop: 0, to_stop: 1 }],
  });
  const device = await call<{ id: string; token: string }>(base, key, 'POST', '/api/v1/devices', { name: 'Bench truck', external_id: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  // Attached since the departure a month ago: the positions loaded into the past are the link's to show.
  await call(base, key, 'POST', `/api/v1/shipments/${live.id}/sources`, { device_id: device.id, layer: 'driver', from: hoursAgo(31 * 24) });
  const links = await call<{ items: { id: string; slug: string }[] }>(base, key, 'GET', `/api/v1/links?shipment_id=${live.id}&state=active`);
  const linkId = links.items[0]?.id;
  if (!linkId) throw new Error('the live shipment has no link');
  const link = await call<{ slug: string }>(base, key, 'PATCH', `/api/v1/links/${linkId}`, { options: { layers: ['driver'], driver_position: 'always', history: true, map: true } });
  return { key, slugs, live: { shipmentId: live.id, slug: link.slug, deviceId: device.id } };
}

/** Posts `count` positions for one device, one every `stepMs`, ending now. */
export async function loadHistory(base: string, key: string, deviceId: string, count: number, stepMs: number): Promise<void> {
  const start = Date.now() - count * stepMs;
  const batches = Array.from({ length: Math.ceil(count / 1000) }, (_, b) => b);
  await pool(batches, 4, async (b) => {
    const positions = [];
    for (let i = b * 1000; i < Math.min(count, (b + 1) * 1000); i++) {
      const t = i / count;
      positions.push({ device_id: deviceId, recorded_at: new Date(start + i * stepMs).toISOString(), lat: 51.9 + 0.19 * t + 0.01 * Math.sin(i / 50), lon: 4.4 + 0.71 * t, speed_mps: 20 });
    }
    const r = await call<{ accepted: number }>(base, key, 'POST', '/api/v1/positions', { positions });
    if (r.accepted !== positions.length) throw new Error(`history load: ${r.accepted} of ${positions.length} accepted`);
  });
}
