// BENCH_ONLY=ingest (issue 19 item 4): POST /api/v1/positions against a raw batched insert through
// the same driver, on SQLite and PostgreSQL, each baseline shaped like the API's load (same rows,
// same batch size, same durability settings; on PostgreSQL the same connection count and the same
// unnest statement), in alternating rounds as the public page phase (public.ts).
import os from 'node:os';
import type SQLite from 'better-sqlite3';
import pg from 'pg';
import { openSqlite } from '../src/db/index.js';
import { ingestLoad } from './lib/ingest.js';
import { section, type Section } from './lib/section.js';
import { serverWithOrg } from './lib/servers.js';
import { call, fmt, tempStore, type BenchRow } from './lib/util.js';

const BATCH = 500;
const CONNECTIONS = 8;
/** The API load's devices per batch (lib/ingest.ts); the baselines' rows name as many, interleaved the same way. */
const DEVICES = 4;
const COLS = ['org_id', 'device_id', 'recorded_at', 'received_at', 'lat', 'lon', 'accuracy_m', 'speed_mps', 'heading_deg', 'altitude_m', 'battery_pct'];
const PG_TYPES = ['text', 'text', 'int8', 'int8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8'];

type Row = (string | number | null)[];

/** Where the baseline's rows go, and the next batch number: rounds and connections never repeat a (device, time) key. */
interface RawTarget {
  orgId: string;
  deviceIds: string[];
  t0: number;
  nextBatch: number;
}

/** Batch `b` as the API load builds its bodies (load-worker.ts): the devices in turn, one second apart per device. */
function rowsFor(t: RawTarget, b: number): Row[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return [t.orgId, t.deviceIds[n % DEVICES], t.t0 + Math.floor(n / DEVICES) * 1000, Date.now(), 52 + (n % 1000) / 10000, 5 + (n % 997) / 10000, null, 20, 90, null, null];
  });
}

/**
 * SQLite: one prepared INSERT per row in one transaction per batch, as fast as the driver goes, for
 * `seconds`. One writer, as the server has (one connection; SQLite writes one transaction at a
 * time). The connection is opened by the server's own openSqlite, so journal mode, synchronous
 * level and foreign key checks are the server's: a baseline that skipped the foreign key checks
 * (as this one once did) or fsynced less would do less work per row than the server may.
 */
function sqliteRaw(file: string, t: RawTarget, seconds: number): number {
  const db: SQLite.Database = openSqlite(file);
  try {
    const stmt = db.prepare(`INSERT INTO positions (${COLS.join(', ')}) VALUES (${COLS.map(() => '?').join(', ')})`);
    const insertBatch = db.transaction((rs: Row[]) => {
      for (const row of rs) stmt.run(...row);
    });
    let rows = 0;
    const start = process.hrtime.bigint();
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until) {
      insertBatch(rowsFor(t, t.nextBatch++));
      rows += BATCH;
    }
    return rows / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    db.close();
  }
}

/** PostgreSQL: CONNECTIONS clients in parallel for `seconds`, each inserting batches as one unnest statement (the API's shape). */
async function postgresRaw(url: string, t: RawTarget, seconds: number): Promise<number> {
  const sql = `INSERT INTO positions (${COLS.join(', ')}) SELECT * FROM unnest(${PG_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`;
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  try {
    let rows = 0;
    const start = process.hrtime.bigint();
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < until) {
          const batch = rowsFor(t, t.nextBatch++);
          const r = await c.query(sql, COLS.map((_, col) => batch.map((row) => row[col])));
          rows += r.rowCount ?? 0;
        }
      }),
    );
    return rows / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

interface Round {
  api: { rate: number; p99: number };
  raw: number;
  ratio: number;
  /** The 1-minute load average when the round started. */
  load: number;
}

/**
 * Throughput on this machine drifts a lot from one window to the next (a raw SQLite baseline of
 * 85,419/s in one run, 281,971/s in the next), so a baseline measured once says little about the
 * server's figure: as in public.ts, the baseline and the API alternate `rounds` times, each window
 * `seconds / 2` long, and the row reports the round with the median ratio, listing every round.
 */
