// The only code touching sources and positions (and reading the stops/segments a link's scope
// depends on); device rows are devices.repository.ts's. Every org-data query is filtered by org_id.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import { orgCheckAfterSeek } from '../../db/org-filter.js';
import { afterCursor } from '../../db/keyset.js';
import { isForeignKeyViolation } from '../../db/index.js';
import { AppError } from '../../shared/errors.js';
import type { CursorKey } from '../../shared/pagination.js';
import type { Database, Layer, PositionTable, SourceRow } from '../../db/schema.js';
import type { TrackPoint } from './downsample.js';
import { insertUnnest, RowIndex, sqliteInsertRows, storedPoint } from './position-inserts.repository.js';

export interface StoredPoint {
  device_id: string;
  recorded_at: number;
  lat: number;
  lon: number;
  speed_mps: number | null;
  heading_deg: number | null;
  accuracy_m: number | null;
}

/** What a write of positions must still hold when it commits (a partner's share), held by `hold` in its transaction. */
export interface WriteGuard {
  hold: (trx: Transaction<Database>) => Promise<boolean>;
  /** What the 404 names when it no longer holds. */
  what: string;
}

export interface ShipmentShape {
  id: string;
  org_id: string;
  status: string;
  delivered_at: number | null;
  eta: number | null;
  eta_source: 'manual' | 'computed' | null;
  eta_calculated_at: number | null;
  stops: { seq: number; type: string; lat: number | null; lon: number | null; arrived_at: number | null; departed_at: number | null; window_end: number | null; eta: number | null }[];
  segments: { seq: number; from_stop: number | null; to_stop: number | null }[];
  sources: SourceRow[];
  /** Pallet scans with a stop: loading/unloading evidence for the inferred cargo layer. */
  scans: { stop_index: number | null; scanned_at: number }[];
}

// Rows per INSERT: 12 columns per row stays under the bound-parameter limits (SQLite ≥ 3.32:
// 32,766; PostgreSQL: 65,535), and a full API batch (MAX_BATCH) is one statement.
const CHUNK = 1000;
const POINT_COLUMNS = ['device_id', 'recorded_at', 'lat', 'lon', 'speed_mps', 'heading_deg', 'accuracy_m'] as const;

