// Outbox claims carry a token: the worker holding a claim renews its lease while it sends (a long
// delivery is not taken over by another worker) and settles the row by token, not by lease time.
import type { Kysely, Migration } from 'kysely';

export const outboxClaimToken: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('outbox').addColumn('claim_token', 'text').execute();
  },
};