async function ingestion(kind: 'sqlite' | 'postgres', seconds: number, rounds: number, log: (s: string) => void): Promise<BenchRow> {
  const store = await tempStore(kind);
  const { server, key } = await serverWithOrg(store);
  try {
    const window = Math.max(3, Math.round(seconds / 2));
    const orgId = (await call<{ id: string }>(server.url, key, 'GET', '/api/v1/org')).id;
    const deviceIds: string[] = [];
    for (let i = 0; i < DEVICES; i++) deviceIds.push((await call<{ id: string }>(server.url, key, 'POST', '/api/v1/devices', { name: `Raw ${i}`, external_id: `raw-${kind}-${i}-${Date.now()}` })).id);
    const target: RawTarget = { orgId, deviceIds, t0: Date.now() - 400 * 24 * 3600_000, nextBatch: 0 };
    const done: Round[] = [];
    for (let i = 0; i < rounds; i++) {
      const load = os.loadavg()[0];
      const raw = kind === 'sqlite' ? sqliteRaw(store.file as string, target, window) : await postgresRaw(store.pgUrl as string, target, window);
      const api = await ingestLoad(server, key, { tag: `${kind}-${i}`, startAt: new Date(Date.now() - 200 * 24 * 3600_000).toISOString(), durationSeconds: window });
      done.push({ api, raw, ratio: api.rate / raw, load });
      log(`${kind} round ${i + 1}/${rounds} (load average ${load.toFixed(1)}): raw ${fmt(raw)}/s, API ${fmt(api.rate)}/s (p99 ${api.p99} ms): ${(api.rate / raw).toFixed(2)}×`);
    }
    const all = done.map((x) => `${x.ratio.toFixed(2)}× at load ${x.load.toFixed(1)}`).join(', ');
    const { api, raw, ratio, load } = [...done].sort((a, b) => a.ratio - b.ratio)[Math.floor(done.length / 2)];
    const floor = kind === 'sqlite' ? 0.5 : 0;
    return {
      name: `POST /api/v1/positions on ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, batches of ${BATCH}, ${CONNECTIONS} connections`,
      value: `${fmt(api.rate)} positions/s (p99 ${api.p99} ms per batch; load average ${load.toFixed(1)})`,
      baseline:
        kind === 'sqlite'
          ? `raw batched INSERT, same driver, one writer (the server's one connection), one prepared statement, a transaction per ${BATCH}, opened with the server's pragmas (db/index.ts openSqlite: journal_mode=WAL, synchronous=FULL, foreign_keys=ON): ${fmt(raw)} positions/s`
          : `raw INSERT … SELECT unnest(…), same driver, ${CONNECTIONS} connections, ${BATCH} rows per statement, server's default durability (synchronous_commit unchanged, as the API's pool): ${fmt(raw)} positions/s`,
      ratio: `${ratio.toFixed(2)}× (median of ${rounds} alternating rounds: ${all})`,
      target: kind === 'sqlite' ? '≥ 0.5× and ≥ 50,000/s' : 'ratio reported; ≥ 50,000/s',
      met: ratio >= floor && api.rate >= 50_000,
    };
  } finally {
    await server.kill('SIGTERM');
    await store.cleanup();
  }
}

export async function ingestBench(kinds: ('sqlite' | 'postgres')[], seconds: number, rounds: number, log: (s: string) => void): Promise<Section> {
  const rows: BenchRow[] = [];
  for (const kind of kinds) {
    log(`ingestion on ${kind}`);
    rows.push(await ingestion(kind, seconds, rounds, log));
    log(`${rows.at(-1)?.value} against ${rows.at(-1)?.baseline}: ${rows.at(-1)?.ratio}`);
  }
  const window = Math.max(3, Math.round(seconds / 2));
  return section(
    'ingest',
    'Ingest',
    [
      `Written by \`BENCH_ONLY=ingest npm run bench\` on ${new Date().toISOString()}; ${rounds} alternating rounds of ${window} s windows (baseline, then the API), the row reporting the round with the median ratio and listing every round with the 1-minute load average when it started (the machine is shared).`,
      `The API: ${CONNECTIONS} connections posting batches of ${BATCH} unique positions of ${DEVICES} devices, every reply checked. The baselines insert rows of the same shape (${BATCH} per batch, ${DEVICES} devices in turn, one second apart per device) through the same driver with the same durability settings: on SQLite one prepared single-row INSERT in a transaction per batch on one connection opened by the server's own openSqlite (the server has one connection too, and SQLite writes one transaction at a time, so one writer is its fastest shape); on PostgreSQL ${CONNECTIONS} connections at once, each sending ${BATCH}-row batches as the one \`INSERT … SELECT * FROM unnest($1, …)\` statement the API uses (without its duplicate check, device update and NOTIFY).`,
    ],
    rows,
    [],
  );
}
