// A sign-in's duration must not tell how many accounts its email has in other orgs (see
// src/modules/auth/sign-in-timing.ts): each answer waits until it has taken as long as
// PADDED_CHECKS password checks. The waiting is observed through AuthService.pause, never timed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeStores, recordSecret, type TestContext } from '../helpers/context.js';
import { PADDED_CHECKS, signInPaddingMs } from '../../src/modules/auth/sign-in-timing.js';

describe('sign-in padding', () => {
  it('brings one, two or three checks to the time of three, and adds nothing beyond', () => {
    assert.equal(PADDED_CHECKS, 3);
    // 120 ms per check: each answer is held to 360 ms.
    assert.equal(120 + signInPaddingMs(120, 1), 360);
    assert.equal(240 + signInPaddingMs(240, 2), 360);
    assert.equal(signInPaddingMs(360, 3), 0);
    assert.equal(signInPaddingMs(480, 4), 0);
    assert.equal(signInPaddingMs(0, 1), 0);
  });
});

await describeStores('sign-in timing', (ctx) => {
  /** Signs in and returns the status and the padding the server waited out (none: null). */
  async function login(c: TestContext, email: string, password: string, ip: string): Promise<{ status: number; waited: number | null }> {
    const asked: number[] = [];
    const pause = c.services.auth.pause;
    c.services.auth.pause = async (ms) => void asked.push(ms);
    try {
      const r = await c.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
      assert.ok(asked.length <= 1, 'one wait per sign-in');
      return { status: r.statusCode, waited: asked.length ? asked[0] : null };
    } finally {
      c.services.auth.pause = pause;
    }
  }

  it('holds every answer to the time of three checks, so an email in one, two or three orgs reads alike', async () => {
    const home = await ctx().newOrg();
    const stamp = home.org_id.slice(0, 8);
    const email = `shared.${stamp}@example.test`;
    const mine = 'password of the prober';
    const theirs = 'password somewhere else';
    recordSecret(mine);
    recordSecret(theirs);
    // The prober's own account of an address; then the same address appears in other orgs.
    assert.equal((await home.api.post('/api/v1/users', { email, role: 'viewer', password: mine })).status, 201);
    const alone = await login(ctx(), email, mine, '10.9.0.1');
    assert.equal(alone.status, 200);
    assert.ok(alone.waited !== null && alone.waited > 0, 'one account: padded');
    const other = await ctx().newOrg();
    assert.equal((await other.api.post('/api/v1/users', { email, role: 'viewer', password: theirs })).status, 201);
    const two = await login(ctx(), email, mine, '10.9.0.2');
    assert.equal(two.status, 200, 'still the prober’s own account');
    assert.ok(two.waited !== null && two.waited > 0, 'two accounts: padded too');
    const wrong = await login(ctx(), email, 'a wrong password', '10.9.0.3');
    assert.equal(wrong.status, 401);
    assert.ok(wrong.waited !== null && wrong.waited > 0, 'a failure is padded alike');
    const unknown = await login(ctx(), `nobody.${stamp}@example.test`, mine, '10.9.0.4');
    assert.equal(unknown.status, 401);
    assert.ok(unknown.waited !== null && unknown.waited > 0, 'an unknown email is padded alike');
    const third = await ctx().newOrg();
    assert.equal((await third.api.post('/api/v1/users', { email, role: 'viewer', password: theirs })).status, 201);
    const three = await login(ctx(), email, mine, '10.9.0.5');
    assert.equal(three.status, 200);
    assert.equal(three.waited, null, 'three checks take as long as the padding: nothing added');
  });
});
