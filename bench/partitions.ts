// BENCH_ONLY=partitions: what day partitions of positions (PostgreSQL) cost and save. Retention
// purging BENCH_PARTITION_DAYS days of BENCH_PARTITION_ROWS positions each, by dropping day
// partitions against today's row-by-row DELETE on an unpartitioned copy of the same rows; and the
// ingest load on a partitioned and an unpartitioned store in alternating rounds.
import { sql, type Kysely } from 'kysely';
import { createStore, type Store } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { PositionPartitions } from '../src/modules/positions/partitions.js';
import { PartitionsRepository } from '../src/modules/positions/partitions.repository.js';
import { RetentionRepository } from '../src/modules/positions/retention.repository.js';
import { RetentionJob } from '../src/modules/positions/retention.js';
import { DAY_MS, startOfUtcDay } from '../src/shared/time.js';
import { ingestLoad } from './lib/ingest.js';
import { serverWithOrg } from './lib/servers.js';
import { fmt, median, tempStore, type BenchRow, type TempStore } from './lib/util.js';

const DAYS = Number(process.env.BENCH_PARTITION_DAYS ?? 30);
const ROWS_PER_DAY = Number(process.env.BENCH_PARTITION_ROWS ?? 200_000);
const DEVICES = 1000;
const RETENTION_DAYS = 30;

type Layout = 'partitioned' | 'unpartitioned';

/**
 * Positions as they were before the partitioning migration (one table: 0001_init + 0003), on a
 * database already migrated to the latest schema: the baseline layout. Indexes and the foreign
 * key come after the rows (`indexes`), as a bulk load would do it.
 */
async function plainPositions(db: Kysely<unknown>, indexes: 'now' | 'later'): Promise<() => Promise<void>> {
  await sql`drop table positions cascade`.execute(db);
  await sql`create table positions (
    id bigserial, org_id text not null, device_id text not null, recorded_at bigint not null, received_at bigint not null,
    lat double precision not null, lon double precision not null, accuracy_m double precision, speed_mps double precision,
    heading_deg double precision, altitude_m double precision, battery_pct double precision)`.execute(db);
  const add = async () => {
    await sql`alter table positions add constraint positions_pkey primary key (id)`.execute(db);
    await sql`create unique index positions_device_time on positions (device_id, recorded_at)`.execute(db);
    await sql`create index positions_org_time on positions (org_id, recorded_at)`.execute(db);
    await sql`alter table positions add constraint positions_device_id_fkey foreign key (device_id) references devices (id) on delete cascade`.execute(db);
  };
  if (indexes === 'now') await add();
  return add;
}

/** ROWS_PER_DAY positions of DEVICES devices spread over the day starting at `day`, into `table`. */
function fillDay(db: Kysely<unknown>, table: string, day: number) {
  const spacing = Math.floor(DAY_MS / Math.ceil(ROWS_PER_DAY / DEVICES));
  return sql`insert into ${sql.table(table)} (org_id, device_id, recorded_at, received_at, lat, lon, accuracy_m, speed_mps, heading_deg, battery_pct)
    select 'bench-org', 'bench-device-' || (i % ${DEVICES}), ${day}::int8 + (i / ${DEVICES}) * ${spacing}::int8 + (i % ${DEVICES}), ${day}::int8,
      52 + (i % 997) / 10000.0, 5 + (i % 991) / 10000.0, 8, 20, 90, 80
    from generate_series(0, ${ROWS_PER_DAY - 1}) i`.execute(db);
}

