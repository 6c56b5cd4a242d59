// A user deleted while a request signed in as that user makes a credential. The deletion takes the
// user's row, then the user's sessions (ON DELETE CASCADE); a creation that held its session first
// and the user after (AuthService.onHeldAuthority) waited for a deletion waiting for it: on
// PostgreSQL a deadlock, one of the two refused as a busy database.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { describeStores } from '../../../test/helpers/context.js';
import { untilWaitingForALock } from '../../../test/helpers/held-rows.js';

await describeStores('a user deleted while making a credential', (ctx) => {
  it('let the creation wait for the deletion and be refused', async () => {
    const org = await ctx().newOrg();
    const { auth } = ctx().services;
    const email = `admin.${org.org_id}@example.test`;
    const u = await org.api.post('/api/v1/users', { email, role: 'admin', password: 'a long enough password' });
    assert.equal(u.status, 201, u.text);
    const session = await auth.authenticateSession((await auth.login(email, 'a long enough password')).token);
    assert.ok(session);
    const deleteUser = () => org.api.delete(`/api/v1/users/${u.body.id}`);
    const createKey = () => auth.createApiKey(session.actor, { name: 'made while deleted', role: 'dispatcher' });
    let deletion: ReturnType<typeof deleteUser> | undefined;
    let creation: ReturnType<typeof createKey> | undefined;
    if (ctx().kind === 'postgres') {
      // The user's row held by another change until the deletion waits for it, then the creation.
      await ctx().store.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set((eb) => ({ name: eb.ref('name') })).where('id', '=', u.body.id).execute();
        deletion = deleteUser();
        await untilWaitingForALock(ctx().store.db, deletion);
        creation = createKey();
        creation.catch(() => {});
        await untilWaitingForALock(ctx().store.db, creation, 2);
      });
    } else {
      // SQLite runs one transaction at a time: the deletion, then the creation.
      deletion = deleteUser();
      await deletion;
      creation = createKey();
    }
    const deleted = await (deletion as ReturnType<typeof deleteUser>);
    assert.equal(deleted.status, 204, deleted.text);
    await assert.rejects(creation as ReturnType<typeof createKey>, (err: unknown) => err instanceof AppError && ['forbidden', 'unauthorized'].includes(err.code));
    assert.deepEqual((await auth.listApiKeys(org.actor, { limit: 100 })).items.filter((k) => k.name === 'made while deleted'), []);
  });
});
