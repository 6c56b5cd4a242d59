// Ingest tokens (server-to-server position feeds) and the one device lookup their feeds need.
import type { Kysely, Selectable } from 'kysely';
import type { Database, DbTransaction, DeviceRow, IngestTokenTable } from '../../db/schema.js';
import { afterCursor } from '../../db/keyset.js';
import type { CursorKey } from '../../shared/pagination.js';

export type IngestTokenRow = Selectable<IngestTokenTable>;
type ListedToken = Omit<IngestTokenRow, 'token_hash' | 'created_by_user'>;

const LISTED = ['id', 'org_id', 'name', 'prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;

export class IngestTokensRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: IngestTokenRow, trx: Kysely<Database> | DbTransaction = this.db): Promise<void> {
    await trx.insertInto('ingest_tokens').values(row).execute();
  }

  /** A live token by its hash, with its org; unscoped on purpose: the token is what names the org. */
  findActiveByHash(hash: string): Promise<ListedToken | undefined> {
    return this.db.selectFrom('ingest_tokens').select(LISTED).where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('ingest_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Newest first, `limit + 1` rows from after the cursor. */
  list(orgId: string, after: CursorKey | undefined, limit: number): Promise<ListedToken[]> {
    let q = this.db.selectFrom('ingest_tokens').select(LISTED).where('org_id', '=', orgId);
    if (after) q = q.where(afterCursor('created_at', 'id', after));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }

  find(orgId: string, id: string): Promise<ListedToken | undefined> {
    return this.db.selectFrom('ingest_tokens').select(LISTED).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** Sets revoked_at on a live token; false when there is none with this id in the org. */
  async revoke(orgId: string, id: string, at: number, trx: Kysely<Database> | DbTransaction = this.db): Promise<boolean> {
    const r = await trx.updateTable('ingest_tokens').set({ revoked_at: at }).where('org_id', '=', orgId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revokes the live tokens made on this user's authority; returns their ids. */
  async revokeOfUser(orgId: string, userId: string, at: number): Promise<string[]> {
    const rows = await this.db
      .updateTable('ingest_tokens')
      .set({ revoked_at: at })
      .where('org_id', '=', orgId)
      .where('created_by_user', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** The org's device whose external id is exactly this (a feed names devices by their id in the other system). */
  deviceByExternalId(orgId: string, externalId: string): Promise<DeviceRow | undefined> {
    return this.db.selectFrom('devices').selectAll().where('org_id', '=', orgId).where('external_id', '=', externalId).executeTakeFirst();
  }
}
