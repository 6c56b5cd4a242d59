// BENCH_ONLY=devicemix (issue 19 item 4): a realistic device mix. DEVICES phones each post one
// OsmAnd position every 5 s (DEVICES / 5 requests per second, each to its own secret URL) while
// VIEWERS people watch the live streams of the links their devices drive; meanwhile visitors open
// those links' pages at a steady rate, whose p99 is the figure, against the same visits without
// the devices.
import { assertClean, runLoad, type LoadResult } from './lib/load.js';
import { load1, section, type Section } from './lib/section.js';
import { serverWithOrg } from './lib/servers.js';
import { call, fmt, pool, tempStore, type BenchRow } from './lib/util.js';
import { openViewers } from './lib/viewers.js';

const DEVICES = Number(process.env.BENCH_MIX_DEVICES ?? 10_000);
const VIEWERS = Number(process.env.BENCH_MIX_VIEWERS ?? 1_000);
const PAGE_RATE = Number(process.env.BENCH_MIX_PAGE_RATE ?? 100);
const SOCKETS = 256;
/** Every device posts once in this time. */
const CYCLE_SECONDS = 5;
/**
 * Under an open loop every request is sent whatever happens, so a server that falls behind still
 * reaches the rate in the end: it shows as a queue, in the latency. Keeping up means answering
 * the phones within a second.
 */
const KEEPS_UP_P99_MS = 1000;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

async function seed(url: string, key: string, log: (s: string) => void): Promise<{ tokens: string[]; slugs: string[] }> {
  log(`device mix: registering ${fmt(DEVICES)} devices`);
  const devices: { id: string; token: string }[] = new Array(DEVICES);
  await pool(
    Array.from({ length: DEVICES }, (_, i) => i),
    16,
    async (i) => {
      devices[i] = await call(url, key, 'POST', '/api/v1/devices', { name: `Phone ${i}`, external_id: `mix-${i}-${Date.now()}` });
    },
  );
  log(`device mix: ${fmt(VIEWERS)} shipments, each driven by one of the devices`);
  const slugs: string[] = new Array(VIEWERS);
  await call(url, key, 'PATCH', '/api/v1/org', { auto_create_links: true });
  await pool(
    Array.from({ length: VIEWERS }, (_, i) => i),
    8,
    async (i) => {
      const s = await call<{ id: string }>(url, key, 'POST', '/api/v1/shipments', {
        kind: 'order',
        reference: `MIX-${i}`,
        title: `Delivery ${i}`,
        status: 'in_transit',
        stops: [
          { type: 'pickup', name: 'Depot', lat: 51.9, lon: 4.4, departed_at: hoursAgo(2) },
          { type: 'delivery', name: 'Customer', lat: 52.09, lon: 5.11 },
        ],
        segments: [{ name: 'Main haul', from_stop: 0, to_stop: 1 }],
      });
      await call(url, key, 'POST', `/api/v1/shipments/${s.id}/sources`, { device_id: devices[i].id, layer: 'driver', from: hoursAgo(2) });
      const links = await call<{ items: { id: string }[] }>(url, key, 'GET', `/api/v1/links?shipment_id=${s.id}&state=active`);
      const link = await call<{ slug: string }>(url, key, 'PATCH', `/api/v1/links/${links.items[0].id}`, { options: { layers: ['driver'], driver_position: 'always', map: true } });
      slugs[i] = link.slug;
    },
  );
  return { tokens: devices.map((d) => d.token), slugs };
}

