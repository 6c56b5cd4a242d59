// Password guessing against one account: the per-account lockout next to the per-IP limit,
// hashes of an older cost replaced at sign-in, and no sign-in from another site's form (login CSRF).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, recordSecret, type TestContext } from '../helpers/context.js';
import { hashToken } from '../../src/shared/ids.js';
import { PasswordHasher } from '../../src/modules/auth/passwords.js';

/** A sign-in from `ip`: every attempt from another address, so only the per-account lock can stop them. */
async function login(ctx: TestContext, email: string, password: string, ip: string) {
  const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
  return { status: r.statusCode, body: r.json() as { error?: { code: string; message: string } }, retryAfter: r.headers['retry-after'] };
}

await describeStores('sign-in lockout', (ctx) => {
  it('locks an email after five wrong passwords from any addresses, refuses even the right password, and answers an unknown email exactly alike', async () => {
    const org = await ctx().newOrg();
    const password = 'the right password';
    recordSecret(password);
    const known = `locked.${org.org_id.slice(0, 8)}@example.test`;
    const unknown = `nobody.${org.org_id.slice(0, 8)}@example.test`;
    assert.equal((await org.api.post('/api/v1/users', { email: known, role: 'viewer', password })).status, 201);
    for (let i = 0; i < 5; i++) {
      assert.equal((await login(ctx(), known, `guess ${i}`, `10.1.0.${i}`)).status, 401);
      assert.equal((await login(ctx(), unknown, `guess ${i}`, `10.2.0.${i}`)).status, 401);
    }
    const right = await login(ctx(), known, password, '10.1.1.1');
    const other = await login(ctx(), unknown, password, '10.2.1.1');
    assert.equal(right.status, 429);
    assert.equal(right.body.error?.code, 'rate_limited');
    assert.equal(right.retryAfter, '60');
    assert.deepEqual([other.status, other.body, other.retryAfter], [right.status, right.body, right.retryAfter], 'a locked unknown email reads the same');
    const sameCase = await login(ctx(), known.toUpperCase(), password, '10.1.1.2');
    assert.equal(sameCase.status, 429, 'the lock is on the address, whatever its spelling');
  });

  it('opens again once the backoff has passed; a success clears nothing, a day without failures does', async () => {
    const org = await ctx().newOrg();
    const password = 'another right password';
    recordSecret(password);
    const email = `backoff.${org.org_id.slice(0, 8)}@example.test`;
    assert.equal((await org.api.post('/api/v1/users', { email, role: 'viewer', password })).status, 201);
    for (let i = 0; i < 5; i++) await login(ctx(), email, `guess ${i}`, `10.3.0.${i}`);
    assert.equal((await login(ctx(), email, password, '10.3.1.1')).status, 429);
    // The minute of the first lock, passed.
    const db = ctx().store.db;
    const account = hashToken(email);
    await db.updateTable('login_failures').set({ last_failure_at: Date.now() - 61_000 }).where('account', '=', account).execute();
    assert.equal((await login(ctx(), email, password, '10.3.1.2')).status, 200);
    // The count stays (see the next test): one more failure locks again, for twice as long.
    assert.equal((await login(ctx(), email, 'one more guess', '10.3.1.3')).status, 401);
    const locked = await login(ctx(), email, password, '10.3.1.4');
    assert.equal(locked.status, 429);
    assert.equal(locked.retryAfter, '120');
    // A day after the last failure the count is forgotten: a fresh start.
    await db.updateTable('login_failures').set({ last_failure_at: Date.now() - 24 * 3600_000 - 1 }).where('account', '=', account).execute();
    assert.equal((await login(ctx(), email, 'a new guess', '10.3.1.5')).status, 401);
    assert.equal((await login(ctx(), email, password, '10.3.1.6')).status, 200, 'one failure of a fresh count locks nothing');
  });

  it('keeps counting guesses at another org’s account when an org signs in to its own account of the same email, and so tells nothing of other orgs', async () => {
    // Any owner may add a user with any address (emails are unique per org): a sign-in to the
    // attacker's own account of it must neither reset the count of guesses at another org's
    // account, nor behave differently depending on whether another org has the address.
    const victim = await ctx().newOrg();
    const attacker = await ctx().newOrg();
    const attacker2 = await ctx().newOrg();
    const password = 'the victim password';
    const own = 'the attacker own password';
    recordSecret(password, own);
    const stamp = victim.org_id.slice(0, 8);
    const target = `target.${stamp}@example.test`;
    const nobodyElse = `alone.${stamp}@example.test`;
    assert.equal((await victim.api.post('/api/v1/users', { email: target, role: 'owner', password })).status, 201);
    for (const email of [target, nobodyElse]) {
      for (const org of [attacker, attacker2]) assert.equal((await org.api.post('/api/v1/users', { email, role: 'viewer', password: own })).status, 201);
    }
    let ip = 0;
    const attempt = async (email: string, body: Record<string, string>) =>
      (await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, ...body }, remoteAddress: `10.7.0.${++ip}` })).statusCode;
    const outcomes: Record<string, number[]> = {};
    for (const email of [target, nobodyElse]) {
      const seen: number[] = [];
      for (let i = 0; i < 4; i++) seen.push(await attempt(email, { password: `guess ${i}` }));
      // The attacker's own accounts: one by org_id, and both at once (asked to choose: 409).
      seen.push(await attempt(email, { password: own, org_id: attacker.org_id }));
      seen.push(await attempt(email, { password: own }));
      seen.push(await attempt(email, { password: 'guess 4' }));
      seen.push(await attempt(email, { password: own, org_id: attacker.org_id }));
      outcomes[email] = seen;
    }
    assert.deepEqual(outcomes[target], [401, 401, 401, 401, 200, 409, 401, 429], 'five guesses at the address: locked');
    assert.deepEqual(outcomes[nobodyElse], outcomes[target], 'the same whether or not another org has the address');
    assert.equal(await attempt(target, { password }), 429, 'locked even for the victim’s right password');
  });

  it('stores failed sign-ins under a hash of the email and forgets them a day later', async () => {
    const email = `forget.${Date.now()}@example.test`;
    assert.equal((await login(ctx(), email, 'x', '10.4.0.1')).status, 401);
    const db = ctx().store.db;
    const rows = await db.selectFrom('login_failures').selectAll().where('account', '=', hashToken(email)).execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(await db.selectFrom('login_failures').selectAll().execute()).includes(email));
    await ctx().services.housekeeping.runOnce(Date.now() + 24 * 3600_000 + 1);
    assert.equal((await db.selectFrom('login_failures').selectAll().where('account', '=', hashToken(email)).execute()).length, 0);
  });

  it('replaces a password hash of an older, cheaper cost at the next successful sign-in', async () => {
    const org = await ctx().newOrg();
    const password = 'a password from long ago';
    recordSecret(password);
    const email = `upgrade.${org.org_id.slice(0, 8)}@example.test`;
    const user = (await org.api.post('/api/v1/users', { email, role: 'viewer', password })).body;
    const db = ctx().store.db;
    await db.updateTable('users').set({ password_hash: await new PasswordHasher(512).hash(password) }).where('id', '=', user.id).execute();
    assert.equal((await login(ctx(), email, password, '10.5.0.1')).status, 200);
    const after = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.match(after.password_hash, new RegExp(`^scrypt\\$${ctx().config.passwordScryptN}\\$8\\$1\\$`));
    assert.equal((await login(ctx(), email, password, '10.5.0.2')).status, 200, 'the new hash opens the account');
    assert.equal((await login(ctx(), email, 'wrong', '10.5.0.3')).status, 401);
  });

  it('refuses a sign-in posted as a form (urlencoded or text/plain, as another site can send) with 415 and sets no session cookie', async () => {
    const org = await ctx().newOrg();
    const password = 'a password a form knows';
    recordSecret(password);
    const email = `csrf.${org.org_id.slice(0, 8)}@example.test`;
    assert.equal((await org.api.post('/api/v1/users', { email, role: 'viewer', password })).status, 201);
    const forms = [
      { type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ email, password }).toString() },
      // <form enctype="text/plain"> with a field named '{"email":…,"x":"' sends valid JSON as text/plain.
      { type: 'text/plain', body: JSON.stringify({ email, password }) },
    ];
    for (const [i, form] of forms.entries()) {
      const r = await ctx().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': form.type, origin: 'https://evil.example' },
        payload: form.body,
        remoteAddress: `10.6.0.${i}`,
      });
      assert.equal(r.statusCode, 415, form.type);
      assert.equal(r.json().error.code, 'unsupported_media_type');
      assert.equal(r.headers['set-cookie'], undefined, `${form.type}: no session`);
    }
    const json = await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: '10.6.1.1' });
    assert.equal(json.statusCode, 200, 'the same credentials as JSON sign in');
    assert.match(String(json.headers['set-cookie']), /^tl_session=/);
  });
});
