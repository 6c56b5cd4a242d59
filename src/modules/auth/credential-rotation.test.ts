// Rotating an API key or an ingest token revokes it and issues its replacement in one
// transaction, and only while it is live: a revoked credential used to get a live replacement
// (a leaked key, revoked, came back under its name for whoever rotated it), and two rotations at
// once each issued one, leaving a live key nobody may have kept.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';

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
});
