// Phones posting one position each at the same moment: on SQLite their inserts share a commit
// (position-writer.ts), and still each request gets its own answer, only after the commit.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import type { StoredPoint } from './positions.repository.js';

const WORKERS = 32;
const ROUNDS = 30;

describeStores('concurrent single-position posts', (ctx) => {
  it('are stored with their own answers, a bad one refused alone, in fewer commits than requests on SQLite', async () => {
    const org = await ctx().newOrg();
    const phones = await Promise.all([1, 2, 3, 4].map(async (i) => (await org.api.post('/api/v1/devices', { name: `Phone ${i}` })).body as { id: string; token: string }));
    const announced: StoredPoint[] = [];
    ctx().services.positions.onIngest((orgId, inserted) => {
      if (orgId === org.org_id) announced.push(...inserted);
    });
    const commits = async () => (await ctx().services.metrics.positionCommits.get()).values[0]?.value ?? 0;
    const before = await commits();
    const t0 = Math.floor(Date.now() / 1000) - 600;
    const posts = phones.flatMap((p, d) => Array.from({ length: 5 }, (_, k) => `/ingest/osmand/${p.token}?timestamp=${t0 + k * 5}&lat=52.${d}${k}&lon=5.1`));
    // Between the good ones, a position no phone can have: the one 400 of the lot.
    posts.splice(7, 0, `/ingest/osmand/${phones[1].token}?timestamp=${t0 + 1}&lat=91&lon=5.1`);
    const replies = await Promise.all(posts.map((url) => ctx().app.inject({ method: 'POST', url })));
    assert.deepEqual(
      replies.map((r) => r.statusCode),
      posts.map((url) => (url.includes('lat=91') ? 400 : 200)),
    );
    assert.equal(JSON.parse(replies[7].body).error.code, 'validation_failed');
    for (const p of phones) {
      const stored = await ctx().repos.positions.recent(org.org_id, p.id, 10);
      assert.deepEqual(stored.map((s) => s.recorded_at).reverse(), [0, 1, 2, 3, 4].map((k) => (t0 + k * 5) * 1000));
      // Each one reaches the live listeners; on SQLite, in the order sent (one commit after the
      // other); PostgreSQL commits concurrent requests on several connections in any order.
      const live = announced.filter((a) => a.device_id === p.id).map((a) => a.recorded_at);
      assert.deepEqual(ctx().kind === 'sqlite' ? live : live.sort((a, b) => a - b), [0, 1, 2, 3, 4].map((k) => (t0 + k * 5) * 1000));
    }
    const used = (await commits()) - before;
    if (ctx().kind === 'sqlite') assert.ok(used < 20, `20 positions in ${used} commits`);
    else assert.equal(used, 20, 'PostgreSQL commits each request on its own connection');
  });

  it('answers a device deleted between its authentication and the commit with a 4xx, and stores its neighbours', async () => {
    const org = await ctx().newOrg();
    const phones = await Promise.all([1, 2, 3].map(async (i) => (await org.api.post('/api/v1/devices', { name: `Phone ${i}` })).body as { id: string; token: string }));
    // The service's own devices lookup (private to it): phone 2 is deleted once it has authenticated.
    const devices = (ctx().services.positions as unknown as { devices: { byToken: (token: string) => Promise<unknown> } }).devices;
    const byToken = devices.byToken.bind(devices);
    devices.byToken = async (token: string) => {
      const device = await byToken(token);
      if (token === phones[1].token) assert.equal((await org.api.delete(`/api/v1/devices/${phones[1].id}`)).status, 204);
      return device;
    };
    const t0 = Math.floor(Date.now() / 1000) - 60;
    try {
      const replies = await Promise.all(phones.map((p, i) => ctx().app.inject({ method: 'POST', url: `/ingest/osmand/${p.token}?timestamp=${t0 + i}&lat=52.${i}1&lon=5.1` })));
      assert.deepEqual(
        replies.map((r) => r.statusCode),
        [200, 404, 200],
        'old code: 500 for the deleted device (a foreign key violation)',
      );
      assert.equal(JSON.parse(replies[1].body).error.code, 'not_found');
    } finally {
      devices.byToken = byToken;
    }
    for (const p of [phones[0], phones[2]]) assert.equal((await ctx().repos.positions.recent(org.org_id, p.id, 10)).length, 1);
  });

  it('stores concurrent batches that name the same devices in any order, none refused (no deadlock marking them seen)', async () => {
    const org = await ctx().newOrg();
    const devices = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await org.api.post('/api/v1/devices', { name: `Truck ${i}` })).body.id as string));
    const t0 = Date.now() - 3_600_000;
    let next = 0;
    // Each batch: 20 positions spread over the 8 devices from a random one on, so two batches
    // running together name the same devices in different orders.
    const batch = () => {
      const from = Math.floor(Math.random() * devices.length);
      return Array.from({ length: 20 }, (_, i) => ({ device_id: devices[(from + i) % devices.length], recorded_at: new Date(t0 + next++).toISOString(), lat: 52, lon: 5 }));
    };
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let k = 0; k < ROUNDS; k++) {
          const r = await org.api.post('/api/v1/positions', { positions: batch() });
          statuses.push(r.status);
          if (r.status !== 200) assert.fail(`a valid batch answered ${r.status}: ${r.text}`);
          assert.equal(r.body.accepted, 20);
        }
      }),
    );
    assert.equal(statuses.length, WORKERS * ROUNDS);
    let stored = 0;
    for (const d of devices) stored += (await ctx().repos.positions.recent(org.org_id, d, 10_000)).length;
    assert.equal(stored, WORKERS * ROUNDS * 20);
  });
});
