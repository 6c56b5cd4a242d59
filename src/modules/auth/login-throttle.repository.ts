// Counts of failed sign-ins per account (see login-throttle.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export class LoginThrottleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(account: string) {
    return this.db.selectFrom('login_failures').select(['failures', 'last_failure_at']).where('account', '=', account).executeTakeFirst();
  }

  /** One more failure; a count whose last failure is older than `forgetBefore` starts again at 1. */
  async recordFailure(account: string, now: number, forgetBefore: number): Promise<void> {
    await this.db
      .insertInto('login_failures')
      .values({ account, failures: 1, last_failure_at: now })
      .onConflict((oc) =>
        oc.column('account').doUpdateSet((eb) => ({
          failures: eb.case().when('login_failures.last_failure_at', '<', forgetBefore).then(1).else(eb('login_failures.failures', '+', 1)).end(),
          last_failure_at: now,
        })),
      )
      .execute();
  }

  async purgeOlderThan(at: number): Promise<void> {
    await this.db.deleteFrom('login_failures').where('last_failure_at', '<', at).execute();
  }
}
