// CPU per ingest batch, in process: the app built as the server builds it (log level error), on a
// fresh SQLite store, posting batches of 500 positions through app.inject, 8 at a time (as the
// bench's 8 connections); against a raw prepared INSERT per row in a transaction per batch on the
// same file (bench/ingest.ts's baseline). Repeatable where the HTTP bench is noisy: CPU time, not
// wall time, is what the server's share of a busy machine buys.
//   npx tsx bench/ingest-cpu.ts [batches per round=100] [rounds=10]
// INGEST_PROFILE=file.cpuprofile writes a CPU profile of the API's batches alone (after the rounds).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore, openSqlite } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loggerOptions } from '../src/http/logging.js';
import { createOrgWithOwner } from '../src/modules/orgs/bootstrap.js';
import { createServices } from '../src/services.js';

const BATCH = 500;
const CONNECTIONS = 8;
const batches = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 10);

const dir = mkdtempSync(path.join(os.tmpdir(), 'ingest-cpu-'));
const file = path.join(dir, 'tracklink.db');
const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir, LOG_LEVEL: 'error', PUBLIC_BASE_URL: 'http://bench.test', TILE_URL: 'off', PASSWORD_SCRYPT_N: '1024' });
const store = createStore(config.database);
await migrateToLatest(store);
const services = createServices(config, store);
const app = await buildApp(services, { logger: loggerOptions('error', pino.destination('/dev/null')) });
await app.ready();
await services.background.start(app.log, ['live-hub']);
const org = await createOrgWithOwner(services, { name: 'Bench', country: 'NL', ownerEmail: 'bench@example.test' });
const auth = { authorization: `Bearer ${org.api_key}`, 'content-type': 'application/json' };
const devices: string[] = [];
for (let i = 0; i < 4; i++) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/devices', headers: auth, payload: JSON.stringify({ name: `Truck ${i}` }) });
  devices.push(JSON.parse(r.body).id);
}

let counter = 0;
const base = Date.now() - 300 * 24 * 3600_000;
/** As bench/lib/load-worker.ts builds a body: the devices in turn, one second apart per device. */
function body(): string {
  const positions = [];
  for (let i = 0; i < BATCH; i++) {
    const n = counter++;
    positions.push({ device_id: devices[n % devices.length], recorded_at: new Date(base + Math.floor(n / devices.length) * 1000).toISOString(), lat: 52 + (n % 1000) / 10000, lon: 5 + (n % 997) / 10000, speed_mps: 20, heading_deg: 90 });
  }
  return JSON.stringify({ positions });
}

async function api(n: number): Promise<{ cpu: number; wall: number }> {
  const bodies = Array.from({ length: n }, body);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < bodies.length) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/positions', headers: auth, payload: bodies[next++] });
        if (!r.body.includes(`"accepted":${BATCH}`)) throw new Error(r.body);
      }
    }),
  );
  const c = process.cpuUsage(cpu0);
  return { cpu: (c.user + c.system) / 1000 / n, wall: Number(process.hrtime.bigint() - t0) / 1e6 / n };
}

let rawT = base - 100 * 24 * 3600_000;
function raw(n: number): { cpu: number; wall: number } {
  const db = openSqlite(file);
  const orgId = org.org_id;
  const cols = ['org_id', 'device_id', 'recorded_at', 'received_at', 'lat', 'lon', 'accuracy_m', 'speed_mps', 'heading_deg', 'altitude_m', 'battery_pct'];
  const stmt = db.prepare(`INSERT INTO positions (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  const insert = db.transaction((rows: unknown[][]) => {
    for (const r of rows) stmt.run(...r);
  });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < n; b++) {
    const rows = Array.from({ length: BATCH }, (_, i) => [orgId, devices[i % 4], (rawT += 250), Date.now(), 52 + (i % 1000) / 10000, 5 + (i % 997) / 10000, null, 20, 90, null, null]);
    insert(rows);
  }
  const c = process.cpuUsage(cpu0);
  db.close();
  return { cpu: (c.user + c.system) / 1000 / n, wall: Number(process.hrtime.bigint() - t0) / 1e6 / n };
}

await api(40); // warm-up
const apiCpu: number[] = [];
const rawCpu: number[] = [];
for (let r = 0; r < rounds; r++) {
  const b = raw(batches);
  const a = await api(batches);
  apiCpu.push(a.cpu);
  rawCpu.push(b.cpu);
  if (process.env.INGEST_VERBOSE) console.log(`round ${r + 1}: API ${a.cpu.toFixed(2)} ms CPU / ${a.wall.toFixed(2)} ms wall per batch; raw ${b.cpu.toFixed(2)} ms CPU / ${b.wall.toFixed(2)} ms wall`);
}
// The machine is shared: the least CPU a round took is the steadiest figure, the median the usual one.
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const min = (xs: number[]) => Math.min(...xs);
console.log(
  `${rounds} rounds of ${batches} batches: API ${median(apiCpu).toFixed(2)} ms CPU per batch (median; least ${min(apiCpu).toFixed(2)}), raw ${median(rawCpu).toFixed(2)} (least ${min(rawCpu).toFixed(2)}); raw/API ${(median(rawCpu) / median(apiCpu)).toFixed(2)}× (least: ${(min(rawCpu) / min(apiCpu)).toFixed(2)}×)`,
);
const profileTo = process.env.INGEST_PROFILE;
if (profileTo) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  await api(batches);
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileTo, JSON.stringify(profile));
  session.disconnect();
}
await services.background.stop();
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
