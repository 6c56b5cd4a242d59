// Deterministic races on PostgreSQL: a transaction holds rows as a concurrent change would, the
// operation under test starts meanwhile, and the transaction commits only once the operation
// waits for one of those rows (or has finished without waiting: the code that raced). SQLite runs
// one transaction at a time on its one connection, so there the operation simply runs after it.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database, DbTransaction } from '../../src/db/schema.js';
import type { TestContext } from './context.js';

/**
 * Runs `operation` while `hold` (a concurrent change, left uncommitted) keeps its rows locked,
 * and commits that change once the operation waits for a lock or has settled; the operation's
 * outcome, for the test to check against what the committed change left.
 */
export async function raceHeldChange<T>(ctx: TestContext, hold: (trx: DbTransaction) => Promise<unknown>, operation: () => Promise<T>): Promise<T> {
  let op: Promise<T> | undefined;
  await ctx.store.db.transaction().execute(async (trx) => {
    await hold(trx);
    op = operation();
    // Handled here too: on old code it may fail before the change commits.
    op.catch(() => {});
    if (ctx.kind === 'postgres') await untilWaitingForALock(ctx.store.db, op);
  });
  return op as Promise<T>;
}

/** Until `sessions` sessions of this database wait for a lock (the operations reached held rows), or `done` settles. */
export async function untilWaitingForALock(db: Kysely<Database>, done?: Promise<unknown>, sessions = 1): Promise<void> {
  let settled = false;
  done?.then(
    () => (settled = true),
    () => (settled = true),
  );
  // Up to 30 s: on a busy machine the operation may take long to reach the held rows.
  for (let i = 0; i < 1500; i++) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (rows[0].n >= sessions || settled) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the operation never waited for the held rows, nor finished');
}
