// Stored Idempotency-Key requests and their replies (see idempotency.plugin.ts).
import type { Insertable, Kysely } from 'kysely';
import type { Database, IdempotencyRecordTable } from '../db/schema.js';
import { isUniqueViolation } from '../db/index.js';

/** How long a stored reply is replayed; the housekeeping job deletes older records. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** Which stored request a key names: keys are the client's, so they are unique per credential only. */
export interface RecordKey {
  orgId: string;
  credential: string;
  key: string;
}

export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(k: RecordKey) {
    return this.db
      .selectFrom('idempotency_records')
      .selectAll()
      .where('org_id', '=', k.orgId)
      .where('credential', '=', k.credential)
      .where('key', '=', k.key)
      .executeTakeFirst();
  }

  /** Claims the key with an in-progress marker (status 0); false when a record already holds it. */
  async claim(row: Omit<Insertable<IdempotencyRecordTable>, 'status_code' | 'response_body'>): Promise<boolean> {
    try {
      await this.db
        .insertInto('idempotency_records')
        .values({ ...row, status_code: 0, response_body: '' })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async complete(k: RecordKey, status: number, body: string): Promise<void> {
    await this.db
      .updateTable('idempotency_records')
      .set({ status_code: status, response_body: body })
      .where('org_id', '=', k.orgId)
      .where('credential', '=', k.credential)
      .where('key', '=', k.key)
      .execute();
  }

  /** Deletes the record; with `createdBefore`, only when it is that old (an expired one, not a fresh claim). */
  async release(k: RecordKey, createdBefore?: number): Promise<void> {
    let q = this.db
      .deleteFrom('idempotency_records')
      .where('org_id', '=', k.orgId)
      .where('credential', '=', k.credential)
      .where('key', '=', k.key);
    if (createdBefore !== undefined) q = q.where('created_at', '<', createdBefore);
    await q.execute();
  }

  /** Deletes the records older than the TTL, and what an older version left in its own table. */
  async purgeExpired(now: number): Promise<number> {
    const at = now - IDEMPOTENCY_TTL_MS;
    const r = await this.db.deleteFrom('idempotency_records').where('created_at', '<', at).executeTakeFirst();
    await this.db.deleteFrom('idempotency_keys').where('created_at', '<', at).execute();
    return Number(r.numDeletedRows);
  }
}
