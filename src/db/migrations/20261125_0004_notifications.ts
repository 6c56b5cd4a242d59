// Indexes for the notifications module: the outbox as the API lists it (per org, newest first)
// and the enabled tasks looked up inside every shipment event's transaction.
import type { Kysely } from 'kysely';

export const notificationsIndexes = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('outbox_org_created').on('outbox').columns(['org_id', 'created_at']).execute();
    await db.schema.createIndex('contact_tasks_org_trigger').on('contact_tasks').columns(['org_id', 'trigger']).execute();
    await db.schema.createIndex('webhooks_org').on('webhooks').column('org_id').execute();
  },
};
