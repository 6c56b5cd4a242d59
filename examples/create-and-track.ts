// An integration from start to finish, as a TMS would do it: create a shipment with its stops,
// register the truck's tracker and attach it as the driver layer, send positions as the tracker,
// create a tracking link and read what the public sees at /t/<slug>/data.
//
//   TRACKLINK_URL=http://localhost:3000 TRACKLINK_API_KEY=tlk_… npx tsx examples/create-and-track.ts
//
// `npm start` prints an API key for the demo organization; `npx tracklink apikey create --org <id>`
// makes one for yours (the key needs the dispatcher role or higher). Plain fetch and a few local
// types, so the script can be copied into any TypeScript project (Node 20+ has fetch built in).

const baseUrl = (process.env.TRACKLINK_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const apiKey = process.env.TRACKLINK_API_KEY;

/** The parts of the replies this script reads; API.md and /api/docs have the full shapes. */
interface Shipment {
  id: string;
  reference: string;
  status: string;
}
interface Device {
  id: string;
  name: string;
  external_id: string;
  /** The device's own credential, shown once: the tracker (or a driver app) sends positions with it. */
  token: string;
}
interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}
interface TrackingLink {
  id: string;
  slug: string;
  url: string;
}
interface PublicData {
  status: string;
  positions: { layer: string; recorded_at: string; lat: number; lon: number }[];
}
interface ApiError {
  error: { code: string; message: string };
}

/** One API call; any status but 2xx stops the script with the API's error code and message. */
async function call<T>(method: string, path: string, body?: unknown, token = apiKey): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply: unknown = res.status === 204 ? null : await res.json();
  if (!res.ok) {
    const e = (reply as ApiError | null)?.error;
    throw new Error(`${method} ${path}: ${res.status} ${e ? `${e.code}: ${e.message}` : ''}`);
  }
  return reply as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  if (!apiKey) throw new Error('Set TRACKLINK_API_KEY to an API key of your organization');

  // 1. The shipment: picked up in Rotterdam an hour ago, on its way to Utrecht.
  const shipment = await call<Shipment>('POST', '/api/v1/shipments', {
    kind: 'order',
    reference: `EXAMPLE-${Date.now().toString(36).toUpperCase()}`,
    title: '12 pallets of tiles',
    status: 'in_transit',
    stops: [
      { type: 'pickup', name: 'Depot Rotterdam', address: 'Waalhaven 1, Rotterdam', lat: 51.8897, lon: 4.4311, departed_at: new Date(Date.now() - 3600_000).toISOString() },
      { type: 'delivery', name: 'Bouwmarkt Utrecht', address: 'Atoomweg 50, Utrecht', lat: 52.0907, lon: 5.1214, window_start: new Date(Date.now() + 3600_000).toISOString(), window_end: new Date(Date.now() + 3 * 3600_000).toISOString() },
    ],
  });
  console.log(`Shipment created: ${shipment.reference} (${shipment.id})`);

  // 2. The truck's tracker, attached to the shipment as its driver layer from now on.
  const device = await call<Device>('POST', '/api/v1/devices', { name: 'Truck 7' });
  await call('POST', `/api/v1/shipments/${shipment.id}/sources`, { device_id: device.id, layer: 'driver' });
  console.log(`Device attached as driver: ${device.name} (${device.id})`);

  // 3. Positions as the tracker reports them, each with its own device token (one per request,
  //    as a phone app would; a server feeding many trucks batches them with its API key instead).
  const route = [
    [51.9617, 4.6021],
    [51.9852, 4.7744],
    [52.0246, 4.9473],
  ];
  let accepted = 0;
  let duplicates = 0;
  for (const [lat, lon] of route) {
    const r = await call<IngestResult>('POST', '/api/v1/positions', { positions: [{ recorded_at: new Date().toISOString(), lat, lon, speed_mps: 22.5, heading_deg: 70 }] }, device.token);
    for (const x of r.rejected) console.log(`Position refused: ${x.error}`);
    accepted += r.accepted;
    duplicates += r.duplicates;
    await sleep(50);
  }
  console.log(`Positions sent: ${accepted} accepted, ${duplicates} duplicates`);

  // 4. A tracking link for the customer: the URL to put in an email or the TMS's own portal.
  const link = await call<TrackingLink>('POST', `/api/v1/shipments/${shipment.id}/links`, { recipient: { name: 'Bouwmarkt Utrecht', email: 'goods-in@bouwmarkt.example' } });
  console.log(`Tracking link: ${link.url}`);

  // 5. What the customer sees, as JSON: no credentials, only what the link shares.
  const data = await call<PublicData>('GET', `/t/${link.slug}/data`, undefined, '');
  const driver = data.positions.find((p) => p.layer === 'driver');
  const where = driver ? `driver at ${driver.lat.toFixed(5)}, ${driver.lon.toFixed(5)} (${driver.recorded_at})` : 'no position shown';
  console.log(`Public view: status ${data.status}, ${where}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
