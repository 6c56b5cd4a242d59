// Changing one's own password from a session: it takes the current password, so a stolen session
// cannot take the account, and wrong guesses count toward the sign-in lockout. An owner (or an
// owner's key) still sets another user's password without knowing it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, recordSecret, type TestContext, type TestOrg } from '../helpers/context.js';
import { hashToken } from '../../src/shared/ids.js';

let ip = 0;
/** Every request from a new address, so the per-IP limit of sign-in never decides a test. */
const nextIp = () => `10.42.${Math.floor(++ip / 250)}.${ip % 250}`;

async function login(ctx: TestContext, email: string, password: string) {
  const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: nextIp() });
  const cookie = r.cookies.find((c) => c.name === 'tl_session');
  return { status: r.statusCode, cookie: cookie?.value, csrf: r.statusCode === 200 ? (r.json().csrf_token as string) : undefined };
}

/** A signed-in browser of `email`: PATCHes its user and reads with its session cookie. */
async function session(ctx: TestContext, email: string, password: string) {
  const s = await login(ctx, email, password);
  assert.equal(s.status, 200, `sign-in of ${email}`);
  const headers = { cookie: `tl_session=${s.cookie}`, 'x-csrf-token': s.csrf as string };
  return {
    async patch(id: string, body: Record<string, unknown>) {
      const r = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body), remoteAddress: nextIp() });
      return { status: r.statusCode, body: r.json(), retryAfter: r.headers['retry-after'] };
    },
    async me() {
      return (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: headers.cookie } })).statusCode;
    },
  };
}

async function newUser(org: TestOrg, role: string, tag: string) {
  const email = `${tag}.${org.org_id.slice(0, 8)}@example.test`;
  const password = `${tag} first password`;
  recordSecret(password);
  const r = await org.api.post('/api/v1/users', { email, role, password });
  assert.equal(r.status, 201, r.text);
  return { id: r.body.id as string, email, password };
}

await describeStores('changing one’s own password', (ctx) => {
  it('takes the current password: missing is a 400, wrong a 403, and neither changes anything; right changes it and ends the other sessions', async () => {
    const org = await ctx().newOrg();
    const u = await newUser(org, 'viewer', 'self');
    const thief = await session(ctx(), u.email, u.password);
    const other = await session(ctx(), u.email, u.password);
    const next = 'the second password';
    recordSecret(next);

    const missing = await thief.patch(u.id, { password: next });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'validation_failed');
    assert.equal(missing.body.error.details[0].path, 'body/current_password');
    const wrong = await thief.patch(u.id, { password: next, current_password: 'a guess at it' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.code, 'forbidden');
    assert.match(wrong.body.error.message, /current password is wrong/);
    assert.equal(wrong.body.error.details[0].path, 'body/current_password');
    assert.equal(await other.me(), 200, 'the other session lives on');
    assert.equal(await thief.me(), 200, 'a wrong current password is no reason to end the session (a 401 would show the sign-in page)');
    assert.equal((await login(ctx(), u.email, next)).status, 401, 'the password did not change');

    const alone = await thief.patch(u.id, { current_password: u.password });
    assert.equal(alone.status, 400, 'current_password goes only with password');
    assert.equal(alone.body.error.details[0].path, 'body/current_password');
    assert.equal((await thief.patch(u.id, { name: 'Renamed' })).status, 200, 'a name change needs no password');

    const right = await thief.patch(u.id, { password: next, current_password: u.password });
    assert.equal(right.status, 200, JSON.stringify(right.body));
    assert.equal(await other.me(), 401, 'every session ends with the change');
    assert.equal((await login(ctx(), u.email, u.password)).status, 401);
    assert.equal((await login(ctx(), u.email, next)).status, 200);
  });

  it('counts wrong current passwords toward the sign-in lockout and, while locked, refuses the change with sign-in’s 429 even for the right one', async () => {
    const org = await ctx().newOrg();
    const u = await newUser(org, 'dispatcher', 'locked');
    const s = await session(ctx(), u.email, u.password);
    const next = 'a password never set';
    recordSecret(next);
    // Three failed sign-ins and two wrong current passwords: the five failures that lock an email.
    for (let i = 0; i < 3; i++) assert.equal((await login(ctx(), u.email, `sign-in guess ${i}`)).status, 401);
    for (let i = 0; i < 2; i++) assert.equal((await s.patch(u.id, { password: next, current_password: `guess ${i}` })).status, 403);
    const refused = await s.patch(u.id, { password: next, current_password: u.password });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.equal(refused.retryAfter, '60');
    assert.equal((await login(ctx(), u.email, u.password)).status, 429, 'sign-in is locked by the same count');
    // The lock runs out as sign-in's does; then the right current password changes it.
    await ctx().store.db.updateTable('login_failures').set({ last_failure_at: Date.now() - 61_000 }).where('account', '=', hashToken(u.email)).execute();
    assert.equal((await s.patch(u.id, { password: next, current_password: u.password })).status, 200);
    assert.equal((await login(ctx(), u.email, next)).status, 200);
  });

  it('lets an owner set another user’s password without it, by session or key, while the owner’s own takes the owner’s current one', async () => {
    const org = await ctx().newOrg();
    const owner = await newUser(org, 'owner', 'boss');
    const staff = await newUser(org, 'viewer', 'staff');
    const fresh = ['set by the owner', 'set by the owner key', 'the owner new one'];
    recordSecret(...fresh);
    const s = await session(ctx(), owner.email, owner.password);
    assert.equal((await s.patch(staff.id, { password: fresh[0] })).status, 200);
    assert.equal((await login(ctx(), staff.email, fresh[0])).status, 200);
    assert.equal((await org.api.patch(`/api/v1/users/${staff.id}`, { password: fresh[1] })).status, 200, 'an owner key, as today');
    assert.equal((await login(ctx(), staff.email, fresh[1])).status, 200);
    assert.equal((await org.api.patch(`/api/v1/users/${owner.id}`, { password: fresh[1] })).status, 200, 'a key is not the user’s own session');

    const own = await session(ctx(), owner.email, fresh[1]);
    assert.equal((await own.patch(owner.id, { password: fresh[2] })).status, 400, 'an owner’s own password takes the current one too');
    assert.equal((await own.patch(owner.id, { password: fresh[2], current_password: owner.password })).status, 403, 'the old one is no longer current');
    assert.equal((await own.patch(owner.id, { password: fresh[2], current_password: fresh[1] })).status, 200);
    assert.equal((await login(ctx(), owner.email, fresh[2])).status, 200);
  });
});
