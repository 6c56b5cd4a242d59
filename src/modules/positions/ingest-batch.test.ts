// One API batch is one transaction: its positions, and the devices marked seen, commit together.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';

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
