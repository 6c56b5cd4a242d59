// One API batch is one transaction: its positions, and the devices marked seen, commit together.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { parsePrometheusText, sumOf } from '../../../test/helpers/prom-text.js';

describeStores('position batches', (ctx) => {
  it('marks only the devices that got new positions as seen, and a batch of 1,000 is stored whole', async () => {
    const org = await ctx().newOrg();
    const a = (await org.api.post('/api/v1/devices', { name: 'A' })).body.id as string;
    const b = (await org.api.post('/api/v1/devices', { name: 'B' })).body.id as string;
    const t0 = Date.now() - 3600_000;
    const positions = Array.from({ length: 1000 }, (_, i) => ({ device_id: a, recorded_at: new Date(t0 + i * 1000).toISOString(), lat: 52, lon: 5 }));
    const before = Date.now();
    const r = await org.api.post('/api/v1/positions', { positions });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, 1000);
    const n = await ctx().store.db.selectFrom('positions').select((eb) => eb.fn.countAll().as('n')).where('device_id', '=', a).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1000);
    const seen = (id: string) => ctx().store.db.selectFrom('devices').select('last_seen_at').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(Number((await seen(a)).last_seen_at) >= before);
    assert.equal((await seen(b)).last_seen_at, null);
    const again = await org.api.post('/api/v1/positions', { positions: positions.slice(0, 10) });
    assert.equal(again.body.accepted, 0);
    assert.equal(again.body.duplicates, 10);
  });
});

describeStores('position inserts of several requests at once', (ctx) => {
  it('reports each stored row to the first request that sent its key, with that request\'s values', async () => {
    const org = await ctx().newOrg();
    const a = (await org.api.post('/api/v1/devices', { name: 'A' })).body.id as string;
    const b = (await org.api.post('/api/v1/devices', { name: 'B' })).body.id as string;
    const t = Date.now() - 3600_000;
    const row = (device_id: string, dt: number, lat: number) => ({ org_id: org.org_id, device_id, recorded_at: t + dt, received_at: Date.now(), lat, lon: 5 });
    const repo = ctx().repos.positions;
    await repo.insertPositions([row(a, 0, 50)]);
    const groups = await repo.insertPositionGroups([
      { rows: [row(a, 0, 51), row(a, 1000, 52), row(b, 1000, 53)], seenAt: Date.now() },
      { rows: [], seenAt: Date.now() },
      { rows: [row(b, 1000, 54), row(b, 2000, 55), row(a, 2000, 56), row(b, 2000, 57)], seenAt: Date.now() },
      { rows: [row(a, 1000, 58), row(a, 3000, 59)], seenAt: Date.now() },
    ]);
    const seen = groups.map((g) => g.map((p) => [p.device_id === a ? 'a' : 'b', p.recorded_at - t, p.lat]).sort((x, y) => String(x).localeCompare(String(y))));
    assert.deepEqual(seen, [
      [['a', 1000, 52], ['b', 1000, 53]],
      [],
      [['a', 2000, 56], ['b', 2000, 55]],
      [['a', 3000, 59]],
    ]);
    const stored = await ctx().store.db.selectFrom('positions').select(['device_id', 'recorded_at', 'lat']).where('device_id', 'in', [a, b]).orderBy('device_id').orderBy('recorded_at').execute();
    assert.deepEqual(
      stored.map((s) => [s.device_id === a ? 'a' : 'b', Number(s.recorded_at) - t, s.lat]).sort((x, y) => String(x).localeCompare(String(y))),
      [['a', 0, 50], ['a', 1000, 52], ['a', 2000, 56], ['a', 3000, 59], ['b', 1000, 53], ['b', 2000, 55]],
    );
  });
});

