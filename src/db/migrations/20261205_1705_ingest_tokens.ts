// Ingest tokens: an org's credential for server-to-server position feeds (Traccar's position
// forwarding). Stored as a SHA-256 hash like API keys and device tokens; a token only feeds
// positions of its own org's devices, so it is a separate table rather than an API key role.
import type { Kysely, Migration } from 'kysely';

export const ingestTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ingest_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('ingest_tokens_org').on('ingest_tokens').columns(['org_id', 'created_at']).execute();
  },
};
