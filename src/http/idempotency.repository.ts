import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/index.js';

export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(orgId: string, key: string) {
    return this.db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).where('key', '=', key).executeTakeFirst();
  }

  /** Claims the key with an in-progress marker (status 0); false when another request holds it. */
  async claim(orgId: string, key: string, method: string, path: string, requestHash: string, at: number): Promise<boolean> {
    try {
      await this.db
        .insertInto('idempotency_keys')
        .values({ org_id: orgId, key, method, path, request_hash: requestHash, status_code: 0, response_body: '', created_at: at })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async complete(orgId: string, key: string, status: number, body: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status_code: status, response_body: body })
      .where('org_id', '=', orgId)
      .where('key', '=', key)
      .execute();
  }

  async release(orgId: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('key', '=', key).execute();
  }

  async purgeOlderThan(at: number): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('created_at', '<', at).execute();
  }
}
