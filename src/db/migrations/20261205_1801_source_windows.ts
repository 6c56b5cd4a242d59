// Sources get an attachment window: attached_at (when the device started carrying the shipment;
// may lie before the row was created, e.g. for an import) and detached_at (set when it is
// detached; the row stays so the history remains explainable). Public positions are bounded by
// these windows, so a device reused from an earlier shipment never replays that trip.
// Both nullable: an older instance still inserts sources without them, and a missing
// attached_at reads as created_at (positions/scope.ts attachmentWindow).
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

export const sourceWindows: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sources').addColumn('attached_at', 'bigint').execute();
    await db.schema.alterTable('sources').addColumn('detached_at', 'bigint').execute();
    // Existing attachments started when they were made.
    await sql`update sources set attached_at = created_at where attached_at is null`.execute(db);
  },
};
