// Ingest tokens remember the user on whose authority they were made, like API keys
// (20261201_0702_api_key_owner): disabling, deleting or demoting that user below admin revokes
// them, so a token in a Traccar server's config never outlives the person who could make it.
import type { Kysely, Migration } from 'kysely';

export const ingestTokenOwner: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('ingest_tokens').addColumn('created_by_user', 'text').execute();
    await db.schema.createIndex('ingest_tokens_created_by_user').on('ingest_tokens').columns(['org_id', 'created_by_user']).execute();
  },
};
