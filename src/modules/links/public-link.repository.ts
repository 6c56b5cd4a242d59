// A link's first visit in one query (issue 19): the link, its org and its shipment joined by the
// slug (plain columns), the shipment's nested collections, its stage/status changes and its
// position sources carried as JSON arrays (json_group_array on SQLite, json_agg on PostgreSQL).
// Twelve small queries before made a cold link cost more than its render; this read replaces them
// for the public resolver only. It reads other modules' tables because the slug is the one key they share;
// what is shown of them is still decided by visibility.ts, never here.
import { sql, type InferResult, type Kysely, type Selectable } from 'kysely';
import * as pgJson from 'kysely/helpers/postgres';
import * as sqliteJson from 'kysely/helpers/sqlite';
import type { Dialect } from '../../db/dialect.js';
import { precompile, withValues, type Precompiled } from '../../db/precompiled.js';
import type {
  CargoLineRow,
  NoteRow,
  PalletScanRow,
  PhotoRow,
  SegmentRow,
  SourceRow,
  CargoLineTable,
  Database,
  NoteTable,
  OrgTable,
  PalletScanTable,
  PhotoTable,
  SegmentTable,
  ShipmentContactTable,
  ShipmentTable,
  SourceTable,
  StopTable,
  TrackingLinkTable,
} from '../../db/schema.js';

/**
 * Every column of a table, checked by the compiler: json_object needs the columns spelled out, and
 * a column added to schema.ts must not go missing from the public load without a type error.
 */
const columnsOf =
  <T>() =>
  <const K extends readonly (keyof T & string)[]>(...keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> })) =>
    keys as K;

const ORG = columnsOf<OrgTable>()('id', 'name', 'country', 'brand_color', 'logo_file', 'billing_state', 'sharing_enabled', 'auto_create_links', 'link_inactivity_days', 'position_retention_days', 'link_template', 'handle', 'created_at', 'updated_at');
const SHIPMENT = columnsOf<ShipmentTable>()(
  'id', 'org_id', 'kind', 'reference', 'title', 'status', 'stages', 'current_stage', 'eta', 'eta_source', 'eta_calculated_at', 'customer_reference', 'container_number',
  'transport_service', 'custom_fields', 'extra_fields', 'internal', 'hero_photo_id', 'pod_file', 'pod_content_type', 'pod_signed_by', 'pod_captured_at', 'delivered_at', 'created_at', 'updated_at',
  'changed_at',
);
const STOP = columnsOf<StopTable>()(
  'id', 'org_id', 'shipment_id', 'seq', 'type', 'name', 'address', 'lat', 'lon', 'reference', 'window_start', 'window_end', 'eta', 'arrived_at', 'departed_at', 'contact_name', 'contact_email',
);
const SEGMENT = columnsOf<SegmentTable>()('id', 'org_id', 'shipment_id', 'seq', 'name', 'from_stop', 'to_stop');
const CARGO = columnsOf<CargoLineTable>()('id', 'org_id', 'shipment_id', 'seq', 'description', 'quantity', 'packaging', 'weight_kg');
const SCAN = columnsOf<PalletScanTable>()('id', 'org_id', 'shipment_id', 'cargo_index', 'stop_index', 'event', 'code', 'place', 'scanned_at', 'created_at');
const PHOTO = columnsOf<PhotoTable>()('id', 'org_id', 'shipment_id', 'file', 'content_type', 'size_bytes', 'caption', 'created_at');
const NOTE = columnsOf<NoteTable>()('id', 'org_id', 'shipment_id', 'scope', 'body', 'author', 'created_at');
const CONTACT = columnsOf<ShipmentContactTable>()('id', 'org_id', 'shipment_id', 'name', 'email', 'created_at');
const SOURCE = columnsOf<SourceTable>()('id', 'org_id', 'shipment_id', 'device_id', 'layer', 'segment', 'created_at', 'attached_at', 'detached_at');

