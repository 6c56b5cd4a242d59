// The only code touching device rows: registration, look-ups by id, external id or token hash,
// credentials, deletion. Every org-data query is filtered by org_id, except the two look-ups whose
// credential names the org (a token hash, a generated external id).
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import { orgCheckAfterSeek } from '../../db/org-filter.js';
import { afterCursor } from '../../db/keyset.js';
import type { Database, DeviceRow } from '../../db/schema.js';
import type { CursorKey } from '../../shared/pagination.js';

export class DevicesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insertDevice(row: DeviceRow): Promise<void> {
    await this.db.insertInto('devices').values(row).execute();
  }
  /** Newest first, `limit + 1` rows from after the cursor. */
  listDevices(orgId: string, after: CursorKey | undefined, limit: number) {
    let q = this.db.selectFrom('devices').selectAll().where('org_id', '=', orgId);
    if (after) q = q.where(afterCursor('created_at', 'id', after));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
  findDevice(orgId: string, idOrExternal: string) {
    return this.named(orgId, [idOrExternal]).executeTakeFirst();
  }
  /** The org's devices whose id or external id is one of `refs` (a batch's device_id values), in one query. */
  findDevices(orgId: string, refs: readonly string[]) {
    if (!refs.length) return Promise.resolve([]);
    return this.named(orgId, refs).execute();
  }
  /**
   * SQLite keeps no statistics unless ANALYZE runs, and without them it read `org_id = ? AND
   * (id IN (…) OR external_id IN (…))` with two refs or more through (org_id, external_id): every
   * device of the org, checked one by one (an ingest batch naming 20 devices of an org's 20,000
   * took 15 ms). The unary plus keeps SQLite from using an index for the org check, so each ref
   * is looked up by id and by external id and the org check filters the rows found. PostgreSQL
   * keeps statistics and is left as it was.
   */
  private named(orgId: string, refs: readonly string[]) {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where(orgCheckAfterSeek(this.dialect, 'org_id', orgId))
      .where((eb) => eb.or([eb('id', 'in', refs), eb('external_id', 'in', refs)]));
  }
  /** Unscoped: the bare OsmAnd URL knows an external id, not an org; only generated ids qualify. */
  findGeneratedByExternalId(externalId: string, max: number) {
    return this.db.selectFrom('devices').selectAll().where('external_id', '=', externalId).where('external_id_generated', '=', 1).limit(max).execute();
  }
  /**
   * The device's new token, and `generatedExternalId` as its external id if the server generated
   * the one it has (a generated id is a credential on the bare OsmAnd URL); a chosen id stays.
   */
  async setDeviceCredentials(orgId: string, id: string, tokenHash: string, generatedExternalId: string): Promise<DeviceRow | undefined> {
    return this.db
      .updateTable('devices')
      .set((eb) => ({
        token_hash: tokenHash,
        external_id: eb.case().when('external_id_generated', '=', 1).then(generatedExternalId).else(eb.ref('external_id')).end(),
      }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
  /** Unscoped: a device token identifies its org. */
  findDeviceByTokenHash(hash: string) {
    return this.db.selectFrom('devices').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }
  async deleteDevice(orgId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('devices').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
