// Stored replies of Idempotency-Key requests belong to the credential (API key or user) that made
// the request, not to the whole organization, and remember the role it had. The old table kept
// replies per org with plaintext secrets in them: it is emptied here (deleting rows changes no
// schema an older instance relies on), and left for a later release to drop.
import { sql, type Kysely } from 'kysely';

export const idempotencyPerCredential = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('idempotency_records')
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('credential', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer', (c) => c.notNull())
      .addColumn('response_body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_records_pk', ['org_id', 'credential', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_records_created').on('idempotency_records').column('created_at').execute();
    await sql`delete from idempotency_keys`.execute(db);
  },
};