/** The one query of the first visits of these links (see loadBySlugs). */
function loadQuery(db: Kysely<Database>, dialect: Dialect, slugs: readonly string[]) {
  const json = dialect === 'postgres' ? pgJson : sqliteJson;
  return db
    .selectFrom('tracking_links as l')
    .innerJoin('orgs as o', 'o.id', 'l.org_id')
    .innerJoin('shipments as s', (j) => j.onRef('s.id', '=', 'l.shipment_id').onRef('s.org_id', '=', 'l.org_id'))
    .selectAll('l')
    // The org and shipment rows come from the joins as plain columns ("org:name", "shipment:title"):
    // a JSON object of each, from a subquery reading the same row again, cost a third of the whole
    // query on SQLite (2,000 loads: 952 us with it, 609 us without, at load average 19).
    .select([...ORG.map((c) => sql.ref(`o.${c}`).as(`${ORG_PREFIX}${c}`)), ...SHIPMENT.map((c) => sql.ref(`s.${c}`).as(`${SHIPMENT_PREFIX}${c}`))])
    .select((eb) => {
      // The shipment's rows of a child table, scoped by the link's org (typed by the caller's cast below).
      const child = (table: ChildTable) => eb.selectFrom(table as 'stops').whereRef('org_id', '=', 'l.org_id').whereRef('shipment_id', '=', 'l.shipment_id');
      return [
        json.jsonArrayFrom(child('stops').select(STOP)).as('stops'),
        json.jsonArrayFrom(child('segments').select(SEGMENT as never)).as('segments'),
        json.jsonArrayFrom(child('cargo_lines').select(CARGO as never)).as('cargo'),
        json.jsonArrayFrom(child('pallet_scans').select(SCAN as never)).as('scans'),
        json.jsonArrayFrom(child('photos').select(PHOTO as never)).as('photos'),
        json.jsonArrayFrom(child('notes').select(NOTE as never)).as('notes'),
        json.jsonArrayFrom(child('shipment_contacts').select(CONTACT as never)).as('contacts'),
        json.jsonArrayFrom(child('sources').select(SOURCE as never)).as('sources'),
        json
          .jsonArrayFrom(
            eb
              .selectFrom('shipment_events')
              .select(['id', 'type', 'data', 'occurred_at'])
              .whereRef('shipment_events.org_id', '=', 'l.org_id')
              .whereRef('shipment_events.shipment_id', '=', 'l.shipment_id')
              .where('shipment_events.type', 'in', ['stage_changed', 'status_changed'])
              .orderBy('shipment_events.occurred_at', 'desc')
              .orderBy('shipment_events.id', 'desc')
              // Written into the SQL, not bound: SQLite ran the load 9x slower with a bound LIMIT in
              // this correlated subquery (300 loads of the bench's shape at load average 9.6:
              // 652 us with the parameter, 72 us with the literal).
              .limit(sql.lit(PUBLIC_CHANGES)),
          )
          .as('changes'),
      ] as const;
    })
    .where('l.slug', 'in', slugs)
    // Only a link someone may see is read whole. A revoked one, one of an org locked or not
    // sharing, one with every layer or segment unshared (visibility.ts unavailableReason) is no
    // row, as an unknown slug is: read whole, their 404 took what loading the shipment takes (ten
    // times an unknown slug's with a few thousand pallet scans), a time anyone holding such a link
    // could tell from a deleted shipment's. The policy still decides on every link read; options
    // are written by JSON.stringify, so an unshared list is spelled exactly so.
    // Written into the SQL, not bound: three partial indexes of tracking_links are on state =
    // 'active', and SQLite re-prepares a statement whose bound value it compared with a partial
    // index's condition each time that value is bound again, so every load compiled its ~900 nodes
    // anew (one link's load: 294-451 µs with the parameter, 44-64 µs with the literal, in process
    // on the bench's store at load average 8).
    .where('l.state', '=', sql.lit('active'))
    .where('o.sharing_enabled', '=', 1)
    .where('o.billing_state', '<>', 'locked')
    .where('l.options', 'not like', '%"layers":[]%')
    .where('l.options', 'not like', '%"segments":[]%');
}

type LoadRow = InferResult<ReturnType<typeof loadQuery>>[number];

/** Where the org's and the shipment's columns are in the load's row (no column of a link starts so). */
const ORG_PREFIX = 'org:';
const SHIPMENT_PREFIX = 'shipment:';

/** Values no slug can be (SLUG_SHAPE), marking where the slugs go in the compiled load. */
const slugMarks = (n: number) => Array.from({ length: n }, (_, i) => `\u0000slug${i}`);

/**
 * The most links one load reads: first visits arriving together (a rotation over many links, a
 * crowd after a mailing) share a query, and a batch this size keeps each under a few milliseconds.
 */
export const MAX_LOAD_BATCH = 64;

type ChildTable = 'stops' | 'segments' | 'cargo_lines' | 'pallet_scans' | 'photos' | 'notes' | 'shipment_contacts' | 'sources';

/** Stage and status changes a public timeline shows at most (ShipmentsService.changesFor reads as many). */
export const PUBLIC_CHANGES = 200;