export class PositionsRepository {
  constructor(
    readonly db: Kysely<Database>,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

  /**
   * SQLite writes one transaction at a time, and each commit is an fsync on the event loop: the
   * inserts of concurrent requests are worth committing together (PositionsService).
   */
  get serialWrites(): boolean {
    return this.dialect === 'sqlite';
  }

  // ---- sources ----

  /** The device of a shipment attached under this name (partner devices are found this way). */
  findAttachedByName(orgId: string, shipmentId: string, name: string) {
    return this.db
      .selectFrom('devices')
      .innerJoin('sources', 'sources.device_id', 'devices.id')
      .selectAll('devices')
      .where('sources.org_id', '=', orgId)
      .where('sources.shipment_id', '=', shipmentId)
      .where('devices.name', '=', name)
      .executeTakeFirst();
  }

  async insertSource(row: SourceRow): Promise<void> {
    try {
      await this.db.insertInto('sources').values(row).execute();
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err;
      // The shipment or the device was deleted since the request found it: a 404 or a 400 as the
      // checks before would have answered, never a 500.
      if (!(await this.db.selectFrom('shipments').select('id').where('id', '=', row.shipment_id).executeTakeFirst())) throw AppError.notFound('Shipment');
      throw AppError.validation('No device with this id in your organization', [{ path: 'body/device_id', message: 'unknown device' }]);
    }
  }
  /** A page of the shipment's sources, oldest first: `limit + 1` rows from after the cursor. */
  pageSources(orgId: string, shipmentId: string, after: CursorKey | undefined, limit: number) {
    let q = this.db.selectFrom('sources').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', shipmentId);
    if (after) q = q.where(afterCursor('created_at', 'id', after, 'asc'));
    return q.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  }
  listSources(orgId: string, shipmentId: string) {
    return this.db.selectFrom('sources').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).orderBy('created_at').execute();
  }
  /**
   * Ends the source's attachment at `at` (the row stays, so what the shipment showed remains
   * explainable). Returns the row, with its existing end when it was detached already, or undefined.
   */
  async detachSource(orgId: string, shipmentId: string, id: string, at: number): Promise<SourceRow | undefined> {
    await this.db
      .updateTable('sources')
      .set({ detached_at: at })
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .where('id', '=', id)
      .where('detached_at', 'is', null)
      .execute();
    return this.db.selectFrom('sources').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('id', '=', id).executeTakeFirst();
  }
  /** Shipments a device feeds now (for live fan-out and ETA after ingestion): detached sources feed nothing. */
  shipmentsOfDevices(orgId: string, deviceIds: string[]) {
    if (!deviceIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('sources')
      .select(['shipment_id', 'device_id', 'layer'])
      .where('org_id', '=', orgId)
      .where('device_id', 'in', deviceIds)
      .where('detached_at', 'is', null)
      .execute();
  }

  // ---- positions ----

  /**
   * Inserts in one transaction; rows already stored (same device and recorded_at) are skipped.
   * Returns the rows actually inserted. The commit is the durability point of the API reply.
   * With `seenAt`, the devices that got positions are marked seen in the same transaction (one
   * commit, so one fsync on SQLite, per batch). With `announceOn` (PostgreSQL), the same
   * statement NOTIFYs that channel with the newest inserted position of each device (see
   * insertUnnest): notifications are delivered in commit order, so listeners see a device's
   * positions in the order they were stored.
   */
  async insertPositions(rows: Insertable<PositionTable>[], seenAt?: number, announceOn?: string, guard?: WriteGuard): Promise<StoredPoint[]> {
    return (await this.insertRows(rows, seenAt, announceOn, guard)).map((i) => storedPoint(rows[i]));
  }

  /** insertPositions, answering with the index in `rows` of each row stored. */
  private async insertRows(rows: Insertable<PositionTable>[], seenAt?: number, announceOn?: string, guard?: WriteGuard): Promise<number[]> {
    try {
      return await this.insertRowsOnce(rows, seenAt, announceOn, guard);
    } catch (err) {
      // A device deleted after its request authenticated: nothing was written (one transaction),
      // and the request gets a 404, not a 500.
      if (isForeignKeyViolation(err)) throw AppError.notFound('Device');
      throw err;
    }
  }

  private async insertRowsOnce(rows: Insertable<PositionTable>[], seenAt?: number, announceOn?: string, guard?: WriteGuard): Promise<number[]> {
    if (!rows.length) return [];
    // The store returns only the keys of the rows it took; the points come from the rows sent.
    // Within one batch the first of two rows with the same key is the one stored. The index of
    // keys is made only when keys come back (SQLite answers 'all' for a chunk of new rows).
    let firstOf: RowIndex | undefined;
    const indexesOf = (keys: readonly { device_id: string; recorded_at: number | string }[]) => (firstOf ??= new RowIndex(rows)).indexesOf(keys);
    if (this.dialect === 'postgres' && rows.length <= CHUNK && !guard) return indexesOf(await insertUnnest(this.db, rows, seenAt, announceOn));
    return this.db.transaction().execute(async (trx) => {
      if (guard && !(await guard.hold(trx))) throw AppError.notFound(guard.what);
      const inserted: number[] = [];
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.length <= CHUNK ? rows : rows.slice(i, i + CHUNK);
        const keys = this.dialect === 'postgres' ? await insertUnnest(trx, chunk, undefined, announceOn) : await sqliteInsertRows(trx, chunk);
        // Every row of the chunk stored: each is the first of its key (an earlier one would have
        // made it a conflict), at its own index.
        if (keys === 'all') for (let k = 0; k < chunk.length; k++) inserted.push(i + k);
        else for (const k of indexesOf(keys)) inserted.push(k);
      }
      if (seenAt !== undefined && inserted.length) {
        const ids = [...new Set(inserted.map((k) => rows[k].device_id))];
        // In id order, as insertUnnest does, so that concurrent batches cannot deadlock.
        if (this.dialect === 'postgres') await trx.selectFrom('devices').select('id').where('id', 'in', ids).orderBy('id').forNoKeyUpdate().execute();
        await trx.updateTable('devices').set({ last_seen_at: seenAt }).where('id', 'in', ids).execute();
      }
      return inserted;
    });
  }

  /**
   * Several callers' inserts (each a request's rows) in one transaction, as insertPositions: one
   * commit for all. Returns each caller's inserted rows. A key sent by two callers is stored once
   * and reported to the first of them, as if each had committed on its own in this order; the
   * devices are marked seen at the latest `seenAt` of the callers.
   */
  async insertPositionGroups(groups: readonly { rows: Insertable<PositionTable>[]; seenAt: number }[], announceOn?: string): Promise<StoredPoint[][]> {
    if (groups.length === 1) return [await this.insertPositions(groups[0].rows, groups[0].seenAt, announceOn)];
    // One row list; a stored row's index (that of the first of its key) says whose it was.
    const all: Insertable<PositionTable>[] = [];
    const ends: number[] = [];
    let seenAt = -Infinity;
    for (const g of groups) {
      for (const r of g.rows) all.push(r);
      ends.push(all.length);
      if (g.seenAt > seenAt) seenAt = g.seenAt;
    }
    const out = groups.map((): StoredPoint[] => []);
    let g = 0;
    // Indexes come in no promised order: find the group from the start when one goes back.
    for (const i of await this.insertRows(all, seenAt, announceOn)) {
      if (g > 0 && i < ends[g - 1]) g = 0;
      while (i >= ends[g]) g++;
      out[g].push(storedPoint(all[i]));
    }
    return out;
  }

