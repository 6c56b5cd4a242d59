// Positions over time with an injected clock, across a month boundary: on PostgreSQL the day
// partitions exist before their positions arrive and retention drops whole days; on both stores
// retention leaves exactly the same rows (whole UTC days, kept while a shipment needs them).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { describeStores, type TestContext, type TestOrg } from '../../../test/helpers/context.js';
import { PositionPartitions } from './partitions.js';
import { MAINTENANCE_LOCK, PartitionsRepository } from './partitions.repository.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

/** Which partition holds each of a device's positions (PostgreSQL), oldest first. */
async function partitionsOf(ctx: TestContext, deviceId: string): Promise<string[]> {
  const r = await sql<{ part: string }>`select tableoid::regclass::text as part from positions where device_id = ${deviceId} order by recorded_at`.execute(ctx.store.db);
  return r.rows.map((x) => x.part);
}

const partitionNames = async (ctx: TestContext) =>
  (await sql<{ name: string }>`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass('positions')`.execute(ctx.store.db)).rows
    .map((r) => r.name)
    .sort();

describeStores('positions partitions and retention across a month boundary', (ctx, kind) => {
  let org: TestOrg;
  let longer: TestOrg;
  const dev: Record<'delivered' | 'active' | 'longer', string> = { delivered: '', active: '', longer: '' };

  const send = async (o: TestOrg, deviceId: string, times: string[]) => {
    const r = await o.api.post('/api/v1/positions', { positions: times.map((t, i) => ({ device_id: deviceId, recorded_at: t, lat: 52 + i / 1000, lon: 5 })) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, times.length, r.text);
  };
  const stored = async () =>
    (await ctx().store.db.selectFrom('positions').select(['device_id', 'recorded_at']).where('device_id', 'in', Object.values(dev)).orderBy('recorded_at').execute()).map(
      (r) => `${Object.entries(dev).find(([, id]) => id === r.device_id)?.[0]} ${iso(Number(r.recorded_at))}`,
    );

  before(async () => {
    // The clock is injected from here on: the jobs' own timers must not run at the real time.
    await ctx().services.partitions?.stop();
    org = await ctx().newOrg();
    longer = await ctx().newOrg();
    assert.equal((await org.api.patch('/api/v1/org', { position_retention_days: 30 })).status, 200);
    assert.equal((await longer.api.patch('/api/v1/org', { position_retention_days: 365 })).status, 200);
    const device = async (o: TestOrg, name: string) => (await o.api.post('/api/v1/devices', { name })).body.id as string;
    dev.delivered = await device(org, 'Van that delivered on Feb 2');
    dev.active = await device(org, 'Truck still on its way');
    dev.longer = await device(longer, 'Tracker of an org keeping a year');
    const shipment = async (deviceId: string) => {
      const s = await org.api.post('/api/v1/shipments', { kind: 'order', reference: uniqueRef('PART'), status: 'in_transit' });
      assert.equal(s.status, 201, s.text);
      assert.equal((await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: deviceId, layer: 'driver' })).status, 201);
      return s.body.id as string;
    };
    const done = await shipment(dev.delivered);
    await shipment(dev.active);
    const delivered = await org.api.post(`/api/v1/shipments/${done}/events`, { type: 'status_changed', status: 'delivered', occurred_at: '2025-02-02T18:00:00Z' });
    assert.equal(delivered.status, 200, delivered.text);
  });

  it('creates the February days on January 30, before the first February position arrives', async () => {
    const partitions = ctx().services.partitions;
    assert.equal(partitions === null, kind === 'sqlite', 'SQLite keeps one table');
    if (partitions) {
      assert.deepEqual(await partitions.ensureOnce(at('2025-01-30T12:00:00Z')), ['positions_p20250129', 'positions_p20250130', 'positions_p20250131', 'positions_p20250201', 'positions_p20250202']);
      // Nothing to do an hour later.
      assert.deepEqual(await partitions.ensureOnce(at('2025-01-30T13:00:00Z')), []);
    }
    await send(org, dev.delivered, ['2025-01-30T08:00:00Z', '2025-01-31T08:00:00Z']);
    await send(org, dev.active, ['2025-01-31T09:00:00Z']);
    // February 2: the days ahead move on; the February positions land in their own days.
    if (partitions) assert.deepEqual(await partitions.ensureOnce(at('2025-02-02T12:00:00Z')), ['positions_p20250203', 'positions_p20250204', 'positions_p20250205']);
    await send(org, dev.delivered, ['2025-02-01T10:00:00Z', '2025-02-02T23:59:00Z', '2025-02-03T06:00:00Z']);
    await send(longer, dev.longer, ['2025-02-01T11:00:00Z']);
    if (partitions) {
      assert.deepEqual(await partitionsOf(ctx(), dev.delivered), ['positions_p20250130', 'positions_p20250131', 'positions_p20250201', 'positions_p20250202', 'positions_p20250203']);
    }
  });

  it('stores a position far outside the prepared days, and keeps it in the DEFAULT partition once the days around it are prepared', async () => {
    // A GPS week rollover sends 2001; ingestion takes anything after 2000.
    await send(org, dev.delivered, ['2001-05-05T05:05:05Z']);
    // Ingestion refuses more than 10 minutes ahead, but the store itself must not fail on it either.
    const ahead = at('2031-06-15T12:00:00Z');
    const repo = ctx().repos.positions;
    const inserted = await repo.insertPositions([{ org_id: longer.org_id, device_id: dev.longer, recorded_at: ahead, received_at: Date.now(), lat: 52, lon: 5 }]);
    assert.equal(inserted.length, 1);
    // The same position again is a duplicate, whichever partition holds it.
    assert.equal((await repo.insertPositions([{ org_id: longer.org_id, device_id: dev.longer, recorded_at: ahead, received_at: Date.now(), lat: 52, lon: 5 }])).length, 0);
    if (kind === 'postgres') {
      assert.deepEqual((await partitionsOf(ctx(), dev.longer)).at(-1), 'positions_default');
      // Its day gets no partition: moving the row there could hide it from a read running across the move.
      assert.deepEqual(await ctx().services.partitions?.ensureOnce(at('2031-06-14T12:00:00Z')), ['positions_p20310613', 'positions_p20310614', 'positions_p20310616', 'positions_p20310617']);
      assert.deepEqual((await partitionsOf(ctx(), dev.longer)).at(-1), 'positions_default', 'still in the DEFAULT partition');
    }
    const back = await repo.latestBetween(longer.org_id, dev.longer, ahead - 1, ahead + 1);
    assert.equal(Number(back?.recorded_at), ahead);
  });

  it('on March 5 drops the days nothing needs, deletes only the remainder, and keeps what is still needed', async () => {
    const retention = ctx().services.retention;
    const everything = await stored();
    // February 2: everything is within its retention.
    assert.deepEqual(await retention.runOnce(at('2025-02-02T12:00:00Z')), { deleted: 0, dropped: [] });
    assert.deepEqual(await stored(), everything);

    // March 5, 12:00 with 30 days' retention: days up to February 2 have expired (February 3 is
    // not entirely 30 days old yet). The van's shipment was delivered on February 2: before the
    // cutoff, so nothing needs its positions. The truck is still on its way; the other org keeps
    // a year.
    const run = await retention.runOnce(at('2025-03-05T12:00:00Z'));
    assert.deepEqual(await stored(), [
      'active 2025-01-31T09:00:00.000Z',
      'longer 2025-02-01T11:00:00.000Z',
      'delivered 2025-02-03T06:00:00.000Z',
      'longer 2031-06-15T12:00:00.000Z',
    ]);
    if (kind === 'postgres') {
      // January 29 (empty), January 30 and February 2 held only expired rows: dropped whole.
      // January 31 keeps the truck's position, February 1 the other org's: their expired rows,
      // and the 2001 one in the DEFAULT partition, are the remainder deleted one by one.
      assert.deepEqual(run, { deleted: 3, dropped: ['positions_p20250129', 'positions_p20250130', 'positions_p20250202'] });
      const names = await partitionNames(ctx());
      for (const gone of run.dropped) assert.ok(!names.includes(gone));
      for (const kept of ['positions_p20250131', 'positions_p20250201', 'positions_p20250203', 'positions_default']) assert.ok(names.includes(kept), kept);
    } else {
      assert.deepEqual(run, { deleted: 5, dropped: [] });
    }
    // Nothing left to do on a second run.
    assert.deepEqual(await retention.runOnce(at('2025-03-05T13:00:00Z')), { deleted: 0, dropped: [] });
  });
});

