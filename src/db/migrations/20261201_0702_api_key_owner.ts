// API keys remember the user on whose authority they were made (a key made with a key inherits
// its user), so disabling, deleting or demoting that user revokes them: a key never outlives
// the person who could make it. Keys made from the CLI or by the system belong to nobody.
import type { Kysely, Migration } from 'kysely';

interface Tables {
  api_keys: { id: string; org_id: string; prefix: string; created_by: string | null; created_by_user: string | null };
  users: { id: string; org_id: string; email: string };
}

export const apiKeyOwner: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('api_keys').addColumn('created_by_user', 'text').execute();
    await db.schema.createIndex('api_keys_created_by_user').on('api_keys').columns(['org_id', 'created_by_user']).execute();
    // Existing keys: created_by is the creator's label, the user's email for a key made in the
    // admin app, "key <prefix>… (<name>)" for a key made with another key.
    const t = db as unknown as Kysely<Tables>;
    await t
      .updateTable('api_keys')
      .set((eb) => ({
        created_by_user: eb
          .selectFrom('users')
          .select('users.id')
          .whereRef('users.org_id', '=', 'api_keys.org_id')
          .whereRef('users.email', '=', 'api_keys.created_by')
          .limit(1),
      }))
      .execute();
    // Chains of keys made with keys, a link per pass.
    for (let pass = 0; pass < 4; pass++) {
      await t
        .updateTable('api_keys as k')
        .set((eb) => ({
          created_by_user: eb
            .selectFrom('api_keys as parent')
            .select('parent.created_by_user')
            .whereRef('parent.org_id', '=', 'k.org_id')
            .where((p) => p('k.created_by', 'like', p(p(p.val('key '), '||', p.ref('parent.prefix')), '||', p.val('…%'))))
            .where('parent.created_by_user', 'is not', null)
            .limit(1),
        }))
        .where('k.created_by_user', 'is', null)
        .where('k.created_by', 'like', 'key %')
        .execute();
    }
  },
};
