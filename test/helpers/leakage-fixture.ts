// The leakage property's shipment (test/public/leakage.test.ts): every thing a link may hide,
// each holding a unique marker, with the condition under which the oracle says it is hidden.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestContext, TestOrg } from './context.js';
import { PDF, PNG, uniqueRef } from './fixtures.js';
import type { SectionKey } from '../../src/modules/links/template.js';

export const LAYERS = ['driver', 'cargo', 'tracker'] as const;
export type Layer = (typeof LAYERS)[number];
export const H = 3_600_000;

export const mark = (tag: string) => `LK${randomBytes(5).toString('hex')}${tag}`;
/** A coordinate whose 7 decimals are unique: searching the decimals finds it however it is printed. */
function markedCoord(intPart: number) {
  const digits = `${100000 + Math.floor(Math.random() * 899999)}7`;
  return { value: Number(`${intPart}.${digits}`), needle: `.${digits}` };
}

export interface Hidden {
  /** Which condition hides this marker; the oracle evaluates it per case. */
  when: (c: Effective) => boolean;
  needle: string;
  what: string;
  /** Hidden whatever the link shares (internal fields, positions outside every attachment). */
  never?: true;
}
export interface Effective {
  on: Record<SectionKey, boolean>;
  layers: Layer[];
  segments: number[];
  driver: 'always' | 'en_route_to_delivery' | 'never';
  photoIds: string[];
}
export interface Fixture {
  shipmentId: string;
  hidden: Hidden[];
  photos: string[];
  withPod: boolean;
}

export const always = () => true;