  /** `org_id = ?` beside the device's own condition (db/org-filter.ts: SQLite seeks the device index). */
  private ofOrg(orgId: string) {
    return orgCheckAfterSeek(this.dialect, 'org_id', orgId);
  }

  /** A device's positions, only the three columns a track needs. */
  private trackOf(orgId: string, deviceId: string) {
    return this.db.selectFrom('positions').select(['recorded_at', 'lat', 'lon']).where(this.ofOrg(orgId)).where('device_id', '=', deviceId);
  }

  /**
   * The track of a device in [from, to] as [epoch ms, lat, lon], oldest first: the newest `limit`
   * points when there are more. Only the three columns a history needs, no per-point objects kept.
   */
  async trackBetween(orgId: string, deviceId: string, from: number, to: number, limit: number): Promise<TrackPoint[]> {
    const rows = await this.trackOf(orgId, deviceId)
      .where('recorded_at', '>=', from)
      .where('recorded_at', '<=', to)
      .orderBy('recorded_at', 'desc')
      .limit(limit)
      .execute();
    const n = rows.length;
    const out = new Array<TrackPoint>(n);
    for (let i = 0; i < n; i++) {
      const r = rows[n - 1 - i];
      out[i] = [Number(r.recorded_at), r.lat, r.lon];
    }
    return out;
  }

  /**
   * Count and time range of a device's positions in [from, to], as three subqueries so each stays
   * an index-only scan or seek on (device_id, recorded_at) (a combined count/min/max costs twice
   * the count on SQLite). The org check is an uncorrelated EXISTS on the device, evaluated once.
   */
  async trackStats(orgId: string, deviceId: string, from: number, to: number): Promise<{ n: number; first: number; last: number }> {
    const range = this.db
      .selectFrom('positions')
      .where('device_id', '=', deviceId)
      .where('recorded_at', '>=', from)
      .where('recorded_at', '<=', to)
      .where((eb) => eb.exists(eb.selectFrom('devices').select(sql<number>`1`.as('one')).where('devices.id', '=', deviceId).where('devices.org_id', '=', orgId)));
    const r = await this.db
      .selectNoFrom([
        range.select((eb) => eb.fn.countAll().as('n')).as('n'),
        range.select((eb) => eb.fn.min('recorded_at').as('t')).as('first'),
        range.select((eb) => eb.fn.max('recorded_at').as('t')).as('last'),
      ])
      .executeTakeFirstOrThrow();
    return { n: Number(r.n ?? 0), first: Number(r.first ?? 0), last: Number(r.last ?? 0) };
  }

  /**
   * The first stored point of each `width`-ms time bucket from `first` to `last` (a device's real
   * positions, evenly spread in time), oldest first: lets a long history be downsampled without
   * reading every row out of the store. One index seek per bucket (a recursive CTE of bucket
   * starts), so the cost follows the number of buckets, not of positions.
   */
  async trackSampled(orgId: string, deviceId: string, first: number, last: number, width: number): Promise<TrackPoint[]> {
    if (this.dialect === 'sqlite') {
      // SQLite: the bucket's seek on (device_id, recorded_at) yields the row's rowid (every index
      // holds it), and the row is fetched by rowid: one seek less per bucket than looking the time up
      // again (that second look-up was a third of this query's time). CROSS JOIN keeps the
      // buckets the outer loop, so rows come in time order; the sort below then costs one pass.
      const { rows } = await sql<{ recorded_at: number; lat: number; lon: number }>`WITH RECURSIVE b(s) AS (SELECT CAST(${first} AS BIGINT) UNION ALL SELECT s + ${width} FROM b WHERE s + ${width} <= ${last})
        SELECT p.recorded_at, p.lat, p.lon FROM b CROSS JOIN positions p ON p.rowid = (SELECT q.rowid FROM positions q WHERE q.device_id = ${deviceId} AND q.recorded_at >= b.s AND q.recorded_at < b.s + ${width} ORDER BY q.recorded_at LIMIT 1)
        WHERE p.org_id = ${orgId}`.execute(this.db);
      return rows.map((r): TrackPoint => [Number(r.recorded_at), r.lat, r.lon]).sort((a, b) => a[0] - b[0]);
    }
    const firstOfEachBucket = sql<number>`(WITH RECURSIVE b(s) AS (SELECT CAST(${first} AS BIGINT) UNION ALL SELECT s + ${width} FROM b WHERE s + ${width} <= ${last})
      SELECT (SELECT min(q.recorded_at) FROM positions q WHERE q.device_id = ${deviceId} AND q.recorded_at >= b.s AND q.recorded_at < b.s + ${width}) FROM b)`;
    const rows = await this.trackOf(orgId, deviceId)
      .where('recorded_at', 'in', firstOfEachBucket)
      .orderBy('recorded_at', 'asc')
      .execute();
    return rows.map((r) => [Number(r.recorded_at), r.lat, r.lon]);
  }