export class PublicLinkRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** The load per batch size (powers of two up to MAX_LOAD_BATCH), compiled on first use (see loadBySlugs). */
  private readonly compiled = new Map<number, Precompiled>();

  /**
   * Everything a link's public page needs, in one query, or undefined when the slug is unknown or
   * its org or shipment is gone. Children are scoped by the link's own org, like every org read.
   */
  async loadBySlug(slug: string) {
    return (await this.loadBySlugs([slug]))[0];
  }

  /**
   * loadBySlug for up to MAX_LOAD_BATCH slugs in one query, answered in their order. The query is
   * built and compiled once per batch size (db/precompiled.ts): only the slugs change, and building
   * and compiling its ~900 operation nodes with Kysely cost about twice what SQLite takes to run it
   * (a cold visit spent ~2 ms there against ~1 ms in SQLite, 2,000 loads at load average 17).
   * Batches are padded to a power of two with their last slug (harmless in IN), so a few
   * statements serve every batch.
   */
  async loadBySlugs(slugs: readonly string[]) {
    if (slugs.length === 0) return [];
    if (slugs.length > MAX_LOAD_BATCH) throw new Error(`at most ${MAX_LOAD_BATCH} links per load`);
    const size = 2 ** Math.ceil(Math.log2(slugs.length));
    const values = [...slugs];
    while (values.length < size) values.push(values[values.length - 1]);
    let c = this.compiled.get(size);
    if (!c) {
      const marks = slugMarks(size);
      c = precompile(loadQuery(this.db, this.dialect, marks), this.dialect, marks);
      this.compiled.set(size, c);
    }
    const rows = (await withValues<LoadRow>(c, values).execute(this.db)).rows;
    const bySlug = new Map(rows.map((r) => [r.slug, r]));
    return slugs.map((slug) => {
      const row = bySlug.get(slug);
      return row ? loadedOf(row) : undefined;
    });
  }
}

/** The collections of the load's row (JSON arrays), read apart from the plain columns. */
const COLLECTIONS = new Set(['stops', 'segments', 'cargo', 'scans', 'photos', 'notes', 'contacts', 'sources', 'changes']);
const LINK = 0;
const ORG_ROW = 1;
const SHIPMENT_ROW = 2;
const COLLECTION = 3;
/** Where a column of the load's row goes: which row (LINK, ORG_ROW, SHIPMENT_ROW) and under which name. */
type Place = { readonly to: number; readonly name: string };
/**
 * Each column name's place, worked out once: the row has some 70 columns, and testing and slicing
 * every name of every row (after copying the row without its collections) cost a first visit
 * more than parsing its JSON. A pure function of the name, so it can never be out of date.
 */
const places = new Map<string, Place>();
function placeOf(column: string): Place {
  let p = places.get(column);
  if (p === undefined) {
    if (COLLECTIONS.has(column)) p = { to: COLLECTION, name: column };
    else if (column.startsWith(ORG_PREFIX)) p = { to: ORG_ROW, name: column.slice(ORG_PREFIX.length) };
    else if (column.startsWith(SHIPMENT_PREFIX)) p = { to: SHIPMENT_ROW, name: column.slice(SHIPMENT_PREFIX.length) };
    else p = { to: LINK, name: column };
    places.set(column, p);
  }
  return p;
}

/** A row of the load as the link, its org, its shipment and their collections. */
function loadedOf(row: LoadRow) {
  const { stops, segments, cargo, scans, photos, notes, contacts, sources, changes } = row;
  // The link's, the org's and the shipment's rows (and the collections, read below), each with its
  // columns in the order the load selects them.
  const rows: Record<string, unknown>[] = [{}, {}, {}, {}];
  const columns = row as unknown as Record<string, unknown>;
  for (const k in columns) {
    const p = placeOf(k);
    rows[p.to][p.name] = columns[k];
  }
  const [link, org_, shipment_] = rows;
  // Aggregates keep their subquery's order on both stores in practice, but neither promises it: sort here.
  return {
    link: link as Selectable<TrackingLinkTable>,
    org: org_ as Selectable<OrgTable>,
    shipment: shipment_ as Selectable<ShipmentTable>,
    children: {
      stops: parsed(stops).sort(bySeq),
      segments: parsed(segments as unknown as SegmentRow[]).sort(bySeq),
      cargo: parsed(cargo as unknown as CargoLineRow[]).sort(bySeq),
      scans: parsed(scans as unknown as PalletScanRow[]).sort((a, b) => a.scanned_at - b.scanned_at || cmp(a.id, b.id)),
      photos: parsed(photos as unknown as PhotoRow[]).sort(byCreated),
      notes: parsed(notes as unknown as NoteRow[]).sort(byCreated),
      contacts: parsed(contacts as unknown as Selectable<ShipmentContactTable>[]).sort(byCreated),
    },
    sources: parsed(sources as unknown as SourceRow[]).sort(byCreated),
    changes: parsed(changes).sort((a, b) => b.occurred_at - a.occurred_at || cmp(b.id, a.id)),
  };
}

/** What loadBySlug answers for a link that exists. */
export type LoadedLink = ReturnType<typeof loadedOf>;

/** SQLite hands JSON back as text, PostgreSQL's driver as parsed values. */
function parsed<T>(v: T): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;
const byCreated = (a: { created_at: number; id: string }, b: { created_at: number; id: string }) => a.created_at - b.created_at || cmp(a.id, b.id);
