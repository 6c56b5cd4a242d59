// BENCH_ONLY=ingest (issue 19 item 4): POST /api/v1/positions against a raw batched insert through
// the same driver, on SQLite and PostgreSQL, each baseline shaped like the API's load (same batch
// size; on PostgreSQL the same connection count and the same unnest statement).
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { ingestLoad } from './lib/ingest.js';
import { load1, section, type Section } from './lib/section.js';
import { serverWithOrg } from './lib/servers.js';
import { call, fmt, tempStore, type BenchRow } from './lib/util.js';

const BATCH = 500;
const CONNECTIONS = 8;
const COLS = ['org_id', 'device_id', 'recorded_at', 'received_at', 'lat', 'lon', 'accuracy_m', 'speed_mps', 'heading_deg', 'altitude_m', 'battery_pct'];
const PG_TYPES = ['text', 'text', 'int8', 'int8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8'];

type Row = (string | number | null)[];

function rowsFor(orgId: string, deviceId: string, t0: number, b: number): Row[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return [orgId, deviceId, t0 + n * 1000, Date.now(), 52 + (n % 1000) / 10000, 5 + (n % 997) / 10000, null, 20, 90, null, null];
  });
}

/** SQLite: one prepared INSERT per row in one transaction per batch, as fast as the driver goes (writes are serial anyway). */
function sqliteRaw(file: string, orgId: string, deviceId: string): number {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const stmt = db.prepare(`INSERT INTO positions (${COLS.join(', ')}) VALUES (${COLS.map(() => '?').join(', ')})`);
  const insertBatch = db.transaction((rs: Row[]) => {
    for (const row of rs) stmt.run(...row);
  });
  const t0 = Date.now() - 400 * 24 * 3600_000;
  const batches = 200;
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) insertBatch(rowsFor(orgId, deviceId, t0, b));
  const rate = (batches * BATCH) / (Number(process.hrtime.bigint() - start) / 1e9);
  db.close();
  return rate;
}

/** PostgreSQL: CONNECTIONS clients in parallel for `seconds`, each inserting batches as one unnest statement (the API's shape). */
async function postgresRaw(url: string, orgId: string, deviceIds: string[], seconds: number): Promise<number> {
  const sql = `INSERT INTO positions (${COLS.join(', ')}) SELECT * FROM unnest(${PG_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  const clients = await Promise.all(deviceIds.map(async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  let rows = 0;
  const t0 = Date.now() - 400 * 24 * 3600_000;
  const start = process.hrtime.bigint();
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c, k) => {
      for (let b = 0; Date.now() < until; b++) {
        const batch = rowsFor(orgId, deviceIds[k], t0, b);
        const r = await c.query(sql, COLS.map((_, col) => batch.map((row) => row[col])));
        rows += r.rowCount ?? 0;
      }
    }),
  );
  const rate = rows / (Number(process.hrtime.bigint() - start) / 1e9);
  await Promise.all(clients.map((c) => c.end()));
  return rate;
}

async function ingestion(kind: 'sqlite' | 'postgres', seconds: number): Promise<BenchRow> {
  const store = await tempStore(kind);
  const { server, key } = await serverWithOrg(store);
  try {
    const { rate: apiRate, p99 } = await ingestLoad(server, key, { tag: kind, startAt: new Date(Date.now() - 200 * 24 * 3600_000).toISOString(), durationSeconds: seconds });
    const loadApi = load1();
    const orgId = (await call<{ id: string }>(server.url, key, 'GET', '/api/v1/org')).id;
    const devices: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) devices.push((await call<{ id: string }>(server.url, key, 'POST', '/api/v1/devices', { name: `Raw ${i}`, external_id: `raw-${kind}-${i}-${Date.now()}` })).id);
    const rawRate = kind === 'sqlite' ? sqliteRaw(store.file as string, orgId, devices[0]) : await postgresRaw(store.pgUrl as string, orgId, devices, seconds);
    const ratio = apiRate / rawRate;
    const target = kind === 'sqlite' ? 0.5 : 0;
    return {
      name: `POST /api/v1/positions on ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, batches of ${BATCH}, ${CONNECTIONS} connections`,
      value: `${fmt(apiRate)} positions/s (p99 ${p99} ms per batch; load average ${loadApi})`,
      baseline:
        kind === 'sqlite'
          ? `raw batched INSERT, same driver (one prepared statement, a transaction per ${BATCH}): ${fmt(rawRate)} positions/s (load average ${load1()})`
          : `raw INSERT … SELECT unnest(…), same driver, ${CONNECTIONS} connections, ${BATCH} rows per statement: ${fmt(rawRate)} positions/s (load average ${load1()})`,
      ratio: `${ratio.toFixed(2)}×`,
      target: kind === 'sqlite' ? '≥ 0.5× and ≥ 50,000/s' : 'ratio reported; ≥ 50,000/s',
      met: ratio >= target && apiRate >= 50_000,
    };
  } finally {
    await server.kill('SIGTERM');
    await store.cleanup();
  }
}

export async function ingestBench(kinds: ('sqlite' | 'postgres')[], seconds: number, log: (s: string) => void): Promise<Section> {
  const rows: BenchRow[] = [];
  for (const kind of kinds) {
    log(`ingestion on ${kind}`);
    rows.push(await ingestion(kind, seconds));
    log(`${rows.at(-1)?.value} against ${rows.at(-1)?.baseline}: ${rows.at(-1)?.ratio}`);
  }
  return section(
    'ingest',
    'Ingest',
    [
      `Written by \`BENCH_ONLY=ingest npm run bench\` on ${new Date().toISOString()}; ${seconds} s of load per figure; the 1-minute load average is given with each figure (the machine is shared).`,
      `The API: ${CONNECTIONS} connections posting batches of ${BATCH} unique positions of four devices, every reply checked. The baselines insert the same rows through the same driver: on SQLite one prepared single-row INSERT in a transaction per batch (SQLite writes one transaction at a time, so one writer is its fastest shape); on PostgreSQL ${CONNECTIONS} connections at once, each sending ${BATCH}-row batches as the one \`INSERT … SELECT * FROM unnest($1, …)\` statement the API uses (without its duplicate check, device update and NOTIFY).`,
    ],
    rows,
    [],
  );
}