describeStores('positions partition upkeep under load', (ctx, kind) => {
  it('creates and drops days while positions keep arriving, failing no ingest and losing no position', async () => {
    const partitions = ctx().services.partitions;
    if (kind === 'sqlite') return assert.equal(partitions, null);
    assert.ok(partitions);
    await partitions.stop();
    const o = await ctx().newOrg();
    const devices = await Promise.all([1, 2, 3].map(async (i) => (await o.api.post('/api/v1/devices', { name: `Truck ${i}` })).body.id as string));
    const DAY = 86_400_000;
    const start = at('2020-03-01T00:00:00Z');
    const sentOn = new Map<number, number>();
    let t = 0;
    /** One batch of positions on `day` (days after `start`), through the service's ingestion. */
    const batch = async (day: number) => {
      const items = devices.map((d) => ({ device_id: d, recorded_at: iso(start + day * DAY + 3600_000 + t), lat: 52, lon: 5 }));
      t += 1000;
      const r = await ctx().services.positions.ingestBatch({ kind: 'org', orgId: o.org_id }, items);
      assert.equal(r.accepted, items.length, JSON.stringify(r.rejected));
      sentOn.set(day, (sentOn.get(day) ?? 0) + items.length);
    };
    const whileRunning = async (job: Promise<unknown>, days: number[]) => {
      let running = true;
      const done = job.finally(() => (running = false));
      const arriving = (async () => {
        do await Promise.all(days.map(batch));
        while (running);
      })();
      await Promise.all([done, arriving]);
    };
    const storedOn = async (from: number, to: number) =>
      Number(
        (
          await ctx()
            .store.db.selectFrom('positions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('org_id', '=', o.org_id)
            .where('recorded_at', '>=', start + from * DAY)
            .where('recorded_at', '<', start + to * DAY)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const sentBetween = (from: number, to: number) => [...sentOn].filter(([d]) => d >= from && d < to).reduce((n, [, k]) => n + k, 0);

    // Each day the next day ahead is created while positions of the days already there, and of a
    // day with no partition (the DEFAULT partition, which the creation locks and checks), arrive.
    assert.deepEqual(await partitions.ensureOnce(start), ['positions_p20200229', 'positions_p20200301', 'positions_p20200302', 'positions_p20200303', 'positions_p20200304']);
    for (let day = 1; day < 9; day++) {
      await whileRunning(partitions.ensureOnce(start + day * DAY + DAY / 2), [day, day + 1, day + 2, 30]);
    }
    assert.equal(await storedOn(0, 12), sentBetween(0, 12));
    assert.equal(await storedOn(30, 31), sentBetween(30, 31));
    // Then days before the 5th expire and are dropped while later days keep arriving.
    const dropped = partitions.dropExpired(new Map([[o.org_id, start + 5 * DAY]]));
    await whileRunning(dropped, [9, 10, 11]);
    assert.deepEqual(await dropped, ['-1', '0', '1', '2', '3', '4'].map((d) => `positions_p2020${d === '-1' ? '0229' : `03${String(Number(d) + 1).padStart(2, '0')}`}`));
    assert.equal(await storedOn(0, 5), 0);
    assert.equal(await storedOn(5, 12), sentBetween(5, 12));
    assert.equal(await storedOn(30, 31), sentBetween(30, 31));
  });
});

describeStores('positions that arrived before their day partition', (ctx, kind) => {
  it('stay in the DEFAULT partition, readable at every moment, their day gets no partition (warned once), and retention deletes them row by row', async () => {
    await ctx().services.partitions?.stop();
    const o = await ctx().newOrg();
    assert.equal((await o.api.patch('/api/v1/org', { position_retention_days: 30 })).status, 200);
    const deviceId = (await o.api.post('/api/v1/devices', { name: 'Tracker with a clock ahead' })).body.id as string;
    // Positions of March 12 stored before any partition of that day exists.
    const early = Array.from({ length: 50 }, (_, i) => ({ org_id: o.org_id, device_id: deviceId, recorded_at: at('2030-03-12T08:00:00Z') + i * 60_000, received_at: Date.now(), lat: 52, lon: 5 }));
    assert.equal((await ctx().repos.positions.insertPositions(early)).length, early.length);
    const count = async () =>
      Number((await ctx().store.db.selectFrom('positions').select((eb) => eb.fn.countAll().as('n')).where('device_id', '=', deviceId).executeTakeFirstOrThrow()).n);

    if (kind === 'postgres') {
      const warnings: string[] = [];
      const partitions = new PositionPartitions(new PartitionsRepository(ctx().store.db), undefined, { warn: (fields) => warnings.push(JSON.stringify(fields)) });
      // March 10: the days up to March 13 are prepared while reads of the device's positions go on.
      let running = true;
      const job = partitions.ensureOnce(at('2030-03-10T12:00:00Z')).finally(() => (running = false));
      const seen: number[] = [];
      do seen.push(await count());
      while (running);
      assert.deepEqual(await job, ['positions_p20300309', 'positions_p20300310', 'positions_p20300311', 'positions_p20300313']);
      assert.deepEqual([...new Set(seen)], [early.length], 'no read missed a position');
      assert.deepEqual([...new Set(await partitionsOf(ctx(), deviceId))], ['positions_default'], 'not moved out of the DEFAULT partition');
      // The next runs leave the day as it is, and say so once.
      assert.deepEqual(await partitions.ensureOnce(at('2030-03-10T13:00:00Z')), []);
      assert.deepEqual(await partitions.ensureOnce(at('2030-03-11T13:00:00Z')), ['positions_p20300314']);
      assert.deepEqual(warnings, [JSON.stringify({ partition: 'positions_p20300312' })]);
      // Later positions of that day go to the DEFAULT partition too.
      const late = { ...early[0], recorded_at: at('2030-03-12T20:00:00Z') };
      assert.equal((await ctx().repos.positions.insertPositions([late])).length, 1);
      assert.deepEqual((await partitionsOf(ctx(), deviceId)).at(-1), 'positions_default');
    } else {
      assert.equal(ctx().services.partitions, null, 'SQLite keeps one table');
      assert.equal((await ctx().repos.positions.insertPositions([{ ...early[0], recorded_at: at('2030-03-12T20:00:00Z') }])).length, 1);
    }
    assert.equal(await count(), early.length + 1);
    // Thirty days on, retention deletes them from the DEFAULT partition one by one.
    const run = await ctx().services.retention.runOnce(at('2030-04-13T12:00:00Z'));
    assert.equal(run.deleted, early.length + 1);
    assert.equal(await count(), 0);
  });
});

describeStores('positions partitions made by several instances at once', (ctx, kind) => {
  it('a day is not skipped while another instance holds the maintenance lock: every day from yesterday to three ahead is made', async () => {
    if (kind !== 'postgres') {
      assert.equal(ctx().services.partitions, null, 'SQLite keeps one table');
      return;
    }
    await ctx().services.partitions?.stop();
    const db = ctx().store.db;
    // Another instance in the middle of its own maintenance (making some other day).
    let release = () => {};
    const released = new Promise<void>((r) => (release = r));
    const other = db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MAINTENANCE_LOCK})`.execute(trx);
      await released;
    });
    try {
      let settled = false;
      const job = new PositionPartitions(new PartitionsRepository(db)).ensureOnce(at('2040-01-10T12:00:00Z')).finally(() => (settled = true));
      // Old code: it skipped every day at once ('busy'), leaving them to an instance that was making another.
      const waiting = async () =>
        Number((await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and objid = ${MAINTENANCE_LOCK}`.execute(db)).rows[0].n) > 0;
      while (!settled && !(await waiting())) await new Promise((r) => setTimeout(r, 20));
      release();
      await other;
      assert.deepEqual(await job, ['positions_p20400109', 'positions_p20400110', 'positions_p20400111', 'positions_p20400112', 'positions_p20400113']);
    } finally {
      release();
      await other;
    }
  });
});
