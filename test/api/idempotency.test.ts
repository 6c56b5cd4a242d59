import assert from 'node:assert/strict';
import { it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { apiClient, describeStores, recordSecret, type Api, type TestContext } from '../helpers/context.js';
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

/** A client signed in to the admin app as `email`: the session cookie and its CSRF token on every request. */
async function signIn(ctx: TestContext, email: string, password: string): Promise<Api> {
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  assert.equal(login.statusCode, 200, login.body);
  const cookie = login.cookies.find((c) => c.name === 'tl_session')?.value ?? '';
  const csrf = (login.json() as { csrf_token: string }).csrf_token;
  recordSecret(cookie, csrf);
  const session = apiClient(ctx.app, null);
  const headers = { cookie: `tl_session=${cookie}`, 'x-csrf-token': csrf };
  return { ...session, post: (url, body, h) => session.post(url, body, { ...headers, ...h }), get: (url, h) => session.get(url, { ...headers, ...h }) };
}

await describeStores('Idempotency-Key and who may see a stored reply', (ctx) => {
  it('answers a viewer who repeats an owner’s POST /api/v1/api-keys with the same key with 403, never the owner’s new key', async () => {
    const org = await ctx().newOrg();
    const viewer = await org.withRole('viewer');
    const body = { name: 'integration', role: 'owner' };
    const first = await org.api.post('/api/v1/api-keys', body, { 'idempotency-key': 'mint-1' });
    assert.equal(first.status, 201);
    const replayed = await viewer.post('/api/v1/api-keys', body, { 'idempotency-key': 'mint-1' });
    assert.equal(replayed.status, 403, replayed.text);
    assert.equal(replayed.headers['idempotent-replayed'], undefined);
    assert.ok(!replayed.text.includes(first.body.id) && !replayed.text.includes('tlk_'));
  });

  it('keeps stored replies per credential: another admin key with the same key and body gets its own result', async () => {
    const org = await ctx().newOrg();
    const [a, b] = [await org.withRole('admin'), await org.withRole('admin')];
    const body = consignmentBody();
    const fromA = await a.post('/api/v1/shipments', body, { 'idempotency-key': 'same' });
    const fromB = await b.post('/api/v1/shipments', { ...body, reference: `${body.reference}-b` }, { 'idempotency-key': 'same' });
    assert.equal(fromA.status, 201);
    assert.equal(fromB.status, 201, 'not a 409: B never used this key');
    assert.notEqual(fromB.body.id, fromA.body.id);
    const keyA = await a.post('/api/v1/api-keys', { name: 'k', role: 'viewer' }, { 'idempotency-key': 'k' });
    const keyB = await b.post('/api/v1/api-keys', { name: 'k', role: 'viewer' }, { 'idempotency-key': 'k' });
    assert.equal(keyB.status, 201);
    assert.equal(keyB.headers['idempotent-replayed'], undefined);
    assert.notEqual(keyB.body.id, keyA.body.id);
  });

  it('replays to the same user across sessions, and refuses with 409 once that user’s role changed', async () => {
    const org = await ctx().newOrg();
    const email = `admin.${org.org_id.slice(0, 8)}@example.test`;
    const password = 'a long enough password';
    recordSecret(password);
    const user = (await org.api.post('/api/v1/users', { email, role: 'admin', password })).body;
    const body = { name: 'from the admin app', role: 'viewer' };
    const first = await (await signIn(ctx(), email, password)).post('/api/v1/api-keys', body, { 'idempotency-key': 'ui-1' });
    assert.equal(first.status, 201, first.text);
    const again = await (await signIn(ctx(), email, password)).post('/api/v1/api-keys', body, { 'idempotency-key': 'ui-1' });
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.id, first.body.id);

    assert.equal((await org.api.patch(`/api/v1/users/${user.id}`, { role: 'viewer' })).status, 200);
    const demoted = await (await signIn(ctx(), email, password)).post('/api/v1/api-keys', body, { 'idempotency-key': 'ui-1' });
    assert.equal(demoted.status, 409, demoted.text);
    assert.ok(!demoted.text.includes(first.body.id));
  });

  it('answers 409 for the same key on another route', async () => {
    const org = await ctx().newOrg();
    assert.equal((await org.api.post('/api/v1/shipments', consignmentBody(), { 'idempotency-key': 'r' })).status, 201);
    const other = await org.api.post('/api/v1/api-keys', { name: 'x' }, { 'idempotency-key': 'r' });
    assert.equal(other.status, 409);
  });
});

