// The only code that touches tracking_links. Every org-data query takes orgId; the one exception
// is findBySlug, the public entry point, where the unguessable slug is the credential.
import { sql, type InferResult, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import { orgCheckAfterSeek } from '../../db/org-filter.js';
import { precompile, withValues, type Precompiled } from '../../db/precompiled.js';
import type { Database, SourceRow, TrackingLinkRow, TrackingLinkTable } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/index.js';
import { AppError } from '../../shared/errors.js';

export type Db = Kysely<Database> | Transaction<Database>;

const DAY_MS = sql<number>`cast(86400000 as bigint)`;

/**
 * A link (`l`, joined with its shipment `s` and org `o`) past its expiry or its shipment's
 * inactivity at `now`, as one parenthesised condition: Kysely joins raw conditions with `and` as
 * they are, and a bare `a or b` let any link of a quiet shipment (revoked, of another shipment)
 * through the `or`. The one definition the list's states and the expiry sweep share.
 */
const expiredAt = (now: number) =>
  sql<boolean>`((l.expires_at is not null and l.expires_at <= ${now}) or (s.updated_at + o.link_inactivity_days * ${DAY_MS} <= ${now}))`;

function translate(err: unknown, recipient: boolean): never {
  if (isUniqueViolation(err)) {
    throw AppError.conflict(
      recipient ? 'This recipient already has an active link for this shipment' : 'This shipment already has an active general link; update, revoke or regenerate it',
      [{ path: recipient ? 'body/recipient/email' : 'body', message: 'an active link exists' }],
    );
  }
  throw err;
}

export type LinkWithShipment = TrackingLinkRow & { shipment_updated_at: number; shipment_reference: string };

export interface LinkListFilter {
  state?: 'active' | 'revoked' | 'expired';
  shipmentId?: string;
  before?: { at: number; id: string };
  limit: number;
  now: number;
}

/** Which link a version is asked for, with the org and shipment a cached resolution holds. */
export interface LinkVersionKey {
  orgId: string;
  linkId: string;
  shipmentId: string;
}

/**
 * The fingerprint of what a cached resolution depends on: versionsOf reads it for many links, the
 * public load (public-link.repository.ts) with the rows it loads, so both compare equal.
 */
export function linkVersion(
  link: Pick<TrackingLinkRow, 'state' | 'updated_at' | 'expires_at'>,
  shipment: { updated_at: number; eta: number | null; eta_calculated_at: number | null },
  org: { updated_at: number; sharing_enabled: number; billing_state: string },
  sources: string,
): string {
  return [link.state, link.updated_at, link.expires_at, shipment.updated_at, shipment.eta, shipment.eta_calculated_at, org.updated_at, org.sharing_enabled, org.billing_state, sources].map(String).join('|');
}

/**
 * The part of the version that covers the shipment's sources (which devices it shows, and when):
 * attaching and detaching do not touch the shipment row, yet change which positions are public,
 * so a copy confirmed without them kept showing a detached device. Made from the loaded rows here
 * and by SOURCES_VERSION in SQL, with the same text.
 */
export function sourcesVersion(sources: readonly Pick<SourceRow, 'attached_at' | 'detached_at' | 'created_at'>[]): string {
  let detached = 0;
  let detachedSum = 0;
  let attachedSum = 0;
  for (const s of sources) {
    if (s.detached_at !== null) {
      detached++;
      detachedSum += Number(s.detached_at);
    }
    attachedSum += Number(s.attached_at ?? s.created_at);
  }
  return `${sources.length}:${detached}:${detachedSum}:${attachedSum}`;
}
const SOURCES_VERSION = sql<string>`count(*) || ':' || count(detached_at) || ':' || coalesce(sum(detached_at), 0) || ':' || coalesce(sum(coalesce(attached_at, created_at)), 0)`;

/** The versions of the links with these ids (versionsOf), with what each depends on. */
function versionsQuery(db: Kysely<Database>, ids: readonly string[]) {
  return db
    .selectFrom('tracking_links as l')
    .innerJoin('shipments as s', (j) => j.onRef('s.id', '=', 'l.shipment_id').onRef('s.org_id', '=', 'l.org_id'))
    .innerJoin('orgs as o', 'o.id', 'l.org_id')
    .select(['l.id', 'l.org_id', 'l.shipment_id', 'l.state', 'l.updated_at as lu', 'l.expires_at', 's.updated_at as su', 's.eta', 's.eta_calculated_at', 'o.updated_at as ou', 'o.sharing_enabled', 'o.billing_state'])
    .select((eb) => eb.selectFrom('sources').select(SOURCES_VERSION.as('v')).whereRef('sources.org_id', '=', 'l.org_id').whereRef('sources.shipment_id', '=', 'l.shipment_id').as('src'))
    .where('l.id', 'in', ids);
}
type VersionRow = InferResult<ReturnType<typeof versionsQuery>>[number];

export class LinksRepository {
  constructor(
    readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * versionsOf's query per batch size, compiled on first use (db/precompiled.ts): it runs for
   * every batch of 2 s re-checks, and building and compiling it through Kysely cost more than
   * running it.
   */
  private readonly versionQueries = new Map<number, Precompiled>();
  /** addViews' two updates, compiled on first use. */
  private firstViewUpdate: Precompiled | null = null;
  private viewsUpdate: Precompiled | null = null;

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async insert(trx: Db, row: Insertable<TrackingLinkTable>): Promise<void> {
    try {
      await trx.insertInto('tracking_links').values(row).execute();
    } catch (err) {
      translate(err, row.recipient_email != null);
    }
  }

  async update(trx: Db, orgId: string, id: string, patch: Updateable<TrackingLinkTable>): Promise<void> {
    await trx.updateTable('tracking_links').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  /**
   * Whether the link's shipment is still there, taken first by a transaction that writes its links
   * (on PostgreSQL in the lock the links' foreign key takes, KEY SHARE, which only a deletion
   * waits for; SQLite runs one write transaction at a time). A deletion takes the shipment, then
   * its links (ON DELETE CASCADE): a link write that took the link first and the shipment after
   * (a new link's foreign key; a link written twice, whose second write PostgreSQL checks again)
   * waited for a deletion waiting for it, a deadlock. Now it waits for the deletion, or the
   * deletion for it, and a shipment deleted meanwhile is false.
   */
  async holdShipment(trx: Db, orgId: string, shipmentId: string): Promise<boolean> {
    const q = trx.selectFrom('shipments').select('id').where('org_id', '=', orgId).where('id', '=', shipmentId);
    return (await (this.dialect === 'postgres' ? q.forKeyShare() : q).executeTakeFirst()) !== undefined;
  }

  /**
   * The link inside a write transaction, held for it, if it is still active: marking its change
   * first takes PostgreSQL's row lock (SQLite runs one write transaction at a time anyway), and the
   * read after it sees what the change before left. Two changes of one link's options then run one
   * after the other, and neither is based on options the other replaced.
   */
  async lockActiveForChange(trx: Db, orgId: string, id: string, at: number): Promise<TrackingLinkRow | undefined> {
    const r = await trx.updateTable('tracking_links').set({ updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).where('state', '=', 'active').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? this.find(orgId, id, trx) : undefined;
  }

  /** Revokes only a still-active link; false when it was already revoked. */
  async revoke(trx: Db, orgId: string, id: string, by: string, at: number, replacedBy: string | null): Promise<boolean> {
    const r = await trx
      .updateTable('tracking_links')
      .set({ state: 'revoked', revoked_by: by, revoked_at: at, updated_at: at, replaced_by: replacedBy })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  find(orgId: string, id: string, trx: Db = this.db): Promise<TrackingLinkRow | undefined> {
    return trx.selectFrom('tracking_links').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  findBySlug(slug: string): Promise<TrackingLinkRow | undefined> {
    return this.db.selectFrom('tracking_links').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  /** The active general link (email null) or the recipient's active link of a shipment. */
  findActive(orgId: string, shipmentId: string, email: string | null, trx: Db = this.db): Promise<TrackingLinkRow | undefined> {
    return trx
      .selectFrom('tracking_links')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .where('state', '=', 'active')
      .where('recipient_email', email === null ? 'is' : '=', email)
      .executeTakeFirst();
  }

  /** Newest first, keyset-paginated; "expired" is computed from expires_at and inactivity. */
  list(orgId: string, f: LinkListFilter): Promise<LinkWithShipment[]> {
    let q = this.db
      .selectFrom('tracking_links as l')
      .innerJoin('shipments as s', (j) => j.onRef('s.id', '=', 'l.shipment_id').on('s.org_id', '=', orgId))
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .selectAll('l')
      .select(['s.updated_at as shipment_updated_at', 's.reference as shipment_reference']);
    // One shipment's links are found by the shipment index, the org's by (org_id, created_at).
    q = f.shipmentId ? q.where(orgCheckAfterSeek(this.dialect, 'l.org_id', orgId)).where('l.shipment_id', '=', f.shipmentId) : q.where('l.org_id', '=', orgId);
    const expired = expiredAt(f.now);
    if (f.state === 'revoked') q = q.where('l.state', '=', 'revoked');
    else if (f.state === 'active') q = q.where('l.state', '=', 'active').where(sql<boolean>`not (${expired})`);
    else if (f.state === 'expired') q = q.where('l.state', '=', 'active').where(expired);
    if (f.before) {
      const b = f.before;
      q = q.where((eb) => eb.or([eb('l.created_at', '<', b.at), eb.and([eb('l.created_at', '=', b.at), eb('l.id', '<', b.id)])]));
    }
    return q.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(f.limit + 1).execute();
  }

  listForShipment(orgId: string, shipmentId: string): Promise<TrackingLinkRow[]> {
    return this.db
      .selectFrom('tracking_links')
      .selectAll()
      .where(orgCheckAfterSeek(this.dialect, 'org_id', orgId))
      .where('shipment_id', '=', shipmentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /** Shipments of the org with no active general link (the backfill set). */
  async shipmentsWithoutGeneralLink(orgId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('shipments as s')
      .select('s.id')
      .where('s.org_id', '=', orgId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('tracking_links as l')
              .select('l.id')
              .whereRef('l.shipment_id', '=', 's.id')
              .where('l.state', '=', 'active')
              .where('l.recipient_email', 'is', null),
          ),
        ),
      )
      .orderBy('s.created_at')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * For each link, a fingerprint of what a cached resolution depends on (link state and options,
   * the shipment, the org's sharing state), or null when any is gone or no longer theirs: a cache
   * compares it to decide whether its copy may still be served. One query for many links: the
   * public cache re-checks together what one turn of requests needs. Rows are matched to the org
   * and shipment the cache holds, so a row that moved between orgs or shipments reads as gone.
   */
  async versionsOf(links: readonly LinkVersionKey[]): Promise<(string | null)[]> {
    if (!links.length) return [];
    const ids = links.map((l) => l.linkId);
    // Batches are padded to a power of two with their last id (harmless in IN): at most 10 shapes
    // for batches of up to 500, so a few statements serve every batch.
    const size = 2 ** Math.ceil(Math.log2(ids.length));
    while (ids.length < size) ids.push(ids[ids.length - 1]);
    let c = this.versionQueries.get(size);
    if (!c) {
      const marks = ids.map((_, i) => `\u0000link${i}`);
      c = precompile(versionsQuery(this.db, marks), this.dialect, marks);
      this.versionQueries.set(size, c);
    }
    const rows = (await withValues<VersionRow>(c, ids).execute(this.db)).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return links.map(({ orgId, linkId, shipmentId }) => {
      const r = byId.get(linkId);
      if (!r || r.org_id !== orgId || r.shipment_id !== shipmentId) return null;
      return linkVersion({ state: r.state, updated_at: r.lu, expires_at: r.expires_at }, { updated_at: r.su, eta: r.eta, eta_calculated_at: r.eta_calculated_at }, { updated_at: r.ou, sharing_enabled: r.sharing_enabled, billing_state: r.billing_state }, String(r.src));
    });
  }

  /**
   * Adds views counted in memory, in one transaction; returns the links whose first view this
   * was (a conditional update, so across instances exactly one flush gets each). No visitor data
   * is stored. last_viewed_at only moves forward, so a slower instance never sets it back.
   */
  async addViews(views: readonly { id: string; count: number; first: number; last: number; maybeFirst: boolean }[]): Promise<string[]> {
    if (views.length === 0) return [];
    // Each flush writes every link viewed in the last 2 s, on a rotation of links thousands of first
    // views: the two updates are built and compiled once, each run only puts its values in
    // (building one with Kysely cost more than SQLite takes to run it).
    const first = (this.firstViewUpdate ??= precompile(firstViewQuery(this.db), this.dialect, VIEW_MARKS.first));
    const more = (this.viewsUpdate ??= precompile(viewsQuery(this.db), this.dialect, VIEW_MARKS.more));
    return this.db.transaction().execute(async (trx) => {
      const firsts: string[] = [];
      for (const v of views) {
        if (v.maybeFirst) {
          const r = await withValues(first, [v.first, v.last, v.count, v.id]).execute(trx);
          if (Number(r.numAffectedRows) === 1) {
            firsts.push(v.id);
            continue;
          }
        }
        await withValues(more, [v.count, v.first, v.last, v.last, v.last, v.id]).execute(trx);
      }
      return firsts;
    });
  }

  /**
   * Active links past their expiry whose expiry was not announced yet, across all orgs: the
   * expiry sweep is system work, like the outbox worker, not a request of one org. Its first two
   * conditions are those of the partial index tracking_links_unannounced, so the sweep reads the
   * live links only, oldest first, and never the revoked or announced ones of all history.
   */
  expiredUnannounced(now: number, limit: number): Promise<TrackingLinkRow[]> {
    return this.db
      .selectFrom('tracking_links as l')
      .innerJoin('shipments as s', (j) => j.onRef('s.id', '=', 'l.shipment_id').onRef('s.org_id', '=', 'l.org_id'))
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .selectAll('l')
      .where('l.state', '=', 'active')
      .where('l.expired_notified_at', 'is', null)
      .where(expiredAt(now))
      .orderBy('l.created_at')
      .limit(limit)
      .execute();
  }

  /**
   * Marks the expiry as announced; true only for the caller that marked it first, and only while
   * the link is still active and expired at `at`. The sweep and a visit find the link expired
   * before they mark it: a link extended or revoked in between was announced as expired (and
   * its real expiry, later, never was). One conditional UPDATE: PostgreSQL checks the link's own
   * columns again on the row as an extension that held it committed it.
   */
  async markExpiredNotified(id: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('tracking_links as l')
      .set({ expired_notified_at: at })
      .where('l.id', '=', id)
      .where('l.expired_notified_at', 'is', null)
      .where('l.state', '=', 'active')
      .where(linkExpiredAt(at))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Revokes a link that silently expired, for the link replacing it; false when it is no longer
   * both active and expired. Found expired before the transaction: on PostgreSQL a link extended
   * in between was revoked all the same, its URL dead just after a dispatcher gave it more time.
   * Now the new link is refused instead (the one active slot is taken).
   */
  async retireExpired(trx: Db, orgId: string, id: string, by: string, at: number, replacedBy: string): Promise<boolean> {
    const r = await trx
      .updateTable('tracking_links as l')
      .set({ state: 'revoked', revoked_by: by, revoked_at: at, updated_at: at, replaced_by: replacedBy })
      .where('l.org_id', '=', orgId)
      .where('l.id', '=', id)
      .where('l.state', '=', 'active')
      .where(linkExpiredAt(at))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

/** The link `l` of an update is expired at `at`: expiredAt, over its own shipment and org. */
const linkExpiredAt = (at: number) =>
  sql<boolean>`exists (select 1 from shipments s inner join orgs o on o.id = s.org_id where s.id = l.shipment_id and s.org_id = l.org_id and ${expiredAt(at)})`;

/** Where addViews' values go in its precompiled updates (strings no id or number can be). */
const VIEW_MARKS = {
  first: ['\u0000first', '\u0000last', '\u0000count', '\u0000id'],
  more: ['\u0000count', '\u0000first', '\u0000last1', '\u0000last2', '\u0000last3', '\u0000id'],
} as const;
const mark = (m: string) => m as unknown as number;

/** A link's first view, recorded only if none was yet: exactly one flush, of any instance, gets it. */
function firstViewQuery(db: Kysely<Database>) {
  const [first, last, count, id] = VIEW_MARKS.first;
  return db
    .updateTable('tracking_links')
    .set((eb) => ({ first_viewed_at: mark(first), last_viewed_at: mark(last), view_count: eb('view_count', '+', mark(count)) }))
    .where('id', '=', id)
    .where('first_viewed_at', 'is', null);
}

/** More views of a link: last_viewed_at only moves forward. */
function viewsQuery(db: Kysely<Database>) {
  const [count, first, last1, last2, last3, id] = VIEW_MARKS.more;
  return db
    .updateTable('tracking_links')
    .set((eb) => ({
      view_count: eb('view_count', '+', mark(count)),
      first_viewed_at: eb.fn.coalesce('first_viewed_at', eb.val(mark(first))),
      last_viewed_at: eb.case().when('last_viewed_at', 'is', null).then(mark(last1)).when('last_viewed_at', '<', mark(last2)).then(mark(last3)).else(eb.ref('last_viewed_at')).end(),
    }))
    .where('id', '=', id);
}
