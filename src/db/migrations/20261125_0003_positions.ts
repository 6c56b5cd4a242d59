// Indexes for positions: device-token lookup on ingestion, and the retention job's per-org scan.
import type { Kysely, Migration } from 'kysely';

export const positionsIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('devices_token_hash').on('devices').column('token_hash').execute();
    await db.schema.createIndex('positions_org_time').on('positions').columns(['org_id', 'recorded_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('positions_org_time').execute();
    await db.schema.dropIndex('devices_token_hash').execute();
  },
};