await describeStores('Idempotency-Key records and secrets', (ctx) => {
  it('stores no API key, device token, webhook secret or generated password, and a replay shows the id with the secret redacted', async () => {
    const org = await ctx().newOrg();
    const idem = (k: string) => ({ 'idempotency-key': k });
    const created = {
      apiKey: await org.api.post('/api/v1/api-keys', { name: 'ci', role: 'dispatcher' }, idem('s-key')),
      device: await org.api.post('/api/v1/devices', { name: 'Truck 7' }, idem('s-device')),
      webhook: await org.api.post('/api/v1/webhooks', { url: 'https://hooks.example.test/in', events: ['link.created'] }, idem('s-hook')),
      user: await org.api.post('/api/v1/users', { email: `gen.${org.org_id.slice(0, 8)}@example.test`, role: 'viewer' }, idem('s-user')),
    };
    for (const [what, r] of Object.entries(created)) assert.equal(r.status, 201, `${what}: ${r.text}`);
    const rotated = await org.api.post(`/api/v1/api-keys/${created.apiKey.body.id}/rotate`, {}, idem('s-rotate'));
    assert.equal(rotated.status, 201);
    const secrets = {
      api_key: created.apiKey.body.api_key as string,
      rotated_key: rotated.body.api_key as string,
      device_token: created.device.body.token as string,
      webhook_secret: created.webhook.body.secret as string,
      password: created.user.body.password as string,
    };
    for (const [what, s] of Object.entries(secrets)) assert.ok(typeof s === 'string' && s.length >= 12, `${what} was shown once`);

    const stored = JSON.stringify(await ctx().store.db.selectFrom('idempotency_records').selectAll().where('org_id', '=', org.org_id).execute());
    assert.ok(stored.includes(created.apiKey.body.id), 'the replies are stored');
    for (const [what, s] of Object.entries(secrets)) assert.ok(!stored.includes(s), `${what} is not in idempotency_records`);
    const legacy = JSON.stringify(await ctx().store.db.selectFrom('idempotency_keys').selectAll().execute());
    for (const s of Object.values(secrets)) assert.ok(!legacy.includes(s));

    if (ctx().kind === 'sqlite') {
      // The whole database as it sits on disk, write-ahead log included. The webhook secret is
      // kept (it signs every delivery); keys, tokens and passwords exist only as hashes.
      ctx().store.sqlite?.pragma('wal_checkpoint(PASSIVE)');
      const file = (ctx().config.database as { file: string }).file;
      const disk = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
      for (const what of ['api_key', 'rotated_key', 'device_token', 'password'] as const) assert.equal(disk.indexOf(secrets[what]), -1, `${what} is not in the database file`);
    }

    const replay = await org.api.post('/api/v1/api-keys', { name: 'ci', role: 'dispatcher' }, idem('s-key'));
    assert.equal(replay.status, 201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body.id, created.apiKey.body.id);
    assert.equal(replay.body.api_key, 'tlk_[redacted]');
    const device = await org.api.post('/api/v1/devices', { name: 'Truck 7' }, idem('s-device'));
    assert.equal(device.body.id, created.device.body.id);
    assert.ok(!device.text.includes(secrets.device_token));
  });

  it('keeps a password the client sent out of the stored fingerprint: only the password differing is the same request', async () => {
    const org = await ctx().newOrg();
    const email = `chosen.${org.org_id.slice(0, 8)}@example.test`;
    const [first, second] = ['first chosen password', 'second chosen password'];
    recordSecret(first, second);
    const a = await org.api.post('/api/v1/users', { email, role: 'viewer', password: first }, { 'idempotency-key': 'u-1' });
    const b = await org.api.post('/api/v1/users', { email, role: 'viewer', password: second }, { 'idempotency-key': 'u-1' });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.equal(b.body.id, a.body.id);
    const other = await org.api.post('/api/v1/users', { email, role: 'dispatcher', password: first }, { 'idempotency-key': 'u-1' });
    assert.equal(other.status, 409, 'any other field still tells requests apart');
  });

  it('forgets a record after 24 hours: the request runs again, and the purge job deletes it', async () => {
    const org = await ctx().newOrg();
    const body = consignmentBody();
    const first = await org.api.post('/api/v1/shipments', body, { 'idempotency-key': 'old' });
    const kept = await org.api.post('/api/v1/shipments', consignmentBody(), { 'idempotency-key': 'fresh' });
    const db = ctx().store.db;
    const day = 24 * 3600_000;
    await db.updateTable('idempotency_records').set({ created_at: Date.now() - day - 60_000 }).where('org_id', '=', org.org_id).where('key', '=', 'old').execute();
    const rerun = await org.api.post('/api/v1/shipments', { ...body, reference: `${body.reference}-2` }, { 'idempotency-key': 'old' });
    assert.equal(rerun.status, 201, 'an expired key is free again, whatever the body');
    assert.notEqual(rerun.body.id, first.body.id);

    await db.updateTable('idempotency_records').set({ created_at: Date.now() - day - 60_000 }).where('org_id', '=', org.org_id).where('key', '=', 'old').execute();
    await ctx().services.housekeeping.runOnce();
    const left = await db.selectFrom('idempotency_records').select('key').where('org_id', '=', org.org_id).execute();
    assert.deepEqual(left.map((r) => r.key), ['fresh']);
    assert.equal(kept.status, 201);
    await ctx().services.housekeeping.runOnce(Date.now() + day + 1);
    assert.equal((await db.selectFrom('idempotency_records').select('key').where('org_id', '=', org.org_id).execute()).length, 0);
  });
});