export async function deviceMixBench(seconds: number, log: (s: string) => void): Promise<Section> {
  const store = await tempStore('sqlite');
  const { server, key } = await serverWithOrg(store);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  let viewers: Awaited<ReturnType<typeof openViewers>> | null = null;
  try {
    const { tokens, slugs } = await seed(server.url, key, log);
    viewers = await openViewers(
      slugs.map((s) => `${server.url}/t/${s}/events`),
      VIEWERS,
    );
    if (viewers.connected !== VIEWERS) throw new Error(`device mix: ${viewers.connected} of ${VIEWERS} viewers connected (${JSON.stringify(viewers.errors)})`);
    const pages = { url: server.url, connections: 10, durationSeconds: seconds, paths: slugs.map((s) => `/t/${s}`), rate: PAGE_RATE, expectIncludes: '<html' };
    log('device mix: page visits alone');
    const alone = await runLoad(pages);
    assertClean('pages alone', alone);
    const loadAlone = load1();
    const phones = { url: server.url, connections: SOCKETS, openLoopSockets: SOCKETS, osmand: { tokens }, rate: DEVICES / 5, expectEmpty: true };
    // The first cycle is every phone's first contact since the server started (its token looked
    // up in the store, its shipment's first ETA, its viewers' links): a restart's burst, reported
    // apart. The figure is the steady state after it, as the phones keep posting.
    log(`device mix: first cycle, every device's first position since the server started`);
    const first = await runLoad({ ...phones, durationSeconds: CYCLE_SECONDS });
    assertClean('OsmAnd device mix, first cycle', first);
    log(`device mix: page visits while ${fmt(DEVICES)} devices post every 5 s`);
    await viewers.arm();
    const [mixed, devices] = (await Promise.all([runLoad(pages), runLoad({ ...phones, durationSeconds: seconds })])) as [LoadResult, LoadResult];
    const loadMixed = load1();
    assertClean('pages under the device mix', mixed);
    assertClean('OsmAnd device mix', devices);
    const rep = await viewers.report();
    rows.push({
      name: `GET /t/{slug} at ${PAGE_RATE} req/s over ${fmt(VIEWERS)} links while ${fmt(DEVICES)} devices post one OsmAnd position every 5 s and ${fmt(VIEWERS)} viewers watch (SQLite)`,
      value: `p99 ${mixed.latencyP99} ms (p50 ${mixed.latencyP50} ms, ${fmt(mixed.rps)} req/s); devices: ${fmt(devices.rps)} positions/s stored (p50 ${devices.latencyP50} ms, p99 ${devices.latencyP99} ms from their scheduled time; ${fmt(devices.late ?? 0)} sent over 100 ms late by the generator); viewers received ${fmt(rep.positions)} positions; load average ${loadMixed}`,
      baseline: `same visits without the devices: p99 ${alone.latencyP99} ms (p50 ${alone.latencyP50} ms; load average ${loadAlone})`,
      ratio: `${(mixed.latencyP99 / Math.max(1, alone.latencyP99)).toFixed(1)}× the p99`,
      target: `p99 reported; devices at ${fmt(DEVICES / 5)}/s, their p99 ≤ ${KEEPS_UP_P99_MS} ms`,
      met: devices.rps >= (DEVICES / 5) * 0.95 && devices.latencyP99 <= KEEPS_UP_P99_MS,
    });
    notes.push(
      `Device mix, first cycle (the ${CYCLE_SECONDS} s before the figure, right after the server started, no page visits): ${fmt(first.rps)} positions/s stored, p50 ${first.latencyP50} ms, p99 ${first.latencyP99} ms from their scheduled time. The figure's window follows it, so each shipment's ETA, recomputed at most every 30 s, was computed in the first cycle and not again in the window (about 1 ms each, 33 a second in a longer steady state).`,
    );
    if (rep.closed) notes.push(`${fmt(rep.closed)} viewer streams closed during the run.`);
  } finally {
    viewers?.stop();
    await server.kill('SIGTERM');
    await store.cleanup();
  }
  return section(
    'devicemix',
    'Device mix: phones posting while people watch',
    [
      `Written by \`BENCH_ONLY=devicemix npm run bench\` on ${new Date().toISOString()}; ${seconds} s per figure; the 1-minute load average is given with each figure (the machine is shared).`,
      `${fmt(DEVICES)} devices registered through the API, each posting \`POST /ingest/osmand/<token>?lat&lon&timestamp&speed&bearing\` in turn at ${fmt(DEVICES / 5)} requests/s (each device once every 5 s), sent on a schedule spread over every 10 ms whether or not earlier ones were answered (an open loop, bench/lib/open-loop.ts, over at most ${SOCKETS} keep-alive connections; autocannon's rate mode, used before, sent each connection's share in a burst every second and reached only 1,824-1,954/s against a server answering at once); ${fmt(VIEWERS)} of them drive the ${fmt(VIEWERS)} shipments whose live streams one viewer each holds open; page visits at a fixed ${PAGE_RATE} req/s over those links, first alone, then during the device load, measured after the devices' first ${CYCLE_SECONDS} s cycle since the server started (reported in the notes).`,
    ],
    rows,
    notes,
  );
}