/** A store holding DAYS days of positions that all expired RETENTION_DAYS ago, in `layout`. */
async function loadedStore(layout: Layout, now: number, log: (s: string) => void): Promise<{ temp: TempStore; store: Store }> {
  const temp = await tempStore('postgres');
  // The serving process's statement timeout: each purge step has to fit it, as in production.
  const store = createStore({ kind: 'postgres', url: temp.pgUrl as string }, { poolSize: 2, timeouts: { connectMs: 10_000, statementMs: 5000 } });
  const loader = createStore({ kind: 'postgres', url: temp.pgUrl as string }, { poolSize: 1 });
  try {
    await migrateToLatest(loader);
    const db = loader.db as unknown as Kysely<unknown>;
    await sql`insert into orgs (id, name, country, link_template, position_retention_days, created_at, updated_at)
      values ('bench-org', 'Bench Haulage', 'NL', '{}', ${RETENTION_DAYS}, ${now}, ${now})`.execute(db);
    await sql`insert into devices (id, org_id, name, external_id, token_hash, created_at)
      select 'bench-device-' || i, 'bench-org', 'Truck ' || i, 'bench-' || i, 'h' || i, ${now} from generate_series(0, ${DEVICES - 1}) i`.execute(db);
    const first = startOfUtcDay(now) - (RETENTION_DAYS + DAYS + 1) * DAY_MS;
    const started = Date.now();
    if (layout === 'partitioned') {
      // Each day filled as a table of its own, then attached: its indexes are built in bulk.
      for (let d = 0; d < DAYS; d++) {
        const day = first + d * DAY_MS;
        const name = `positions_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
        await sql`create table ${sql.table(name)} (like positions including defaults)`.execute(db);
        await fillDay(db, name, day);
        await sql`alter table positions attach partition ${sql.table(name)} for values from (${sql.lit(day)}) to (${sql.lit(day + DAY_MS)})`.execute(db);
      }
    } else {
      const addIndexes = await plainPositions(db, 'later');
      for (let d = 0; d < DAYS; d++) await fillDay(db, 'positions', first + d * DAY_MS);
      await addIndexes();
    }
    await sql`vacuum analyze positions`.execute(db);
    log(`${layout}: ${fmt(DAYS * ROWS_PER_DAY)} positions loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { temp, store };
  } catch (err) {
    await store.close();
    await temp.cleanup();
    throw err;
  } finally {
    await loader.close();
  }
}

/** The retention repository, timing each bounded DELETE step (the slowest one is reported). */
class TimedRetention extends RetentionRepository {
  steps = 0;
  slowestMs = 0;
  override async purge(orgId: string, cutoff: number, range: { from: number | null; to: number }): Promise<number> {
    const t = process.hrtime.bigint();
    try {
      return await super.purge(orgId, cutoff, range);
    } finally {
      this.steps++;
      this.slowestMs = Math.max(this.slowestMs, Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
}

interface PurgeResult {
  seconds: number;
  dropped: number;
  deleted: number;
  steps: number;
  slowestMs: number;
  /** Set when a step failed (e.g. the statement timeout): rows still there, and the error. */
  failed?: { left: number; error: string };
}

async function purge(layout: Layout, log: (s: string) => void): Promise<PurgeResult> {
  const now = Date.now();
  const { temp, store } = await loadedStore(layout, now, log);
  try {
    const partitions = layout === 'partitioned' ? new PositionPartitions(new PartitionsRepository(store.db)) : null;
    const repo = new TimedRetention(store.db);
    const job = new RetentionJob(repo, undefined, undefined, partitions);
    const started = process.hrtime.bigint();
    let run = { deleted: 0, dropped: [] as string[] };
    let error: string | null = null;
    try {
      run = await job.runOnce(now);
    } catch (err) {
      // A step that outlasts the serving statement timeout is a result, not a bench failure: the
      // retention job would stop there too, and try again an hour later.
      error = (err as Error).message;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const left = (await sql<{ n: number }>`select count(*)::int as n from positions`.execute(store.db)).rows[0].n;
    const deleted = DAYS * ROWS_PER_DAY - left;
    if (error === null && left !== 0) throw new Error(`${layout} purge left ${left} positions`);
    log(`${layout}: ${error ? `failed after ${seconds.toFixed(1)} s (${error}; ${fmt(left)} rows left)` : `purged in ${seconds.toFixed(2)} s`} (${run.dropped.length} partitions dropped, ${repo.steps} DELETE steps, slowest ${repo.slowestMs.toFixed(0)} ms)`);
    return { seconds, dropped: run.dropped.length, deleted: error ? deleted : run.deleted, steps: repo.steps, slowestMs: repo.slowestMs, ...(error ? { failed: { left, error } } : {}) };
  } finally {
    await store.close();
    await temp.cleanup();
  }
}

/** A server on a fresh PostgreSQL store in `layout`, with an org. */
async function ingestServer(layout: Layout) {
  const temp = await tempStore('postgres');
  const store = createStore({ kind: 'postgres', url: temp.pgUrl as string }, { poolSize: 1 });
  try {
    await migrateToLatest(store);
    if (layout === 'unpartitioned') await plainPositions(store.db as unknown as Kysely<unknown>, 'now');
  } finally {
    await store.close();
  }
  const { server, key } = await serverWithOrg(temp);
  // The server creates yesterday's to three days ahead's partitions as it starts.
  if (layout === 'partitioned') {
    const check = createStore({ kind: 'postgres', url: temp.pgUrl as string }, { poolSize: 1 });
    try {
      const repo = new PartitionsRepository(check.db);
      const today = startOfUtcDay(Date.now());
      for (let i = 0; ; i++) {
        const days = await repo.list();
        if ([today - DAY_MS, today, today + DAY_MS].every((d) => days.some((p) => p.from === d))) break;
        if (i > 100) throw new Error('the server did not create the day partitions');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await check.close();
    }
  }
  return { server, key, temp };
}

export async function partitionsBench(durationSeconds: number, rounds: number, log: (s: string) => void): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const total = DAYS * ROWS_PER_DAY;

  log(`partitions: retention over ${DAYS} days × ${fmt(ROWS_PER_DAY)} positions`);
  const dropped = await purge('partitioned', log);
  const deleted = await purge('unpartitioned', log);
  rows.push({
    name: `Retention purge of ${DAYS} expired days × ${fmt(ROWS_PER_DAY)} positions (${fmt(total)}, PostgreSQL)`,
    value: `${dropped.seconds.toFixed(2)} s: ${dropped.dropped} day partitions dropped, ${fmt(dropped.deleted)} rows deleted one by one${dropped.failed ? ` — FAILED: ${dropped.failed.error}` : ''}`,
    baseline: deleted.failed
      ? `same rows in one table, today's row-by-row DELETE (steps of 5,000): stopped after ${deleted.seconds.toFixed(1)} s by "${deleted.failed.error}" (5 s, the serving timeout) with ${fmt(deleted.deleted)} rows deleted in ${deleted.steps} steps, ${fmt(deleted.failed.left)} left`
      : `same rows in one table, today's row-by-row DELETE (steps of 5,000): ${deleted.seconds.toFixed(1)} s, ${deleted.steps} steps, slowest ${deleted.slowestMs.toFixed(0)} ms`,
    ratio: deleted.failed ? `> ${(deleted.seconds / dropped.seconds).toFixed(0)}× faster (the DELETE did not finish)` : `${(deleted.seconds / dropped.seconds).toFixed(0)}× faster`,
    target: 'faster than the DELETE',
    met: !dropped.failed && (Boolean(deleted.failed) || dropped.seconds < deleted.seconds),
  });

  // Ingest: timestamps from yesterday on, so rows go into day partitions (the ingest phase's
  // 200-day-old timestamps would all land in the DEFAULT partition). Alternating rounds, fresh
  // devices each round, the median ratio reported.
  log('partitions: ingest, partitioned vs unpartitioned');
  const part = await ingestServer('partitioned');
  const plain = await ingestServer('unpartitioned');
  try {
    const startAt = new Date(startOfUtcDay(Date.now()) - DAY_MS).toISOString();
    const results: { p: { rate: number; p99: number }; u: { rate: number; p99: number }; ratio: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      const p = await ingestLoad(part.server, part.key, { tag: `part-${i}`, startAt, durationSeconds });
      const u = await ingestLoad(plain.server, plain.key, { tag: `plain-${i}`, startAt, durationSeconds });
      results.push({ p, u, ratio: p.rate / u.rate });
    }
    const all = results.map((r) => `${r.ratio.toFixed(2)}×`).join(', ');
    const mid = results.sort((a, b) => a.ratio - b.ratio)[Math.floor(results.length / 2)];
    rows.push({
      name: 'POST /api/v1/positions on PostgreSQL into day partitions, batches of 500, 8 connections',
      value: `${fmt(mid.p.rate)} positions/s (p99 ${mid.p.p99} ms per batch)`,
      baseline: `same load, unpartitioned positions table: ${fmt(mid.u.rate)} positions/s (p99 ${mid.u.p99} ms)`,
      ratio: `${mid.ratio.toFixed(2)}× (median of ${rounds} alternating rounds: ${all})`,
      target: '≥ 0.9× (unchanged)',
      met: mid.ratio >= 0.9,
    });
    notes.push(
      `Partitions: the purge rows are loaded straight into the database (${DEVICES} devices, one org with ${RETENTION_DAYS} days' retention, every day expired, no shipment needing them), ` +
        'then purged by the retention job in-process with the serving statement timeout (5 s). A day that still holds a position some shipment needs is not dropped; its other rows are deleted one by one, as in the baseline.',
      `Partitions: ${median(results.map((r) => r.ratio)).toFixed(2)}× median ingest ratio; one server per layout, each round posting for ${durationSeconds} s to each.`,
    );
  } finally {
    await part.server.kill('SIGTERM');
    await plain.server.kill('SIGTERM');
    await part.temp.cleanup();
    await plain.temp.cleanup();
  }
  return { rows, notes };
}
