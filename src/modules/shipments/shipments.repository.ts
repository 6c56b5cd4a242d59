// The only code that touches shipment tables. Every query is scoped by org_id.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type {
  CargoLineTable,
  Database,
  NoteTable,
  PalletScanTable,
  PhotoTable,
  SegmentTable,
  ShipmentContactTable,
  ShipmentEventTable,
  ShipmentTable,
  StopTable,
} from '../../db/schema.js';
import { isUniqueViolation } from '../../db/index.js';
import { afterCursor } from '../../db/keyset.js';
import { AppError } from '../../shared/errors.js';
import type { CursorKey } from '../../shared/pagination.js';

export type Db = Kysely<Database> | Transaction<Database>;

export interface ShipmentChildren {
  stops: Insertable<StopTable>[];
  cargo: Insertable<CargoLineTable>[];
  segments: Insertable<SegmentTable>[];
  contacts: Insertable<ShipmentContactTable>[];
}

function translate(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw AppError.conflict('A shipment with this reference already exists', [{ path: 'body/reference', message: 'already in use' }]);
  }
  throw err;
}

export class ShipmentsRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async insert(trx: Db, row: Insertable<ShipmentTable>, children: ShipmentChildren): Promise<void> {
    try {
      await trx.insertInto('shipments').values(row).execute();
    } catch (err) {
      translate(err);
    }
    await this.insertChildren(trx, children);
  }

  private async insertChildren(trx: Db, c: Partial<ShipmentChildren>): Promise<void> {
    if (c.stops?.length) await trx.insertInto('stops').values(c.stops).execute();
    if (c.cargo?.length) await trx.insertInto('cargo_lines').values(c.cargo).execute();
    if (c.segments?.length) await trx.insertInto('segments').values(c.segments).execute();
    if (c.contacts?.length) await trx.insertInto('shipment_contacts').values(c.contacts).execute();
  }

  /** Replaces the given child collections whole (PATCH semantics for nested arrays). */
  async replaceChildren(trx: Db, orgId: string, shipmentId: string, c: Partial<ShipmentChildren>): Promise<void> {
    const tables = { stops: 'stops', cargo: 'cargo_lines', segments: 'segments', contacts: 'shipment_contacts' } as const;
    for (const key of Object.keys(tables) as (keyof typeof tables)[]) {
      if (c[key] === undefined) continue;
      await trx.deleteFrom(tables[key]).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).execute();
    }
    await this.insertChildren(trx, c);
  }

  async update(trx: Db, orgId: string, id: string, patch: Updateable<ShipmentTable>): Promise<void> {
    try {
      await trx.updateTable('shipments').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
    } catch (err) {
      translate(err);
    }
  }

  /**
   * A computed ETA, unless the shipment's ETA is manual. One conditional UPDATE, not a read and a
   * write: PostgreSQL re-checks the condition on the row as committed by a change that held it,
   * so a manual ETA committed meanwhile is never overwritten.
   */
  async setEtaUnlessManual(trx: Db, orgId: string, id: string, eta: number | null, calculatedAt: number): Promise<void> {
    await trx
      .updateTable('shipments')
      .set({ eta, eta_source: eta === null ? null : 'computed', eta_calculated_at: calculatedAt })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('eta_source', 'is', null), eb('eta_source', '!=', 'manual')]))
      .execute();
  }

  async touch(trx: Db, orgId: string, id: string, at: number): Promise<void> {
    await trx.updateTable('shipments').set({ updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  /**
   * The caller's shipment inside a write transaction, locked for it: updating the row first holds
   * PostgreSQL's row lock until commit (SQLite runs one write transaction at a time anyway), so
   * two changes to one shipment's stops run one after the other and neither loses the other's.
   */
  async lockForChange(trx: Db, orgId: string, id: string, at: number) {
    await this.touch(trx, orgId, id, at);
    return this.find(orgId, id, trx);
  }

  find(orgId: string, id: string, trx: Db = this.db) {
    return trx.selectFrom('shipments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** A shipment of another org that it shared with `partnerOrgId` (a connected partner). */
  findSharedWith(partnerOrgId: string, id: string, trx: Db = this.db) {
    return trx
      .selectFrom('shipments')
      .innerJoin('shipment_partners', 'shipment_partners.shipment_id', 'shipments.id')
      .selectAll('shipments')
      .where('shipment_partners.partner_org_id', '=', partnerOrgId)
      .where('shipments.id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Holds the share of the shipment with the partner for the transaction (written unchanged);
   * false when there is none. An unshare or a disconnection waits for what the partner writes.
   */
  async holdShare(trx: Db, partnerOrgId: string, id: string): Promise<boolean> {
    const r = await trx.updateTable('shipment_partners').set((eb) => ({ created_at: eb.ref('created_at') })).where('shipment_id', '=', id).where('partner_org_id', '=', partnerOrgId).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Names of the orgs that shared shipments, for their partners' views. */
  async orgNames(ids: string[], trx: Db = this.db): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await trx.selectFrom('orgs').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Unscoped by design: used only where the caller already proved access (public links by slug). */
  findById(id: string) {
    return this.db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async children(orgId: string, shipmentId: string, trx: Db = this.db) {
    return (await this.childrenOf([{ orgId, shipmentId }], trx)).get(shipmentId) ?? emptyChildren();
  }

  /** Children of many shipments in one query per table (lists must not cost 7 queries a row). */
  async childrenOf(keys: { orgId: string; shipmentId: string }[], trx: Db = this.db) {
    const out = new Map<string, ReturnType<typeof emptyChildren>>();
    if (!keys.length) return out;
    const ids = [...new Set(keys.map((k) => k.shipmentId))];
    const orgs = [...new Set(keys.map((k) => k.orgId))];
    const [stops, segments, cargo, scans, photos, notes, contacts] = await Promise.all([
      trx.selectFrom('stops').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('seq').execute(),
      trx.selectFrom('segments').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('seq').execute(),
      trx.selectFrom('cargo_lines').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('seq').execute(),
      trx.selectFrom('pallet_scans').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('scanned_at').orderBy('id').execute(),
      trx.selectFrom('photos').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
      trx.selectFrom('notes').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
      trx.selectFrom('shipment_contacts').selectAll().where('org_id', 'in', orgs).where('shipment_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
    ]);
    for (const id of ids) out.set(id, emptyChildren());
    const put = <K extends keyof ReturnType<typeof emptyChildren>>(key: K, rows: ReturnType<typeof emptyChildren>[K]) => {
      for (const r of rows) (out.get(r.shipment_id)?.[key] as typeof rows | undefined)?.push(r as never);
    };
    put('stops', stops);
    put('segments', segments);
    put('cargo', cargo);
    put('scans', scans);
    put('photos', photos);
    put('notes', notes);
    put('contacts', contacts);
    return out;
  }

  /** How many of the org's own shipments sort after `before` newest first (what a walk from there has left). */
  async countOwnAfter(orgId: string, before: { at: number; id: string }): Promise<number> {
    const r = await this.db
      .selectFrom('shipments')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('org_id', '=', orgId)
      .where(afterCursor('created_at', 'id', before))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * The org's own shipments, those shared with it (`shared`), or both (`includeShared`). Filters
   * on data a partner may not see (customer reference, tracking links) match only own rows.
   */
  list(
    orgId: string,
    q: {
      status?: string;
      kind?: string;
      reference?: string;
      q?: string;
      tracked?: boolean;
      shared?: boolean;
      includeShared?: boolean;
      before?: { at: number; id: string };
      limit: number;
    },
  ) {
    let query = this.db.selectFrom('shipments').selectAll('shipments');
    const sharedWithMe = this.db.selectFrom('shipment_partners').select('shipment_partners.shipment_id').where('shipment_partners.partner_org_id', '=', orgId);
    if (q.shared) {
      query = query.where('shipments.id', 'in', sharedWithMe).where('shipments.org_id', '!=', orgId);
    } else if (q.includeShared) {
      query = query.where((eb) => eb.or([eb('shipments.org_id', '=', orgId), eb('shipments.id', 'in', sharedWithMe)]));
    } else {
      query = query.where('shipments.org_id', '=', orgId);
    }
    if (q.status) query = query.where('shipments.status', '=', q.status as ShipmentTable['status']);
    if (q.kind) query = query.where('shipments.kind', '=', q.kind as ShipmentTable['kind']);
    if (q.reference) query = query.where('shipments.reference', '=', q.reference);
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          contains('shipments.reference', like),
          contains('shipments.title', like),
          // A partner must not find shared shipments by a customer reference it cannot see.
          eb.and([eb('shipments.org_id', '=', orgId), contains('shipments.customer_reference', like)]),
        ]),
      );
    }
    if (q.tracked !== undefined) {
      // Tracking links are the owner's: the filter is about one's own shipments only.
      const active = this.db.selectFrom('tracking_links').select('tracking_links.shipment_id').where('tracking_links.org_id', '=', orgId).where('tracking_links.state', '=', 'active');
      query = query.where('shipments.org_id', '=', orgId).where('shipments.id', q.tracked ? 'in' : 'not in', active);
    }
    if (q.before) query = query.where(afterCursor('shipments.created_at', 'shipments.id', q.before));
    return query.orderBy('shipments.created_at', 'desc').orderBy('shipments.id', 'desc').limit(q.limit + 1).execute();
  }

  async delete(trx: Db, orgId: string, id: string): Promise<void> {
    await trx.deleteFrom('shipments').where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  async insertEvent(trx: Db, row: Insertable<ShipmentEventTable>): Promise<void> {
    await trx.insertInto('shipment_events').values(row).execute();
  }

  listEvents(orgId: string, shipmentId: string) {
    return this.db
      .selectFrom('shipment_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .orderBy('occurred_at')
      .orderBy('created_at')
      .execute();
  }

  /** The newest stage and status changes (the public timeline's), newest first, at most `limit`. */
  listChanges(orgId: string, shipmentId: string, limit: number) {
    return this.db
      .selectFrom('shipment_events')
      .select(['type', 'data', 'occurred_at'])
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .where('type', 'in', ['stage_changed', 'status_changed'])
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** A page of the shipment's timeline, oldest first: `limit + 1` rows from after the cursor. */
  pageEvents(orgId: string, shipmentId: string, after: CursorKey | undefined, limit: number) {
    let q = this.db.selectFrom('shipment_events').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', shipmentId);
    if (after) q = q.where(afterCursor('occurred_at', 'id', after, 'asc'));
    return q.orderBy('occurred_at').orderBy('id').limit(limit + 1).execute();
  }

  async updateStop(trx: Db, orgId: string, shipmentId: string, seq: number, patch: Updateable<StopTable>): Promise<void> {
    await trx.updateTable('stops').set(patch).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('seq', '=', seq).execute();
  }

  async insertStop(trx: Db, row: Insertable<StopTable>): Promise<void> {
    await trx.insertInto('stops').values(row).execute();
  }

  async deleteStop(trx: Db, orgId: string, shipmentId: string, seq: number): Promise<void> {
    await trx.deleteFrom('stops').where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('seq', '=', seq).execute();
    // Pallet scans at the removed stop keep their record (code, place, time) but point nowhere.
    await trx.updateTable('pallet_scans').set({ stop_index: null }).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('stop_index', '=', seq).execute();
  }

  /**
   * Moves every stop index from `from` on by `delta` (+1 after an insert, -1 after a delete): the
   * stops' own positions and what refers to them by index, segments and pallet scans.
   */
  async shiftStopIndexes(trx: Db, orgId: string, shipmentId: string, from: number, delta: 1 | -1): Promise<void> {
    await trx.updateTable('stops').set((eb) => ({ seq: eb('seq', '+', delta) })).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('seq', '>=', from).execute();
    for (const column of ['from_stop', 'to_stop'] as const) {
      await trx.updateTable('segments').set((eb) => ({ [column]: eb(column, '+', delta) })).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where(column, '>=', from).execute();
    }
    await trx.updateTable('pallet_scans').set((eb) => ({ stop_index: eb('stop_index', '+', delta) })).where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('stop_index', '>=', from).execute();
  }

  async insertNote(trx: Db, row: Insertable<NoteTable>): Promise<void> {
    await trx.insertInto('notes').values(row).execute();
  }
  /** The deleted note's scope, or null when there was no such note. */
  async deleteNote(trx: Db, orgId: string, shipmentId: string, noteId: string): Promise<NoteTable['scope'] | null> {
    const r = await trx.deleteFrom('notes').where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('id', '=', noteId).returning('scope').executeTakeFirst();
    return r?.scope ?? null;
  }

  async insertPhoto(trx: Db, row: Insertable<PhotoTable>): Promise<void> {
    await trx.insertInto('photos').values(row).execute();
  }
  findPhoto(orgId: string, shipmentId: string, photoId: string, trx: Db = this.db) {
    return trx
      .selectFrom('photos')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .where('id', '=', photoId)
      .executeTakeFirst();
  }
  async deletePhoto(trx: Db, orgId: string, shipmentId: string, photoId: string): Promise<void> {
    await trx.deleteFrom('photos').where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).where('id', '=', photoId).execute();
  }
  listFiles(orgId: string, shipmentId: string) {
    return this.db.selectFrom('photos').select('file').where('org_id', '=', orgId).where('shipment_id', '=', shipmentId).execute();
  }

  async insertPalletScan(trx: Db, row: Insertable<PalletScanTable>): Promise<void> {
    await trx.insertInto('pallet_scans').values(row).execute();
  }

  async insertContact(trx: Db, row: Insertable<ShipmentContactTable>): Promise<void> {
    await trx.insertInto('shipment_contacts').values(row).execute();
  }
  async deleteContact(trx: Db, orgId: string, shipmentId: string, contactId: string): Promise<boolean> {
    const r = await trx
      .deleteFrom('shipment_contacts')
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .where('id', '=', contactId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/**
 * Case-insensitive LIKE with an explicit escape character: SQLite has none by default, so an
 * escaped `_` or `%` in a search would otherwise never match there.
 */
const contains = (column: 'shipments.reference' | 'shipments.title' | 'shipments.customer_reference', pattern: string) =>
  sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;

export function emptyChildren() {
  return {
    stops: [] as Selectable<StopTable>[],
    segments: [] as Selectable<SegmentTable>[],
    cargo: [] as Selectable<CargoLineTable>[],
    scans: [] as Selectable<PalletScanTable>[],
    photos: [] as Selectable<PhotoTable>[],
    notes: [] as Selectable<NoteTable>[],
    contacts: [] as Selectable<ShipmentContactTable>[],
  };
}
