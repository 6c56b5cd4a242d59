// Changes of one org that must take turns (the owners it keeps, its link template, the invitations
// it may send) hold the org's row for their transaction.
import type { DbTransaction } from './schema.js';

/**
 * Holds the org's row until the transaction ends, by writing it unchanged: the write takes
 * PostgreSQL's row lock and SQLite's one write lock alike (see shipments' lockForChange). What the
 * transaction reads after it, it reads as the change before it left it: under READ COMMITTED each
 * statement sees what was committed when it started, and the one before has committed by then.
 */
export async function holdOrg(trx: DbTransaction, orgId: string): Promise<void> {
  await trx
    .updateTable('orgs')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', orgId)
    .execute();
}
