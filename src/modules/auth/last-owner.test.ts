// An org always keeps an active owner, also when two owners are taken away at once: each change
// holds the org (lockForOwnerChange) and counts the owners only then. On PostgreSQL each used to
// count the other, whose change was not committed yet, and both went through.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('the last owner', (ctx) => {
  /** An org with two owners: the first (made with the org) and a second one. */
  async function twoOwners(): Promise<{ org: TestOrg; first: string; second: string }> {
    const org = await ctx().newOrg();
    const first = (await org.api.get('/api/v1/users')).body.items[0].id as string;
    const r = await org.api.post('/api/v1/users', { email: `second.${org.org_id}@example.test`, role: 'owner', password: 'a long enough password' });
    assert.equal(r.status, 201, r.text);
    return { org, first, second: r.body.id as string };
  }

  /** The other owner's change as the service makes it: the org held first, then the user changed. */
  const otherOwnerChange = (orgId: string, userId: string, set: { role: 'admin' } | { disabled_at: number }) => async (trx: DbTransaction) => {
    await trx.updateTable('orgs').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', orgId).execute();
    await trx.updateTable('users').set(set).where('org_id', '=', orgId).where('id', '=', userId).execute();
  };

  const activeOwners = async (org: TestOrg) => (await ctx().services.auth.listUsers(org.actor, {})).items.filter((u) => u.role === 'owner' && !u.disabled).map((u) => u.id);

  it('is never demoted while the other owner is demoted at the same moment', async () => {
    const { org, first, second } = await twoOwners();
    const r = await raceHeldChange(ctx(), otherOwnerChange(org.org_id, second, { role: 'admin' }), () => org.api.patch(`/api/v1/users/${first}`, { role: 'admin' }));
    assert.equal(r.status, 409, r.text);
    assert.deepEqual(await activeOwners(org), [first]);
  });

  it('is never deleted while the other owner is disabled at the same moment', async () => {
    const { org, first, second } = await twoOwners();
    const r = await raceHeldChange(ctx(), otherOwnerChange(org.org_id, second, { disabled_at: Date.now() }), () => org.api.delete(`/api/v1/users/${first}`));
    assert.equal(r.status, 409, r.text);
    assert.deepEqual(await activeOwners(org), [first]);
  });

  it('may still be demoted or deleted while another owner stays', async () => {
    const { org, first, second } = await twoOwners();
    assert.equal((await org.api.patch(`/api/v1/users/${second}`, { role: 'admin' })).status, 200);
    assert.equal((await org.api.patch(`/api/v1/users/${second}`, { role: 'owner' })).status, 200);
    assert.equal((await org.api.delete(`/api/v1/users/${first}`)).status, 204);
    assert.deepEqual(await activeOwners(org), [second]);
  });
});
