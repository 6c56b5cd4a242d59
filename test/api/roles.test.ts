import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody } from '../helpers/fixtures.js';

await describeStores('roles', (ctx) => {
  it('lets a viewer read but never write', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const viewer = await org.withRole('viewer');
    assert.equal((await viewer.get(`/api/v1/shipments/${s.id}`)).status, 200);
    assert.equal((await viewer.get('/api/v1/shipments')).status, 200);
    for (const r of [
      await viewer.post('/api/v1/shipments', consignmentBody()),
      await viewer.patch(`/api/v1/shipments/${s.id}`, { title: 'x' }),
      await viewer.delete(`/api/v1/shipments/${s.id}`),
      await viewer.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'customer', body: 'x' }),
      await viewer.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'delivered' }),
    ]) {
      assert.equal(r.status, 403, r.text);
      assert.equal(r.body.error.code, 'forbidden');
    }
    assert.equal((await org.api.get(`/api/v1/shipments/${s.id}`)).body.title, 'Tiles, 12 pallets');
  });

  it('lets a dispatcher run shipments but not change settings, the template, billing or keys', async () => {
    const org = await ctx().newOrg();
    const dispatcher = await org.withRole('dispatcher');
    assert.equal((await dispatcher.post('/api/v1/shipments', consignmentBody())).status, 201);
    assert.equal((await dispatcher.patch('/api/v1/org', { name: 'x' })).status, 403);
    assert.equal((await dispatcher.put('/api/v1/org/link-template', { cargo: false })).status, 403);
    assert.equal((await dispatcher.post('/api/v1/api-keys', {})).status, 403);
    assert.equal((await dispatcher.post('/api/v1/users', { email: 'x@example.test', role: 'viewer' })).status, 403);
  });

  it('keeps settings, template and billing state to the owner; an admin may not change them', async () => {
    const org = await ctx().newOrg();
    const admin = await org.withRole('admin');
    assert.equal((await admin.patch('/api/v1/org', { billing_state: 'locked' })).status, 403);
    assert.equal((await admin.patch('/api/v1/org', { sharing_enabled: false })).status, 403);
    assert.equal((await admin.put('/api/v1/org/link-template', { cargo: false })).status, 403);
    assert.equal((await admin.post('/api/v1/api-keys', { name: 'ci' })).status, 201);
    assert.equal((await admin.post('/api/v1/api-keys', { name: 'x', role: 'owner' })).status, 403);
    const patched = await org.api.patch('/api/v1/org', { billing_state: 'locked', link_inactivity_days: 14, brand_color: '#112233', country: 'DE' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.billing_state, 'locked');
    assert.equal(patched.body.link_inactivity_days, 14);
    const tpl = await org.api.put('/api/v1/org/link-template', { cargo: false, driver_position: 'always' });
    assert.equal(tpl.body.cargo, false);
    assert.equal(tpl.body.status, true, 'keys not sent keep their value');
    assert.equal((await org.api.get('/api/v1/org/link-template')).body.driver_position, 'always');
    const audit = await org.api.get('/api/v1/audit-log?action=org.updated');
    assert.equal(audit.body.items[0].data.changes.billing_state, 'locked');
  });

  it('lets an admin revoke keys up to its own role only: an owner key stays working', async () => {
    const org = await ctx().newOrg();
    const admin = await org.withRole('admin');
    const ownerKey = (await org.api.post('/api/v1/api-keys', { name: 'owner integration', role: 'owner' })).body;
    const adminKey = (await org.api.post('/api/v1/api-keys', { name: 'admin integration', role: 'admin' })).body;
    const refused = await admin.post(`/api/v1/api-keys/${ownerKey.id}/revoke`);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.equal((await ctx().client(ownerKey.api_key).get('/api/v1/org')).status, 200, 'the owner key still works');
    assert.equal((await admin.post(`/api/v1/api-keys/${ownerKey.id}/rotate`)).status, 403);
    assert.equal((await ctx().client(ownerKey.api_key).get('/api/v1/org')).status, 200, 'and was not rotated away');
    assert.equal((await admin.post(`/api/v1/api-keys/${adminKey.id}/revoke`)).status, 204, 'an admin key is the admin’s to revoke');
    assert.equal((await org.api.post(`/api/v1/api-keys/${ownerKey.id}/revoke`)).status, 204, 'the owner revokes it');
  });

  it('shows an API key once, stores only its hash, and a revoked key stops working', async () => {
    const org = await ctx().newOrg();
    const k = await org.api.post('/api/v1/api-keys', { name: 'integration', role: 'dispatcher' });
    assert.equal(k.status, 201);
    assert.match(k.body.api_key, /^tlk_/);
    const listed = await org.api.get('/api/v1/api-keys');
    assert.ok(!JSON.stringify(listed.body).includes(k.body.api_key));
    const stored = await ctx().store.db.selectFrom('api_keys').selectAll().where('id', '=', k.body.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.key_hash, k.body.api_key);
    assert.ok(!JSON.stringify(stored).includes(k.body.api_key));
    const client = ctx().client(k.body.api_key);
    assert.equal((await client.get('/api/v1/shipments')).status, 200);
    assert.equal((await org.api.post(`/api/v1/api-keys/${k.body.id}/revoke`)).status, 204);
    assert.equal((await client.get('/api/v1/shipments')).status, 401);
  });

  it('hashes passwords with scrypt, signs in with a session cookie and requires the CSRF token to write', async () => {
    const org = await ctx().newOrg();
    const u = await org.api.post('/api/v1/users', { email: 'disp@example.test', role: 'dispatcher', password: 'correct horse battery' });
    assert.equal(u.status, 201, u.text);
    const row = await ctx().store.db.selectFrom('users').select('password_hash').where('id', '=', u.body.id).executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^scrypt\$/);
    assert.equal((await ctx().anon.post('/api/v1/auth/login', { email: 'disp@example.test', password: 'wrong password!' })).status, 401);
    const login = await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'DISP@example.test', password: 'correct horse battery' } });
    assert.equal(login.statusCode, 200);
    const cookie = login.cookies.find((c) => c.name === 'tl_session');
    assert.ok(cookie?.httpOnly);
    const csrf = login.json().csrf_token as string;
    const headers = { cookie: `tl_session=${cookie.value}`, 'content-type': 'application/json' };
    const me = await ctx().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    assert.equal(me.json().user.email, 'disp@example.test');
    const noCsrf = await ctx().app.inject({ method: 'POST', url: '/api/v1/shipments', headers, payload: JSON.stringify(consignmentBody()) });
    assert.equal(noCsrf.statusCode, 403);
    const withCsrf = await ctx().app.inject({ method: 'POST', url: '/api/v1/shipments', headers: { ...headers, 'x-csrf-token': csrf }, payload: JSON.stringify(consignmentBody()) });
    assert.equal(withCsrf.statusCode, 201);
    // Authentication follows the route reached, however its URL is spelled.
    const spelled = await ctx().app.inject({ method: 'POST', url: '/%61pi/v1/shipments', headers, payload: JSON.stringify(consignmentBody()) });
    assert.equal(spelled.statusCode, 403, 'no CSRF token: refused like the plain path');
    assert.equal((await org.api.get('/%61pi/v1/shipments')).status, 200, 'an API key opens it like the plain path');
    // Ending sessions (e.g. after a password change) signs the browser out.
    await org.api.patch(`/api/v1/users/${u.body.id}`, { password: 'another long password' });
    assert.equal((await ctx().app.inject({ method: 'GET', url: '/api/v1/shipments', headers })).statusCode, 401);
  });

  it('never lets the last owner be demoted', async () => {
    const org = await ctx().newOrg();
    const users = (await org.api.get('/api/v1/users')).body.items;
    const owner = users.find((x: { role: string }) => x.role === 'owner');
    const r = await org.api.patch(`/api/v1/users/${owner.id}`, { role: 'viewer' });
    assert.equal(r.status, 409);
  });
});
