// Rotating an API key or an ingest token revokes it and issues its replacement in one
// transaction, and only while it is live: a revoked credential used to get a live replacement
// (a leaked key, revoked, came back under its name for whoever rotated it), and two rotations at
// once each issued one, leaving a live key nobody may have kept. Two keys rotating each other
// took their rows in opposite orders and deadlocked on PostgreSQL (503); they now queue on the org.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { apiClient, describeStores, recordSecret, type TestOrg } from '../../../test/helpers/context.js';

const KINDS = [
  { name: 'API key', path: '/api/v1/api-keys', body: { name: 'rotated integration', role: 'dispatcher' }, secret: 'api_key' },
  { name: 'ingest token', path: '/api/v1/ingest-tokens', body: { name: 'rotated feed' }, secret: 'token' },
] as const;

await describeStores('credential rotation', (ctx) => {
  async function live(org: TestOrg, path: string, name: string): Promise<string[]> {
    const items = (await org.api.get(`${path}?limit=200`)).body.items as { id: string; name: string; revoked_at: string | null }[];
    return items.filter((k) => k.name === name && k.revoked_at === null).map((k) => k.id);
  }

  for (const kind of KINDS) {
    it(`refuses to rotate a revoked ${kind.name} (409), and issues nothing`, async () => {
      const org = await ctx().newOrg();
      const made = await org.api.post(kind.path, kind.body);
      assert.equal(made.status, 201, made.text);
      assert.equal((await org.api.post(`${kind.path}/${made.body.id}/revoke`)).status, 204);
      const r = await org.api.post(`${kind.path}/${made.body.id}/rotate`);
      assert.equal(r.status, 409, r.text);
      assert.equal(r.body.error.code, 'conflict');
      assert.equal(r.body[kind.secret], undefined, 'no secret in the refusal');
      assert.deepEqual(await live(org, kind.path, kind.body.name), []);
    });

    it(`refuses a rotation by a dispatcher (403) whether or not the ${kind.name} is revoked: the answer never tells`, async () => {
      const org = await ctx().newOrg();
      const dispatcher = await org.withRole('dispatcher');
      const made = await org.api.post(kind.path, kind.body);
      assert.equal(made.status, 201, made.text);
      assert.equal((await dispatcher.post(`${kind.path}/${made.body.id}/rotate`)).status, 403);
      assert.equal((await org.api.post(`${kind.path}/${made.body.id}/revoke`)).status, 204);
      const r = await dispatcher.post(`${kind.path}/${made.body.id}/rotate`);
      assert.equal(r.status, 403, r.text);
    });

    it(`rotates a live ${kind.name} once: the replacement is the only live one, and the rotated one cannot be rotated again`, async () => {
      const org = await ctx().newOrg();
      const made = await org.api.post(kind.path, kind.body);
      assert.equal(made.status, 201, made.text);
      const twice = await Promise.all([org.api.post(`${kind.path}/${made.body.id}/rotate`), org.api.post(`${kind.path}/${made.body.id}/rotate`)]);
      assert.deepEqual(twice.map((r) => r.status).sort(), [201, 409], twice.map((r) => r.text).join('\n'));
      const fresh = twice.find((r) => r.status === 201)!.body;
      assert.deepEqual(await live(org, kind.path, kind.body.name), [fresh.id]);
      assert.equal((await org.api.post(`${kind.path}/${made.body.id}/rotate`)).status, 409);
    });
  }

  it('two API keys rotating each other at the same moment: one is replaced, the other request is refused with 401, never a deadlock (503)', async () => {
    const org = await ctx().newOrg();
    // Each round: two admin keys with no user behind them (made on the CLI's authority), so
    // nothing but the keys themselves orders the two requests.
    for (let round = 0; round < 12; round++) {
      const [a, b] = await Promise.all(['a', 'b'].map((n) => org.api.post('/api/v1/api-keys', { name: `peer ${n} ${round}`, role: 'admin' })));
      assert.equal(a.status, 201, a.text);
      assert.equal(b.status, 201, b.text);
      recordSecret(a.body.api_key, b.body.api_key);
      const [byA, byB] = await Promise.all([
        apiClient(ctx().app, a.body.api_key).post(`/api/v1/api-keys/${b.body.id}/rotate`),
        apiClient(ctx().app, b.body.api_key).post(`/api/v1/api-keys/${a.body.id}/rotate`),
      ]);
      assert.deepEqual([byA.status, byB.status].sort(), [201, 401], `round ${round}: ${byA.text}\n${byB.text}`);
      const replaced = byA.status === 201 ? b.body : a.body;
      const survivor = byA.status === 201 ? a.body : b.body;
      // What the winner did stands: the key it rotated is revoked, its own key and the replacement live.
      const names = [`peer a ${round}`, `peer b ${round}`];
      const items = (await org.api.get('/api/v1/api-keys?limit=200')).body.items as { id: string; name: string; revoked_at: string | null }[];
      const liveIds = items.filter((k) => names.includes(k.name) && k.revoked_at === null).map((k) => k.id).sort();
      const fresh = (byA.status === 201 ? byA : byB).body.id as string;
      assert.deepEqual(liveIds, [survivor.id, fresh].sort(), `round ${round}: ${replaced.id} revoked`);
    }
  });
});
