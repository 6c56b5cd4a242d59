// Upgrading a database that holds data across the migrations that loosen a global unique rule
// into a per-org one: rows, foreign keys and indexes survive, on both stores.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createEmptyStore, storeKinds } from '../../test/helpers/stores.js';
import { isUniqueViolation } from './index.js';
import { migrateTo, migrateToLatest } from './migrate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of the older schema, written by hand
type Loose = Kysely<any>;

for (const kind of await storeKinds()) {
  describe(`upgrading to per-org users and devices [${kind}]`, () => {
    it('keeps every row and foreign key, and makes the rules per org', async () => {
      const { store, cleanup } = await createEmptyStore(kind);
      try {
        await migrateTo(store, '20261125_0004_notifications');
        const db = store.db as unknown as Loose;
        const now = Date.now();
        for (const org of ['o1', 'o2']) {
          await db.insertInto('orgs').values({ id: org, name: `Org ${org}`, country: 'NL', link_template: '{}', created_at: now, updated_at: now }).execute();
        }
        await db.insertInto('users').values({ id: 'u1', org_id: 'o1', email: 'ann@example.test', name: 'Ann', role: 'admin', password_hash: 'x', created_at: now, disabled_at: null }).execute();
        await db.insertInto('sessions').values({ id: 's1', user_id: 'u1', org_id: 'o1', csrf_token: 'c', created_at: now, expires_at: now + 1e6, revoked_at: null, last_seen_at: now }).execute();
        const key = (id: string, prefix: string, created_by: string | null) => ({ id, org_id: 'o1', name: id, prefix, key_hash: `h-${id}`, role: 'admin', created_by, created_at: now, last_used_at: null, revoked_at: null });
        await db.insertInto('api_keys').values([key('k1', 'tlk_aaaaaa', 'ann@example.test'), key('k2', 'tlk_bbbbbb', 'key tlk_aaaaaa… (k1)'), key('k3', 'tlk_cccccc', 'cli')]).execute();
        const dev = (id: string, external_id: string) => ({ id, org_id: 'o1', name: id, external_id, token_hash: `t-${id}`, created_at: now, last_seen_at: null });
        await db.insertInto('devices').values([dev('d1', 'dev-AbCdEfGh_-123456'), dev('d2', 'truck1'), dev('d3', 'partner-AbCdEfGhIjKlMnOpQrStUv')]).execute();
        await db.insertInto('positions').values({ org_id: 'o1', device_id: 'd1', recorded_at: now, received_at: now, lat: 52, lon: 5 }).execute();

        await migrateToLatest(store);

        // Rows and the session's foreign key survive the rebuilt users table.
        assert.equal((await db.selectFrom('users').select('email').where('id', '=', 'u1').executeTakeFirstOrThrow()).email, 'ann@example.test');
        const owners = await db.selectFrom('api_keys').select(['id', 'created_by_user']).orderBy('id').execute();
        assert.deepEqual(owners, [
          { id: 'k1', created_by_user: 'u1' },
          { id: 'k2', created_by_user: 'u1' },
          { id: 'k3', created_by_user: null },
        ]);
        // The same email in another org is fine; twice in one org is not.
        await db.insertInto('users').values({ id: 'u2', org_id: 'o2', email: 'ann@example.test', name: 'Ann', role: 'viewer', password_hash: 'x', created_at: now, disabled_at: null }).execute();
        await assert.rejects(
          db.insertInto('users').values({ id: 'u3', org_id: 'o1', email: 'ann@example.test', name: 'Ann', role: 'viewer', password_hash: 'x', created_at: now, disabled_at: null }).execute(),
          (err: unknown) => isUniqueViolation(err),
        );
        // Deleting a user still cascades to its sessions; an unknown user id is still refused.
        await db.deleteFrom('users').where('id', '=', 'u1').execute();
        assert.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0);
        await assert.rejects(db.insertInto('sessions').values({ id: 's2', user_id: 'nobody', org_id: 'o1', csrf_token: 'c', created_at: now, expires_at: now, revoked_at: null, last_seen_at: now }).execute());
        // Devices: rows and positions kept, generated ids recognised, external ids per org.
        const flags = await db.selectFrom('devices').select(['id', 'external_id_generated']).orderBy('id').execute();
        assert.deepEqual(flags.map((f) => [f.id, Number(f.external_id_generated)]), [['d1', 1], ['d2', 0], ['d3', 0]]);
        assert.equal((await db.selectFrom('positions').selectAll().execute()).length, 1);
        await db.insertInto('devices').values({ ...dev('d4', 'truck1'), org_id: 'o2' }).execute();
        await assert.rejects(db.insertInto('devices').values(dev('d5', 'truck1')).execute(), (err: unknown) => isUniqueViolation(err));
        await db.deleteFrom('devices').where('id', '=', 'd1').execute();
        assert.equal((await db.selectFrom('positions').selectAll().execute()).length, 0, 'deleting a device still deletes its positions');
        if (kind === 'sqlite') {
          const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
          assert.equal(fk.rows[0].foreign_keys, 1, 'foreign keys are back on after the rebuild');
          const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'users'`.execute(store.db)).rows.map((r) => r.name);
          for (const i of ['users_org', 'users_org_email', 'users_email']) assert.ok(indexes.includes(i), `index ${i} on users`);
          const deviceIndexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'devices'`.execute(store.db)).rows.map((r) => r.name);
          for (const i of ['devices_org', 'devices_token_hash', 'devices_org_external_id', 'devices_external_id']) assert.ok(deviceIndexes.includes(i), `index ${i} on devices`);
        }
      } finally {
        await cleanup();
      }
    });
  });
}
