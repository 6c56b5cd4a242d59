// Failed sign-ins per email address (hashed), for the per-account lockout next to the per-IP
// limit. Kept for unknown addresses too, so a lockout never tells which emails have accounts.
import type { Kysely } from 'kysely';

export const loginFailures = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('login_failures')
      .addColumn('account', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_failures_last').on('login_failures').column('last_failure_at').execute();
  },
};
