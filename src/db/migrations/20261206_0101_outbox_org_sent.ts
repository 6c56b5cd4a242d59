// The emails an organization had sent in the last 24 hours are counted before each batch is sent
// (EMAIL_DAILY_LIMIT): an index on when they were sent, so the count reads only that day's rows.
import type { Kysely, Migration } from 'kysely';

export const outboxOrgSent: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('outbox_org_kind_sent').on('outbox').columns(['org_id', 'kind', 'sent_at']).execute();
  },
};
