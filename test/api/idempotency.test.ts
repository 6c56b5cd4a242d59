import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody } from '../helpers/fixtures.js';

await describeStores('Idempotency-Key', (ctx) => {
  it('replays the first reply for the same key and body, creating one record', async () => {
    const { api } = await ctx().newOrg();
    const body = consignmentBody();
    const first = await api.post('/api/v1/shipments', body, { 'idempotency-key': 'create-1' });
    const second = await api.post('/api/v1/shipments', body, { 'idempotency-key': 'create-1' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal((await api.get(`/api/v1/shipments?reference=${body.reference}`)).body.items.length, 1);
  });

  it('answers 409 conflict for the same key with another body', async () => {
    const { api } = await ctx().newOrg();
    assert.equal((await api.post('/api/v1/shipments', consignmentBody(), { 'idempotency-key': 'k2' })).status, 201);
    const other = await api.post('/api/v1/shipments', consignmentBody(), { 'idempotency-key': 'k2' });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, 'conflict');
  });

  it('keeps keys per org: another org may use the same key', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const body = consignmentBody();
    const ra = await a.api.post('/api/v1/shipments', body, { 'idempotency-key': 'shared' });
    const rb = await b.api.post('/api/v1/shipments', body, { 'idempotency-key': 'shared' });
    assert.equal(rb.status, 201);
    assert.notEqual(rb.body.id, ra.body.id);
  });

  it('creates one record when the same request races itself', async () => {
    const { api } = await ctx().newOrg();
    const body = consignmentBody();
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.post('/api/v1/shipments', body, { 'idempotency-key': 'race' })));
    for (const r of replies) assert.ok(r.status === 201 || r.status === 409, `status ${r.status}`);
    assert.equal((await api.get(`/api/v1/shipments?reference=${body.reference}`)).body.items.length, 1);
  });

  it('replays a 4xx reply too, so a retried bad request stays the same answer', async () => {
    const { api } = await ctx().newOrg();
    const body = consignmentBody({ segments: [{ from_stop: 0, to_stop: 9 }] });
    const a = await api.post('/api/v1/shipments', body, { 'idempotency-key': 'bad' });
    const b = await api.post('/api/v1/shipments', body, { 'idempotency-key': 'bad' });
    assert.equal(a.status, 400);
    assert.equal(b.status, 400);
    assert.deepEqual(b.body, a.body);
  });
});
