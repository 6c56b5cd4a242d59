// A shipment's notifications (GET /api/v1/outbox?shipment_id=) are listed newest first by
// (created_at, id): an index in that order, so the list reads that shipment's rows only and not
// every email and webhook of the org (the outbox is never purged).
import type { Kysely, Migration } from 'kysely';

export const outboxShipmentCreated: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('outbox_shipment_created').on('outbox').columns(['shipment_id', 'created_at', 'id']).execute();
  },
};
