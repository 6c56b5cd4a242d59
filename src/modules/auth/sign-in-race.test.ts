// A sign-in opens its session only on the account as it checked it (holdUserAsChecked). The
// password checks and the padding after them take a while; a password changed (or an account
// disabled) meanwhile ended the user's sessions, and the sign-in then opened one more on the
// password just replaced. The change is made inside the sign-in's padding (AuthService.pause),
// the widest part of that window, so the order is the same on every run and store.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { describeStores } from '../../../test/helpers/context.js';

await describeStores('a sign-in meeting an account change', (ctx) => {
  async function signInDuring(change: (org: Awaited<ReturnType<ReturnType<typeof ctx>['newOrg']>>, userId: string) => Promise<void>) {
    const org = await ctx().newOrg();
    const email = `driver.${org.org_id}@example.test`;
    const u = await org.api.post('/api/v1/users', { email, role: 'dispatcher', password: 'the old long password' });
    assert.equal(u.status, 201, u.text);
    const auth = ctx().services.auth;
    const pause = auth.pause;
    auth.pause = () => change(org, u.body.id);
    try {
      await assert.rejects(auth.login(email, 'the old long password'), (err) => err instanceof AppError && err.code === 'unauthorized');
    } finally {
      auth.pause = pause;
    }
    assert.deepEqual((await auth.listSessions(org.actor, u.body.id, {})).items, [], 'no session is left open');
  }

  it('opens no session once the password was changed while it checked the old one', async () => {
    await signInDuring(async (org, id) => assert.equal((await org.api.patch(`/api/v1/users/${id}`, { password: 'a new long password' })).status, 200));
  });

  it('opens no session once the account was disabled while it checked the password', async () => {
    await signInDuring(async (org, id) => assert.equal((await org.api.patch(`/api/v1/users/${id}`, { disabled: true })).status, 200));
  });
});