export async function makeFixture(ctx: TestContext, org: TestOrg, withPod: boolean): Promise<Fixture> {
  const now = Date.now();
  const hidden: Hidden[] = [];
  const m = (tag: string, when: Hidden['when']) => {
    const needle = mark(tag);
    hidden.push({ needle, when, what: tag, ...(when === always ? { never: true as const } : {}) });
    return needle;
  };
  const off = (k: SectionKey) => (c: Effective) => !c.on[k];
  // Times are markers too (their ISO form is unique to the millisecond): a stop's arrival and
  // departure show only with the stops, a stage change's time only with the progress, a scan's
  // time only with the scans, the shipment's creation only with the status (the timeline).
  const iso = (ms: number) => new Date(ms).toISOString();
  const timeMark = (ms: number, tag: string, when: Hidden['when']) => {
    const t = iso(Math.round(ms));
    hidden.push({ needle: t, when, what: tag });
    return t;
  };
  const contactEmail = `${mark('mail').toLowerCase()}@example.test`;
  hidden.push({ needle: contactEmail, when: always, what: 'CONTACT_EMAIL', never: true });
  // Status and stage have no text of their own: the status's code and the stage's key are the
  // markers (every output spells them so: JSON, events, the page's class names).
  hidden.push({ needle: 'in_transit', when: off('status'), what: 'STATUS' });
  hidden.push({ needle: 'current_stage', when: off('progress'), what: 'STAGE_INDEX' });
  const stopHidden = off('stops');
  const stopEstimateHidden = (c: Effective) => !c.on.stops || !c.on.estimated_times;
  const body = {
    kind: 'consignment',
    reference: `${m('REF', off('reference'))}-${uniqueRef()}`,
    title: 'Visible title',
    status: 'in_transit',
    eta: timeMark(now + 2 * H, 'ETA', off('eta')),
    stages: [m('STAGE', off('progress')), m('STAGE', off('progress'))],
    current_stage: 0,
    customer_reference: m('CUSTREF', off('customer_reference')),
    container_number: m('CONTAINER', off('container_number')),
    transport_service: m('SERVICE', off('transport_service')),
    custom_fields: [
      { key: m('CFKEY', always), value: m('CFVAL', always), shareable: false },
      { key: m('CFSKEY', off('custom_fields')), value: m('CFSVAL', off('custom_fields')), shareable: true },
    ],
    extra_fields: [
      { key: m('EFKEY', always), value: m('EFVAL', always), shareable: false },
      { key: m('EFSKEY', off('extra_fields')), value: m('EFSVAL', off('extra_fields')), shareable: true },
    ],
    internal: {
      vin: m('VIN', always),
      stock_number: m('STOCK', always),
      cost: 1234.5,
      price: 2345.5,
      payments: [{ note: m('PAYMENT', always) }],
      line_items: [{ description: m('LINEITEM', always) }],
      messages: [m('MESSAGE', always)],
    },
    stops: [
      { type: 'pickup', name: m('STOPNAME', off('stops')), address: m('ADDR', off('stops')), lat: 52.1, lon: 4.1, reference: m('STOPREF', (c) => !c.on.stops || !c.on.stop_references), departed_at: timeMark(now - 5 * H, 'STOPTIME', stopHidden), contact: { name: m('CONTACT', always), email: contactEmail } },
      { type: 'waypoint', name: m('STOPNAME', off('stops')), lat: 52.2, lon: 4.2, arrived_at: timeMark(now - 4 * H, 'STOPTIME', stopHidden), departed_at: timeMark(now - 3 * H, 'STOPTIME', stopHidden) },
      { type: 'delivery', name: m('STOPNAME', off('stops')), address: m('ADDR', off('stops')), lat: 52.3, lon: 4.3, reference: m('STOPREF', (c) => !c.on.stops || !c.on.stop_references), eta: timeMark(now + 3 * H, 'STOPETA', stopEstimateHidden), window_end: timeMark(now + 4 * H, 'STOPWINDOW', (c) => !c.on.eta && stopEstimateHidden(c)) },
    ],
    cargo: [{ description: m('CARGO', off('cargo')), quantity: 3, packaging: m('PACK', off('cargo')), weight_kg: 100 }],
    segments: [
      { name: 'Leg A', from_stop: 0, to_stop: 1 },
      { name: 'Leg B', from_stop: 1, to_stop: 2 },
    ],
  };
  const s = await org.api.post('/api/v1/shipments', body);
  assert.equal(s.status, 201, s.text);
  const id: string = s.body.id;
  await org.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'internal', body: m('INTERNALNOTE', always) });
  await org.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'customer', body: m('CUSTNOTE', off('customer_notes')) });
  const scan = await org.api.post(`/api/v1/shipments/${id}/pallet-scans`, {
    cargo_index: 0,
    stop_index: 0,
    event: m('SCANEV', off('pallet_scans')),
    code: m('SCANCODE', off('pallet_scans')),
    place: m('SCANPLACE', off('pallet_scans')),
    scanned_at: timeMark(now - 4.6 * H, 'SCANTIME', off('pallet_scans')),
  });
  assert.equal(scan.status, 201, scan.text);
  const stage = await org.api.post(`/api/v1/shipments/${id}/events`, { type: 'stage_changed', current_stage: 1, occurred_at: timeMark(now - 3.3 * H, 'STAGETIME', off('progress')) });
  assert.equal(stage.status, 200, stage.text);
  // The ETA given at creation was set then: with the ETA shown, its "calculated" time is the creation's.
  timeMark(Date.parse(s.body.created_at), 'CREATEDTIME', (c) => !c.on.status && !c.on.eta);
  const photos: string[] = [];
  for (let i = 0; i < 3; i++) {
    const p = await org.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png');
    assert.equal(p.status, 201, p.text);
    photos.push(p.body.id);
  }
  await org.api.put(`/api/v1/shipments/${id}/hero-photo`, { photo_id: photos[0] });
  // A photo is public only when picked, or when it is the hero and the hero is shown.
  photos.forEach((pid, i) => {
    hidden.push({ needle: pid, what: `PHOTO${i}`, when: (c) => !c.photoIds.includes(pid) && !(i === 0 && c.on.hero_photo) });
  });
  if (withPod) {
    const pod = await org.api.send('PUT', `/api/v1/shipments/${id}/proof-of-delivery`, PDF, 'application/pdf', { 'x-signed-by': m('PODSIGNER', off('proof_of_delivery')) });
    assert.equal(pod.status, 200, pod.text);
  }

  // Devices, one per layer, each attached twice: [-5.5 h, -4.25 h] (then detached) and from
  // -2 h on. Positions fall before, inside and between the two segments, and inside a segment's
  // time but outside every attachment window (the device was on another trip then): those are
  // never shown, whatever the link shares.
  const db = ctx.store.db;
  const seg1Start = now - 3 * H;
  const attachments: [number, number | null][] = [
    [now - 5.5 * H, now - 4.25 * H],
    [now - 2 * H, null],
  ];
  for (const layer of LAYERS) {
    const deviceId = randomUUID();
    await db.insertInto('devices').values({ id: deviceId, org_id: org.org_id, name: `${layer} device`, external_id: randomUUID(), token_hash: randomUUID(), created_at: now, last_seen_at: null }).execute();
    for (const [from, until] of attachments) {
      await db
        .insertInto('sources')
        .values({ id: randomUUID(), org_id: org.org_id, shipment_id: id, device_id: deviceId, layer, segment: null, created_at: now, attached_at: Math.round(from), detached_at: until === null ? null : Math.round(until) })
        .execute();
    }
    const at = [
      { t: now - 6 * H, seg: null },
      { t: now - 4.5 * H, seg: 0 },
      { t: now - 4.1 * H, seg: null }, // in segment 0's time, after the detachment
      { t: now - 3.5 * H, seg: null },
      { t: now - 2.5 * H, seg: null }, // in segment 1's time, before the second attachment
      { t: now - 1 * H, seg: 1 },
    ];
    for (const p of at) {
      const lat = markedCoord(40 + LAYERS.indexOf(layer));
      const lon = markedCoord(10);
      const visible = (c: Effective) => {
        if (p.seg === null || !c.on.map || !c.layers.includes(layer) || !c.segments.includes(p.seg)) return false;
        if (layer === 'driver') {
          if (c.driver === 'never') return false;
          // En route to delivery: the leg from the waypoint's departure to the delivery stop.
          if (c.driver === 'en_route_to_delivery' && p.t < seg1Start) return false;
        }
        return true;
      };
      const never = p.seg === null ? { never: true as const } : {};
      hidden.push({ needle: lat.needle, what: `POS_${layer}_${p.t - now}_lat`, when: (c) => !visible(c), ...never });
      hidden.push({ needle: lon.needle, what: `POS_${layer}_${p.t - now}_lon`, when: (c) => !visible(c), ...never });
      await db.insertInto('positions').values({ org_id: org.org_id, device_id: deviceId, recorded_at: Math.round(p.t), received_at: Math.round(p.t), lat: lat.value, lon: lon.value, accuracy_m: 5, speed_mps: 10, heading_deg: 90, altitude_m: null, battery_pct: 55 }).execute();
    }
  }
  return { shipmentId: id, hidden, photos, withPod };
}