  /** Positions of a device in [from, to], oldest first, capped. */
  pointsBetween(orgId: string, deviceId: string, from: number, to: number, limit: number) {
    return this.between(orgId, deviceId, from, to).orderBy('recorded_at', 'asc').limit(limit).execute();
  }

  /** The newest position of a device in [from, to]. */
  latestBetween(orgId: string, deviceId: string, from: number, to: number) {
    return this.between(orgId, deviceId, from, to).orderBy('recorded_at', 'desc').limit(1).executeTakeFirst();
  }

  /**
   * The newest position in each of several (device, [from, to]) windows, in one query (a union of
   * one indexed seek per window): a link's current positions cost one round trip however many
   * devices and windows it shows. `k` is the window's index in `windows`; empty windows have no row.
   */
  async latestInEach(orgId: string, windows: readonly { deviceId: string; from: number; to: number }[]): Promise<(StoredPoint & { k: number })[]> {
    if (!windows.length) return [];
    const arm = (w: (typeof windows)[number], k: number) =>
      this.db
        .selectFrom(this.between(orgId, w.deviceId, w.from, w.to).orderBy('recorded_at', 'desc').limit(1).as('w'))
        .selectAll()
        .select(sql.lit(k).as('k'));
    let q = arm(windows[0], 0);
    for (let i = 1; i < windows.length; i++) q = q.unionAll(arm(windows[i], i));
    return (await q.execute()) as (StoredPoint & { k: number })[];
  }

  private between(orgId: string, deviceId: string, from: number, to: number) {
    return this.db
      .selectFrom('positions')
      .select([...POINT_COLUMNS])
      .where(this.ofOrg(orgId))
      .where('device_id', '=', deviceId)
      .where('recorded_at', '>=', from)
      .where('recorded_at', '<=', to);
  }

  /** Newest positions of a device in [from, to], newest first (ETA speed estimate within an attachment window). */
  recentBetween(orgId: string, deviceId: string, from: number, to: number, limit: number) {
    return this.between(orgId, deviceId, from, to).orderBy('recorded_at', 'desc').limit(limit).execute();
  }

  /** Newest positions of a device, newest first. */
  recent(orgId: string, deviceId: string, limit: number) {
    return this.db
      .selectFrom('positions')
      .select([...POINT_COLUMNS])
      .where(this.ofOrg(orgId))
      .where('device_id', '=', deviceId)
      .orderBy('recorded_at', 'desc')
      .limit(limit)
      .execute();
  }

  countForDevice(orgId: string, deviceId: string) {
    return this.db
      .selectFrom('positions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(this.ofOrg(orgId))
      .where('device_id', '=', deviceId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  // ---- what a scope depends on ----

  async shipmentShape(orgId: string, shipmentId: string): Promise<ShipmentShape | null> {
    const s = await this.db
      .selectFrom('shipments')
      .select(['id', 'org_id', 'status', 'delivered_at', 'eta', 'eta_source', 'eta_calculated_at'])
      .where('org_id', '=', orgId)
      .where('id', '=', shipmentId)
      .executeTakeFirst();
    if (!s) return null;
    const [stops, segments, sources, scans] = await Promise.all([
      this.db
        .selectFrom('stops')
        .select(['seq', 'type', 'lat', 'lon', 'arrived_at', 'departed_at', 'window_end', 'eta'])
        .where('org_id', '=', orgId)
        .where('shipment_id', '=', shipmentId)
        .orderBy('seq')
        .execute(),
      this.db.selectFrom('segments').select(['seq', 'from_stop', 'to_stop']).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).orderBy('seq').execute(),
      this.listSources(orgId, shipmentId),
      this.db
        .selectFrom('pallet_scans')
        .select(['stop_index', 'scanned_at'])
        .where('org_id', '=', orgId)
        .where('shipment_id', '=', shipmentId)
        .where('stop_index', 'is not', null)
        .execute(),
    ]);
    return { ...s, stops, segments, sources, scans };
  }
}

export type { Layer };
