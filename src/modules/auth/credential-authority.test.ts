// A credential made on a user's authority is stored only while that user still has it
// (AuthService.onHeldAuthority). A request is authenticated before its handler runs (a client
// may send its body slowly): a demotion or disabling completed in between revoked the user's
// keys and tokens before this one existed, and the new one kept the lost role for good.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import type { Actor } from './roles.js';

await describeStores('credentials made on a lost authority', (ctx) => {
  /** An admin user, the actor of a request authenticated as that admin, then the user demoted or disabled (the whole change). */
  async function adminActorThen(org: TestOrg, change: Record<string, unknown>): Promise<Actor> {
    const u = await org.api.post('/api/v1/users', { email: `admin.${org.org_id}@example.test`, role: 'admin', password: 'a long enough password' });
    assert.equal(u.status, 201, u.text);
    const actor: Actor = { orgId: org.org_id, role: 'admin', type: 'user', id: u.body.id, label: u.body.email };
    assert.equal((await org.api.patch(`/api/v1/users/${u.body.id}`, change)).status, 200);
    return actor;
  }
  const forbidden = (err: unknown) => err instanceof AppError && err.code === 'forbidden';

  it('refuse an admin key to a request authenticated before its user was demoted', async () => {
    const org = await ctx().newOrg();
    const stale = await adminActorThen(org, { role: 'dispatcher' });
    await assert.rejects(ctx().services.auth.createApiKey(stale, { name: 'kept admin', role: 'admin' }), forbidden);
    const keys = (await ctx().services.auth.listApiKeys(org.actor, { limit: 100 })).items;
    assert.deepEqual(keys.filter((k) => k.created_by_user_id === stale.id && !k.revoked_at), []);
  });

  it('refuse an ingest token to a request authenticated before its user was disabled', async () => {
    const org = await ctx().newOrg();
    const stale = await adminActorThen(org, { disabled: true });
    await assert.rejects(ctx().services.ingestTokens.create(stale, { name: 'kept feed' }), forbidden);
    assert.deepEqual((await ctx().services.ingestTokens.list(org.actor, { limit: 100 })).items.filter((t) => !t.revoked_at), []);
  });

  it('still make them for a user who has the role', async () => {
    const org = await ctx().newOrg();
    const u = await org.api.post('/api/v1/users', { email: `admin.${org.org_id}@example.test`, role: 'admin', password: 'a long enough password' });
    const actor: Actor = { orgId: org.org_id, role: 'admin', type: 'user', id: u.body.id, label: u.body.email };
    const key = await ctx().services.auth.createApiKey(actor, { role: 'admin' });
    assert.equal((await ctx().client(key.api_key).get('/api/v1/org')).status, 200);
    await assert.rejects(ctx().services.auth.createApiKey(actor, { role: 'owner' }), forbidden);
    assert.ok((await ctx().services.ingestTokens.create(actor, {})).token);
  });
});
