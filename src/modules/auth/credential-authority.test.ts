// A credential made on a user's authority is stored only while that user still has it
// (HeldAuthority.onHeldAuthority, held-authority.ts). A request is authenticated before its handler runs (a client
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

// The key or session a request came with, revoked while the request was under way (a leaked key
// revoked, a stolen session signed out, while the request sent its body slowly): nothing is made
// on it, neither a key, an ingest token nor a user who can sign in.
await describeStores('credentials made on a revoked key or session', (ctx) => {
  const unauthorized = (err: unknown) => err instanceof AppError && err.code === 'unauthorized';

  async function refusedAll(org: TestOrg, stale: Actor): Promise<void> {
    const { auth, ingestTokens } = ctx().services;
    await assert.rejects(auth.createApiKey(stale, { name: 'outlives its maker', role: 'admin' }), unauthorized);
    await assert.rejects(ingestTokens.create(stale, { name: 'outlives its maker' }), unauthorized);
    await assert.rejects(auth.createUser(stale, { email: `kept.${org.org_id}@example.test`, role: 'owner', password: 'a long enough password' }), unauthorized);
    assert.deepEqual((await auth.listApiKeys(org.actor, { limit: 100 })).items.filter((k) => k.name === 'outlives its maker'), []);
    assert.deepEqual((await ingestTokens.list(org.actor, { limit: 100 })).items.filter((t) => t.name === 'outlives its maker'), []);
    assert.deepEqual((await auth.listUsers(org.actor, { limit: 100 })).items.filter((u) => u.email.startsWith('kept.')), []);
  }

  it('refuse a key, a token and a user to a request whose API key was revoked meanwhile', async () => {
    const org = await ctx().newOrg();
    const key = await org.api.post('/api/v1/api-keys', { name: 'leaked', role: 'owner' });
    assert.equal(key.status, 201, key.text);
    const stale = await ctx().services.auth.authenticateApiKey(key.body.api_key);
    assert.ok(stale);
    assert.equal((await org.api.post(`/api/v1/api-keys/${key.body.id}/revoke`)).status, 204);
    await refusedAll(org, stale);
  });

  it('refuse them to a request whose session was signed out meanwhile, and make them on a live one', async () => {
    const org = await ctx().newOrg();
    const email = `owner.${org.org_id}@example.test`;
    assert.equal((await org.api.post('/api/v1/users', { email, role: 'owner', password: 'a long enough password' })).status, 201);
    const { auth } = ctx().services;
    const signedIn = await auth.login(email, 'a long enough password');
    const live = await auth.authenticateSession(signedIn.token);
    assert.ok(live);
    assert.ok((await auth.createApiKey(live.actor, { name: 'made while signed in' })).api_key);
    await auth.logout(signedIn.token);
    await refusedAll(org, live.actor);
  });

  it('refuse a password set, a promotion or a deletion to a request whose key was revoked meanwhile, or whose owner was demoted', async () => {
    const org = await ctx().newOrg();
    const { auth } = ctx().services;
    const email = `victim.${org.org_id}@example.test`;
    const victim = await org.api.post('/api/v1/users', { email, role: 'viewer', password: 'the first long password' });
    assert.equal(victim.status, 201, victim.text);
    const key = await org.api.post('/api/v1/api-keys', { name: 'leaked', role: 'owner' });
    const staleKey = await auth.authenticateApiKey(key.body.api_key);
    assert.ok(staleKey);
    assert.equal((await org.api.post(`/api/v1/api-keys/${key.body.id}/revoke`)).status, 204);
    await assert.rejects(auth.updateUser(staleKey, victim.body.id, { password: 'the attacker chose this' }), unauthorized);
    await assert.rejects(auth.updateUser(staleKey, victim.body.id, { role: 'owner' }), unauthorized);
    await assert.rejects(auth.deleteUser(staleKey, victim.body.id), unauthorized);

    const owner = await org.api.post('/api/v1/users', { email: `second.${org.org_id}@example.test`, role: 'owner', password: 'a long enough password' });
    const staleOwner: Actor = { orgId: org.org_id, role: 'owner', type: 'user', id: owner.body.id, label: owner.body.email };
    assert.equal((await org.api.patch(`/api/v1/users/${owner.body.id}`, { role: 'viewer' })).status, 200);
    const forbidden = (err: unknown) => err instanceof AppError && err.code === 'forbidden';
    await assert.rejects(auth.updateUser(staleOwner, victim.body.id, { role: 'owner' }), forbidden);
    await assert.rejects(auth.deleteUser(staleOwner, victim.body.id), forbidden);

    const after = (await org.api.get(`/api/v1/users/${victim.body.id}`)).body;
    assert.equal(after.role, 'viewer');
    assert.ok((await auth.login(email, 'the first long password')).token, 'the password is the one it had');
  });
});
