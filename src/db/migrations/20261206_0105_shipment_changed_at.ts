// shipments.changed_at: when each piece a partner or a link may show last changed, as JSON
// ({"title": <ms>, "stops.name": <ms>, …}; shipments/change-times.ts). The partner's and the
// public view's updated_at add the times of the pieces they show, so an edit of what they show
// moves it and an edit of what they hide does not. Nullable: existing shipments have no record
// (their views use their own times, as before), and an older instance still inserts without it.
import type { Kysely, Migration } from 'kysely';

export const shipmentChangedAt: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('shipments').addColumn('changed_at', 'text').execute();
  },
};
