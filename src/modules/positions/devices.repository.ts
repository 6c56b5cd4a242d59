// The only code touching device rows: registration, look-ups by id, external id or token hash,
// credentials, deletion. Every org-data query is filtered by org_id, except the two look-ups whose
// credential names the org (a token hash, a generated external id).
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import { orgCheckAfterSeek } from '../../db/org-filter.js';
import { afterCursor } from '../../db/keyset.js';
import { precompile, withValues, type Precompiled } from '../../db/precompiled.js';
import type { Database, DeviceRow } from '../../db/schema.js';
import type { CursorKey } from '../../shared/pagination.js';

export class DevicesRepository {
  /** findDevices' query by the number of refs it takes (a power of two). */
  private readonly namedQueries = new Map<number, Precompiled>();

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
    return this.named(orgId, [idOrExternal], [idOrExternal]).executeTakeFirst();
  }
  /**
   * The org's devices whose id or external id is one of `refs` (a batch's device_id values), in one
   * query. Every API batch asks this, and building and compiling the query cost more than SQLite
   * takes to run it, so it is compiled once per size: the refs are padded to a power of two with
   * the last one (harmless in IN), at most 11 shapes for batches of up to 1,000.
   */
  async findDevices(orgId: string, refs: readonly string[]): Promise<DeviceRow[]> {
    if (!refs.length) return [];
    const padded = [...refs];
    const size = 2 ** Math.ceil(Math.log2(padded.length));
    while (padded.length < size) padded.push(padded[padded.length - 1]);
    let c = this.namedQueries.get(size);
    if (!c) {
      // Each ref is a value twice (an id, an external id): a mark for each place.
      const marks = { org: '\u0000org', ids: padded.map((_, i) => `\u0000id${i}`), externalIds: padded.map((_, i) => `\u0000external${i}`) };
      c = precompile(this.named(marks.org, marks.ids, marks.externalIds), this.dialect, [marks.org, ...marks.ids, ...marks.externalIds]);
      this.namedQueries.set(size, c);
    }
    return (await withValues<DeviceRow>(c, [orgId, ...padded, ...padded]).execute(this.db)).rows;
  }
  /**
   * SQLite keeps no statistics unless ANALYZE runs, and without them it read `org_id = ? AND
   * (id IN (…) OR external_id IN (…))` with two refs or more through (org_id, external_id): every
   * device of the org, checked one by one (an ingest batch naming 20 devices of an org's 20,000
   * took 15 ms). The unary plus keeps SQLite from using an index for the org check, so each ref
   * is looked up by id and by external id and the org check filters the rows found. PostgreSQL
   * keeps statistics and is left as it was.
   */
  private named(orgId: string, ids: readonly string[], externalIds: readonly string[]) {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where(orgCheckAfterSeek(this.dialect, 'org_id', orgId))
      .where((eb) => eb.or([eb('id', 'in', ids), eb('external_id', 'in', externalIds)]));
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