describeStores('position inserts over more than one statement', (ctx) => {
  // On SQLite a chunk of 1,000 rows all new is stored without RETURNING (its change count says
  // every row went in), and a chunk with a duplicate is rolled back and inserted again with it:
  // either way each caller hears of exactly its rows that were stored, and each is stored once.
  it('reports every row of an all-new chunk, and only the new ones of a chunk with duplicates', async () => {
    const org = await ctx().newOrg();
    const a = (await org.api.post('/api/v1/devices', { name: 'A' })).body.id as string;
    const b = (await org.api.post('/api/v1/devices', { name: 'B' })).body.id as string;
    const t = Date.now() - 7 * 24 * 3600_000;
    const row = (device_id: string, s: number, lat: number) => ({ org_id: org.org_id, device_id, recorded_at: t + s * 1000, received_at: Date.now(), lat, lon: 5 });
    const repo = ctx().repos.positions;
    await repo.insertPositions([row(b, 5000, 10)]);
    // 600 + 700 + 300 rows in two chunks: the first 1,000 with a row stored before (b at 5000 s)
    // and a row of the first group again (a at 7 s), each sent with another lat; the last 600 new.
    const first = Array.from({ length: 600 }, (_, i) => row(i % 2 ? a : b, i, 20 + i / 1000));
    const second = Array.from({ length: 700 }, (_, i) => row(i % 2 ? b : a, 1000 + i, 30 + i / 1000));
    const third = Array.from({ length: 300 }, (_, i) => row(i % 2 ? a : b, 4000 + i, 40 + i / 1000));
    first[100] = row(b, 5000, 21);
    second[50] = row(a, 7, 31);
    const groups = await repo.insertPositionGroups([first, second, third].map((rows) => ({ rows, seenAt: Date.now() })));
    const key = (p: { device_id: string; recorded_at: number; lat: number }) => `${p.device_id === a ? 'a' : 'b'} ${Number(p.recorded_at) - t} ${p.lat}`;
    const expected = [first.filter((_, i) => i !== 100), second.filter((_, i) => i !== 50), third];
    assert.deepEqual(
      groups.map((g) => g.map(key).sort()),
      expected.map((rows) => rows.map(key).sort()),
    );
    const stored = await ctx().store.db.selectFrom('positions').select(['device_id', 'recorded_at', 'lat']).where('device_id', 'in', [a, b]).execute();
    assert.deepEqual(stored.map(key).sort(), [row(b, 5000, 10), ...expected.flat()].map(key).sort());
    // And a chunk that is all duplicates: nothing reported, nothing stored again.
    const again = await repo.insertPositionGroups([{ rows: second.slice(0, 10), seenAt: Date.now() }, { rows: first.slice(0, 10), seenAt: Date.now() }]);
    assert.deepEqual(again, [[], []]);
    const count = await ctx().store.db.selectFrom('positions').select((eb) => eb.fn.countAll().as('n')).where('device_id', 'in', [a, b]).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1 + 1598);
  });
});

const METRICS = 'metrics-token-for-batch-lookups-0123456789';

describeStores(
  'devices of a batch',
  (ctx) => {
    const selects = async () => {
      const r = await ctx().anon.get('/metrics', { authorization: `Bearer ${METRICS}` });
      assert.equal(r.status, 200, r.text);
      // The device look-up runs precompiled, as raw SQL.
      const samples = parsePrometheusText(r.text);
      return sumOf(samples, 'tracklink_store_query_duration_seconds_count', { op: 'select' }) + sumOf(samples, 'tracklink_store_query_duration_seconds_count', { op: 'raw' });
    };

    it('are looked up in one query however many a batch names, known or not', async () => {
      const org = await ctx().newOrg();
      const known = (await org.api.post('/api/v1/devices', { name: 'A', external_id: 'truck-batch-1' })).body as { id: string };
      const t = Date.now() - 3600_000;
      const positions = Array.from({ length: 1000 }, (_, i) => ({
        device_id: i % 3 === 0 ? known.id : i % 3 === 1 ? 'truck-batch-1' : `nobody-${i}`,
        recorded_at: new Date(t + i * 1000).toISOString(),
        lat: 52,
        lon: 5,
      }));
      const before = await selects();
      const r = await org.api.post('/api/v1/positions', { positions });
      const after = await selects();
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.accepted, 667, 'by id and by external id');
      assert.equal(r.body.rejected.length, 333);
      assert.match(r.body.rejected[0].error, /unknown device/);
      // The API key's own look-up and the device look-up; 1,000 names were 1,000 queries one after another.
      assert.ok(after - before <= 5, `${after - before} selects`);
    });
  },
  { METRICS_TOKEN: METRICS },
  { background: [] },
);
