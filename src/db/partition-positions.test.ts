// Upgrading a database that holds positions to the partitioned layout (PostgreSQL; SQLite keeps
// one table): every row survives as it was, ingestion and its duplicate rule work on the result,
// the day partitions start where the old rows end, and retention drops the old rows whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createEmptyStore, storeKinds } from '../../test/helpers/stores.js';
import { PositionPartitions } from '../modules/positions/partitions.js';
import { PartitionsRepository } from '../modules/positions/partitions.repository.js';
import { PositionsRepository } from '../modules/positions/positions.repository.js';
import { RetentionRepository } from '../modules/positions/retention.repository.js';
import { RetentionJob } from '../modules/positions/retention.js';
import { DAY_MS, startOfUtcDay } from '../shared/time.js';
import { knownMigrations, migrateTo, migrateToLatest } from './migrate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of the older schema, written by hand
type Loose = Kysely<any>;

const MIGRATION = '20261204_0190_positions_partitions';

for (const kind of await storeKinds()) {
  describe(`upgrading positions to day partitions [${kind}]`, () => {
    it('keeps every existing position, and retention later drops the pre-upgrade rows whole', async () => {
      const { store, cleanup } = await createEmptyStore(kind);
      try {
        const all = knownMigrations(kind);
        await migrateTo(store, all[all.indexOf(MIGRATION) - 1]);
        const db = store.db as unknown as Loose;
        const now = Date.now();
        const tomorrow = startOfUtcDay(now) + DAY_MS;
        await db.insertInto('orgs').values({ id: 'o1', name: 'Org', country: 'NL', link_template: '{}', created_at: now, updated_at: now }).execute();
        await db.insertInto('devices').values({ id: 'd1', org_id: 'o1', name: 'Van', external_id: 'van-1', token_hash: 'h', created_at: now }).execute();
        // Old, recent, now, and one already dated tomorrow (ingestion accepted a day ahead when this migration was written).
        const times = [now - 80 * DAY_MS, now - DAY_MS, now, tomorrow + 3600_000];
        await db
          .insertInto('positions')
          .values(times.map((t, i) => ({ org_id: 'o1', device_id: 'd1', recorded_at: t, received_at: now, lat: 52 + i, lon: 5, accuracy_m: i, speed_mps: null, heading_deg: 90, altitude_m: null, battery_pct: 50 })))
          .execute();
        const before = await db.selectFrom('positions').selectAll().orderBy('recorded_at').execute();
        assert.equal(before.length, 4);

        await migrateToLatest(store);

        assert.deepEqual(await db.selectFrom('positions').selectAll().orderBy('recorded_at').execute(), before);
        const partitioned = kind === 'postgres';
        if (partitioned) {
          const where = await sql<{ part: string }>`select tableoid::regclass::text as part from positions order by recorded_at`.execute(db);
          assert.deepEqual(
            where.rows.map((r) => r.part),
            ['positions_legacy', 'positions_legacy', 'positions_legacy', 'positions_default'],
          );
        }

        // Ingestion on the result: new rows in, a duplicate skipped (the ON CONFLICT of the store).
        const repo = new PositionsRepository(store.db, kind);
        const row = (t: number) => ({ org_id: 'o1', device_id: 'd1', recorded_at: t, received_at: now, lat: 52, lon: 5 });
        const taken = await repo.insertPositions([row(now), row(now + 1000)], now);
        assert.deepEqual(taken.map((p) => p.recorded_at), [now + 1000]);
        const ids = await db.selectFrom('positions').select('id').execute();
        assert.equal(new Set(ids.map((r) => r.id)).size, 5, 'ids keep coming from the same sequence');

        // The day partitions begin where the pre-upgrade rows end: tomorrow, except that tomorrow
        // already has a row in the DEFAULT partition, which stays there (rows are never moved).
        const partitions = partitioned ? new PositionPartitions(new PartitionsRepository(store.db)) : null;
        if (partitions) {
          const created = await partitions.ensureOnce(now);
          const day = (t: number) => `positions_p${new Date(t).toISOString().slice(0, 10).replaceAll('-', '')}`;
          assert.deepEqual(created, [day(tomorrow + DAY_MS), day(tomorrow + 2 * DAY_MS)], 'yesterday and today are in the pre-upgrade table; tomorrow stays in the DEFAULT partition');
          const last = await sql<{ part: string }>`select tableoid::regclass::text as part from positions where recorded_at = ${tomorrow + 3600_000}`.execute(db);
          assert.equal(last.rows[0]?.part, 'positions_default', 'the row dated tomorrow stays where it is');
        }

        // 90 days' retention, 100 days on: the pre-upgrade rows are all past it and no shipment
        // needs them, so PostgreSQL drops their table whole; the row in the DEFAULT partition is
        // deleted on its own.
        const run = await new RetentionJob(new RetentionRepository(db), undefined, undefined, partitions).runOnce(now + 100 * DAY_MS);
        assert.equal((await db.selectFrom('positions').select('id').execute()).length, 0);
        if (partitioned) {
          assert.ok(run.dropped.includes('positions_legacy'), run.dropped.join());
          assert.equal(run.deleted, 1);
        } else {
          assert.deepEqual(run, { deleted: 5, dropped: [] });
        }
      } finally {
        await cleanup();
      }
    });
  });
}
