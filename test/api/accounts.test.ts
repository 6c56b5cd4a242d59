// Accounts across tenants: an email is a user of one org, so adding it tells nothing about other
// orgs, and login picks the account the password opens; API keys die with their user's authority.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type Api } from '../helpers/context.js';

await describeStores('accounts', (ctx) => {
  const login = (body: Record<string, unknown>) => ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });

  it('adds a user whose email another org uses exactly as any new user, without a hint', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const email = `shared.${Date.now()}@example.test`;
    const inA = await a.api.post('/api/v1/users', { email, role: 'viewer', password: 'password-of-a-123' });
    assert.equal(inA.status, 201, inA.text);
    const inB = await b.api.post('/api/v1/users', { email, role: 'dispatcher', password: 'password-of-b-123' });
    assert.equal(inB.status, 201, inB.text);
    assert.deepEqual(Object.keys(inB.body).sort(), Object.keys(inA.body).sort());
    // The owner's own org still has one user per email.
    const again = await b.api.post('/api/v1/users', { email: email.toUpperCase(), role: 'viewer' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.details[0].path, 'body/email');
    // The owner of b sees only b's user, and b's owner's own address stays b's.
    assert.deepEqual((await b.api.get('/api/v1/users')).body.items.filter((u: { email: string }) => u.email === email).map((u: { role: string }) => u.role), ['dispatcher']);
    const ownerOfA = await b.api.post('/api/v1/users', { email: a.owner_email, role: 'viewer', password: 'someone-else-123' });
    assert.equal(ownerOfA.status, 201, 'another org may hold an address a first org owns');
    const stillA = await login({ email: a.owner_email, password: a.owner_password });
    assert.equal(stillA.statusCode, 200);
    assert.equal(stillA.json().user.id, (await a.api.get('/api/v1/users')).body.items.find((u: { role: string }) => u.role === 'owner').id);
  });

  it('signs an email with accounts in two orgs into the one whose password matches', async () => {
    const a = await ctx().newOrg({ name: 'Alpha Freight' });
    const b = await ctx().newOrg({ name: 'Beta Haulage' });
    const email = `two.${Date.now()}@example.test`;
    const ua = (await a.api.post('/api/v1/users', { email, role: 'viewer', password: 'alpha-password-1' })).body;
    const ub = (await b.api.post('/api/v1/users', { email, role: 'viewer', password: 'beta-password-12' })).body;
    const intoB = await login({ email, password: 'beta-password-12' });
    assert.equal(intoB.statusCode, 200, intoB.body);
    assert.equal(intoB.json().user.id, ub.id);
    const intoA = await login({ email, password: 'alpha-password-1' });
    assert.equal(intoA.json().user.id, ua.id);
    const wrong = await login({ email, password: 'neither-password' });
    const unknown = await login({ email: `nobody.${Date.now()}@example.test`, password: 'neither-password' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.body, unknown.body, 'a wrong password and an unknown email answer alike');
    // A disabled account is not opened even with its password.
    await a.api.patch(`/api/v1/users/${ua.id}`, { disabled: true });
    assert.equal((await login({ email, password: 'alpha-password-1' })).statusCode, 401);
  });

  it('asks which org when one password opens accounts in several, and signs into the chosen one', async () => {
    const a = await ctx().newOrg({ name: 'Gamma Logistics' });
    const b = await ctx().newOrg({ name: 'Delta Transport' });
    const email = `same.${Date.now()}@example.test`;
    const password = 'one-password-for-both';
    await a.api.post('/api/v1/users', { email, role: 'viewer', password });
    const ub = (await b.api.post('/api/v1/users', { email, role: 'admin', password })).body;
    const ask = await login({ email, password });
    assert.equal(ask.statusCode, 409, ask.body);
    const choices = ask.json().error.details as { path: string; org_id: string; org_name: string }[];
    assert.deepEqual(choices.map((c) => c.org_name).sort(), ['Delta Transport', 'Gamma Logistics']);
    assert.ok(choices.every((c) => c.path === 'body/org_id'));
    assert.ok(!ask.cookies.some((c) => c.name === 'tl_session'), 'no session before a choice');
    const chosen = await login({ email, password, org_id: b.org_id });
    assert.equal(chosen.statusCode, 200, chosen.body);
    assert.equal(chosen.json().user.id, ub.id);
    // A choice of an org where the password opens nothing is just a wrong login.
    const other = await ctx().newOrg();
    assert.equal((await login({ email, password, org_id: other.org_id })).statusCode, 401);
  });

  async function userWithKey(role: 'admin' | 'owner') {
    const org = await ctx().newOrg();
    const email = `keys.${role}.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.test`;
    const user = (await org.api.post('/api/v1/users', { email, role, password: 'key-maker-password' })).body;
    const signIn = await login({ email, password: 'key-maker-password' });
    const cookie = signIn.cookies.find((c) => c.name === 'tl_session')?.value ?? '';
    const csrf = signIn.json().csrf_token as string;
    const asUser = (role: string) =>
      ctx().app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { cookie: `tl_session=${cookie}`, 'x-csrf-token': csrf }, payload: { name: `made by user (${role})`, role } });
    const made = await asUser('admin');
    assert.equal(made.statusCode, 201, made.body);
    const viewerKey = (await asUser('viewer')).json();
    const key = made.json().api_key as string;
    // A key made with that key, on the same user's authority.
    const child = await ctx().client(key).post('/api/v1/api-keys', { name: 'made by key', role: 'dispatcher' });
    assert.equal(child.status, 201);
    return { org, user, key, viewerKey: viewerKey.api_key as string, childKey: child.body.api_key as string };
  }
  const works = async (client: Api) => (await client.get('/api/v1/shipments')).status;

  it('revokes the API keys a user made, and the keys made with them, when the user is disabled', async () => {
    const { org, user, key, viewerKey, childKey } = await userWithKey('admin');
    const ownKey = await org.api.post('/api/v1/api-keys', { name: 'not theirs' });
    for (const k of [key, viewerKey, childKey]) assert.equal(await works(ctx().client(k)), 200);
    assert.equal((await org.api.patch(`/api/v1/users/${user.id}`, { disabled: true })).status, 200);
    for (const k of [key, viewerKey, childKey]) assert.equal(await works(ctx().client(k)), 401, 'a disabled user’s keys stop working');
    assert.equal(await works(ctx().client(ownKey.body.api_key)), 200, 'keys of others keep working');
    const listed = (await org.api.get('/api/v1/api-keys')).body.items as { name: string; revoked_at: string | null; created_by: string }[];
    assert.ok(listed.filter((k) => k.name.startsWith('made by')).every((k) => k.revoked_at), 'shown as revoked in the list');
    const audit = await org.api.get('/api/v1/audit-log?action=api_key.revoked');
    assert.equal(audit.body.items.length, 3);
    // Enabling the user again does not bring the keys back.
    await org.api.patch(`/api/v1/users/${user.id}`, { disabled: false });
    assert.equal(await works(ctx().client(key)), 401);
  });

  it('revokes them when the user is deleted, and those above the new role when demoted', async () => {
    const deleted = await userWithKey('admin');
    assert.equal((await deleted.org.api.delete(`/api/v1/users/${deleted.user.id}`)).status, 204);
    for (const k of [deleted.key, deleted.viewerKey, deleted.childKey]) assert.equal(await works(ctx().client(k)), 401);

    const demoted = await userWithKey('admin');
    assert.equal((await demoted.org.api.patch(`/api/v1/users/${demoted.user.id}`, { role: 'dispatcher' })).status, 200);
    assert.equal(await works(ctx().client(demoted.key)), 401, 'an admin key of a user who is now a dispatcher');
    assert.equal(await works(ctx().client(demoted.viewerKey)), 200, 'a viewer key stays within the new role');
    assert.equal(await works(ctx().client(demoted.childKey)), 200, 'a dispatcher key stays within the new role');
  });
});
