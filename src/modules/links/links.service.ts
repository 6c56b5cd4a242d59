// Tracking links: their lifecycle (create, change options, revoke, regenerate, expire), the
// admin's view of them, and resolvePublic, the single resolution every public route uses.
import QRCode from 'qrcode';
import { storeProblem } from '../../db/health.js';
import type { Org, ShipmentRow, TrackingLinkRow } from '../../db/schema.js';
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import { newId, randomToken } from '../../shared/ids.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { Batcher } from '../../shared/batcher.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, systemActor, type Actor } from '../auth/roles.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { ShipmentChange, ShipmentView } from '../shipments/shipments.view.js';
import { LinkCache } from './link-cache.js';
import type { LinkCreate, LinkListQuery, LinkOptions, LinkPatch } from './links.schema.js';
import { LinksRepository, type LinkVersionKey, type LinkWithShipment } from './links.repository.js';
import { linkView } from './links.view.js';
import { ViewCounter } from './view-counter.js';
import { expiresAt, linkPolicy, mergeOptions, normalizeOptions, parseOptions, type LinkPolicy } from './visibility.js';

export type LinkChangeType = 'created' | 'updated' | 'revoked' | 'regenerated' | 'expired' | 'first_viewed';
/** `regenerated` carries the id of the old link (which stopped working); a `created` for the new one follows. */
export interface LinkChange {
  type: LinkChangeType;
  linkId: string;
  orgId: string;
  shipmentId: string;
}
export type LinkChangeListener = (e: LinkChange) => void;

export type PublicResolution =
  /**
   * `policy` is what the link shows, and the only thing any public output reads to decide it;
   * `changes` are the shipment's stage and status changes, newest first (for its timeline).
   */
  | { state: 'ok'; link: TrackingLinkRow; org: Org; shipment: ShipmentView; changes: ShipmentChange[]; policy: LinkPolicy }
  | { state: 'not_found' }
  /** The org is known once a link expired: its page is branded (a not-found page never is). */
  | { state: 'expired'; org: Org };

/** A cached resolution; while available and not expired it is itself the answer (state 'ok'). */
interface Resolved {
  state: 'ok';
  link: TrackingLinkRow;
  org: Org;
  shipment: ShipmentView;
  changes: ShipmentChange[];
  policy: LinkPolicy;
  /** The shipment's last update (inactivity expiry), parsed once per load. */
  shipmentUpdatedMs: number;
  /** Active, sharing on, not locked, something shown: fixed for the rows loaded. */
  available: boolean;
  /** repo.versionsOf when loaded, and when it was last confirmed. */
  version: string | null;
  checkedAt: number;
}

/**
 * A cached resolution is served as is for RECHECK_MS; after that, for up to the cache TTL, only
 * if one indexed read shows nothing it depends on changed (a change made by another process,
 * e.g. a revocation, is seen within RECHECK_MS as before, without reloading every link).
 */
const RECHECK_MS = 2000;
const CACHE_TTL_MS = 60_000;
/** Default of PUBLIC_OUTAGE_GRACE_MS: see resolvePublic. */
const OUTAGE_GRACE_MS = 30_000;

/** Slugs are 24 base64url characters (144 random bits); anything else is refused without a query. */
const SLUG_SHAPE = /^[A-Za-z0-9_-]{20,64}$/;
const SLUG_BYTES = 18;

export class LinksService {
  private readonly listeners: LinkChangeListener[] = [];
  private readonly cache: LinkCache<Resolved>;
  private errorLog: (err: unknown) => void = () => {};
  private sweeper: NodeJS.Timeout | null = null;
  private readonly views: ViewCounter;
  private readonly loading = new Map<string, { ticket: number; result: Promise<Resolved | null> }>();
  /** repo.versionsOf for the links a turn of requests loads or re-checks, in one query. */
  private readonly versions: Batcher<LinkVersionKey, string | null>;
  private readonly outageGraceMs: number;
  /** Until then the database is known to be away: cached links within the grace are served without asking it. */
  private outageUntil = 0;
  /**
   * Public resolutions answered from the cache (hits) or by loading the link (misses, joined loads
   * included), and loads actually run (cold visits): for /metrics.
   */
  readonly cacheStats = { hits: 0, misses: 0, loads: 0 };

  constructor(
    private readonly repo: LinksRepository,
    private readonly shipments: ShipmentsService,
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
    private readonly publicBaseUrl: string,
    opts: { cacheTtlMs?: number; outageGraceMs?: number } = {},
  ) {
    this.cache = new LinkCache<Resolved>(opts.cacheTtlMs ?? CACHE_TTL_MS, 50_000);
    this.outageGraceMs = opts.outageGraceMs ?? OUTAGE_GRACE_MS;
    this.versions = new Batcher((keys) => repo.versionsOf(keys), (k) => `${k.orgId}|${k.linkId}|${k.shipmentId}`);
    this.views = new ViewCounter(
      repo,
      (link) => this.emit('first_viewed', link),
      (err) => this.errorLog(err),
    );
  }

  setErrorLog(log: (err: unknown) => void): void {
    this.errorLog = log;
  }

  onChange(listener: LinkChangeListener): void {
    this.listeners.push(listener);
  }

  private emit(type: LinkChangeType, link: { id: string; org_id: string; shipment_id: string }): void {
    const e: LinkChange = { type, linkId: link.id, orgId: link.org_id, shipmentId: link.shipment_id };
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.errorLog(err);
      }
    }
  }

  // ---- cache invalidation (also called by the live module for changes on other instances) ----

  invalidateShipment(shipmentId: string): void {
    this.cache.invalidateWhere((e) => e.shipmentId === shipmentId);
  }
  invalidateOrg(orgId: string): void {
    this.cache.invalidateWhere((e) => e.orgId === orgId);
  }
  invalidateLink(linkId: string): void {
    this.cache.invalidateWhere((e) => e.linkId === linkId);
  }
  /** After missed cross-instance notifications (a LISTEN reconnect) nothing cached can be trusted. */
  invalidateAll(): void {
    this.cache.clear();
  }
  /** Drops whatever is cached for this shipment, org or link id. */
  invalidate(id: string): void {
    this.cache.invalidateWhere((e) => e.shipmentId === id || e.orgId === id || e.linkId === id);
  }

  // ---- admin API ----

  async create(actor: Actor, shipmentId: string, input: LinkCreate) {
    requireRole(actor, 'dispatcher', 'create tracking links');
    const shipment = await this.shipments.ownView(actor, shipmentId);
    const options = normalizeOptions(input.options);
    checkOptions(shipment, options, 'body/options');
    const expires = fromIso(input.expires_at ?? null);
    const recipient = input.recipient ? { name: input.recipient.name ?? null, email: input.recipient.email.toLowerCase() } : null;
    const row = await this.insertLink(actor, shipmentId, options, expires, recipient);
    return this.viewOne(actor, row);
  }

  private async insertLink(actor: Actor, shipmentId: string, options: LinkOptions, expires: number | null, recipient: { name: string | null; email: string } | null) {
    const org = await this.orgs.require(actor.orgId);
    const now = nowMs();
    // A link that silently expired still holds the "one active" slot; it gives way to the new one.
    const existing = await this.repo.findActive(actor.orgId, shipmentId, recipient?.email ?? null);
    const row: TrackingLinkRow = {
      id: newId(),
      org_id: actor.orgId,
      shipment_id: shipmentId,
      recipient_name: recipient?.name ?? null,
      recipient_email: recipient?.email ?? null,
      options: JSON.stringify(options),
      expires_at: expires,
      ...freshLink(actor, now),
    };
    // Read before the transaction: on SQLite a query outside it would wait for its connection.
    const shipment = await this.shipments.requireOwn(actor, shipmentId);
    const retired = existing && expiresAt(existing, org, shipment.updated_at) <= now ? existing : null;
    await this.repo.transaction(async (trx) => {
      if (retired) await this.repo.revoke(trx, actor.orgId, retired.id, actor.label, now, row.id);
      await this.repo.insert(trx, row);
    });
    await this.audit.record(actor, 'link.created', { type: 'link', id: row.id }, { shipment_id: shipmentId, recipient_email: row.recipient_email, options, expires_at: toIso(expires) });
    if (retired) this.invalidateLink(retired.id);
    this.emit('created', row);
    return row;
  }

  async get(actor: Actor, id: string) {
    await this.freshViews();
    return this.viewOne(actor, await this.requireLink(actor, id));
  }

  /** Every link of one of the caller's shipments (404 for another org's), newest first. */
  async listOfShipment(actor: Actor, shipmentId: string, q: Omit<LinkListQuery, 'shipment_id'>) {
    await this.shipments.requireOwn(actor, shipmentId);
    return this.list(actor, { ...q, shipment_id: shipmentId });
  }

  async list(actor: Actor, q: LinkListQuery) {
    const limit = q.limit ?? 50;
    await this.freshViews();
    const org = await this.orgs.require(actor.orgId);
    const rows = await this.repo.list(actor.orgId, { state: q.state, shipmentId: q.shipment_id, before: decodeCursor(q.cursor), limit, now: nowMs() });
    const p = page(rows, limit, (r) => ({ at: r.created_at, id: r.id }));
    return { items: p.items.map((r) => this.view(r, org, r.shipment_updated_at, r.shipment_reference)), next_cursor: p.next_cursor };
  }

  async update(actor: Actor, id: string, patch: LinkPatch) {
    requireRole(actor, 'dispatcher', 'change tracking links');
    const link = await this.requireLink(actor, id);
    if (link.state !== 'active') throw AppError.conflict('A revoked link cannot be changed; create a new one');
    const shipment = await this.shipments.viewFor(actor.orgId, link.shipment_id);
    if (!shipment) throw AppError.notFound('Tracking link');
    const options = patch.options ? mergeOptions(parseOptions(link.options), patch.options) : parseOptions(link.options);
    checkOptions(shipment, options, 'body/options');
    const set = {
      options: JSON.stringify(options),
      updated_at: nowMs(),
      ...(patch.expires_at !== undefined ? { expires_at: fromIso(patch.expires_at), expired_notified_at: null } : {}),
    };
    await this.repo.transaction((trx) => this.repo.update(trx, actor.orgId, id, set));
    this.invalidateLink(id);
    await this.audit.record(actor, 'link.updated', { type: 'link', id }, { options: patch.options ?? null, expires_at: patch.expires_at });
    this.emit('updated', link);
    return this.get(actor, id);
  }

  async revoke(actor: Actor, id: string) {
    requireRole(actor, 'dispatcher', 'revoke tracking links');
    const link = await this.requireLink(actor, id);
    const done = await this.repo.transaction((trx) => this.repo.revoke(trx, actor.orgId, id, actor.label, nowMs(), null));
    this.invalidateLink(id);
    if (done) {
      await this.audit.record(actor, 'link.revoked', { type: 'link', id }, { shipment_id: link.shipment_id });
      this.emit('revoked', link);
    }
    return this.get(actor, id);
  }

  /** Revokes the link and issues a new slug with the same recipient, options and expiry. */
  async regenerate(actor: Actor, id: string) {
    requireRole(actor, 'dispatcher', 'regenerate tracking links');
    const old = await this.requireLink(actor, id);
    if (old.state !== 'active') throw AppError.conflict('This link is already revoked; create a new one instead');
    const now = nowMs();
    const row: TrackingLinkRow = {
      ...old,
      id: newId(),
      ...freshLink(actor, now),
    };
    await this.repo.transaction(async (trx) => {
      if (!(await this.repo.revoke(trx, actor.orgId, old.id, actor.label, now, row.id))) throw AppError.conflict('This link was revoked meanwhile');
      await this.repo.insert(trx, row);
    });
    this.invalidateLink(old.id);
    await this.audit.record(actor, 'link.regenerated', { type: 'link', id: row.id }, { replaces: old.id, shipment_id: old.shipment_id });
    this.emit('regenerated', old);
    this.emit('created', row);
    return this.viewOne(actor, row);
  }

  async qrSvg(actor: Actor, id: string): Promise<string> {
    const link = await this.requireLink(actor, id);
    return QRCode.toString(this.url(link.slug), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /** What the admin shows in a shipment's header: is it publicly tracked, and by which links. */
  async tracking(actor: Actor, shipmentId: string) {
    await this.freshViews();
    const s = await this.shipments.requireOwn(actor, shipmentId);
    const org = await this.orgs.require(actor.orgId);
    const links = (await this.repo.listForShipment(actor.orgId, shipmentId)).map((r) => this.view(r, org, s.updated_at, s.reference));
    const general = links.find((l) => l.recipient === null && l.state !== 'revoked') ?? null;
    const live = links.filter((l) => l.available);
    return {
      shipment_id: shipmentId,
      public: live.length > 0,
      general,
      recipient_links: links.filter((l) => l.recipient !== null && l.state !== 'revoked'),
      active_count: live.length,
      sharing_enabled: org.sharing_enabled === 1,
      billing_state: org.billing_state,
    };
  }

  /** Creates the general link for every shipment of the org that has none ("recalculate"). */
  async backfill(actor: Actor) {
    requireRole(actor, 'dispatcher', 'create tracking links');
    const ids = await this.repo.shipmentsWithoutGeneralLink(actor.orgId);
    let created = 0;
    for (const id of ids) {
      try {
        await this.insertLink(actor, id, {}, null, null);
        created++;
      } catch (err) {
        // Someone created it meanwhile, or the shipment was deleted: nothing left to do for it.
        if (!(err instanceof AppError && (err.code === 'conflict' || err.code === 'not_found'))) throw err;
      }
    }
    return { created, checked: ids.length };
  }

  /**
   * The active per-recipient link for this email, created with template defaults on first use,
   * with its options (its policy decides what the email may say: see visibility.ts).
   */
  async ensureRecipientLink(orgId: string, shipmentId: string, recipient: { name: string | null; email: string }): Promise<{ id: string; url: string; options: LinkOptions }> {
    const email = recipient.email.toLowerCase();
    const actor = systemActor(orgId);
    const org = await this.orgs.require(orgId);
    const s = await this.shipments.requireOwn(actor, shipmentId);
    const found = (row: TrackingLinkRow) => ({ id: row.id, url: this.url(row.slug), options: parseOptions(row.options) });
    const existing = await this.repo.findActive(orgId, shipmentId, email);
    if (existing && expiresAt(existing, org, s.updated_at) > nowMs()) return found(existing);
    try {
      return found(await this.insertLink(actor, shipmentId, {}, null, { name: recipient.name, email }));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      // Another worker created it between our read and insert: use theirs.
      const theirs = await this.repo.findActive(orgId, shipmentId, email);
      if (!theirs) throw err;
      return found(theirs);
    }
  }

  /** A new shipment of an org that wants it gets its general link (services.ts wires it to shipment_created). */
  async autoCreate(orgId: string, shipmentId: string): Promise<void> {
    const org = await this.orgs.require(orgId);
    if (org.auto_create_links !== 1) return;
    try {
      await this.insertLink(systemActor(orgId), shipmentId, {}, null, null);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
  }

  // ---- public resolution ----

  /**
   * While the database cannot be reached, a cached resolution confirmed less than outageGraceMs
   * ago is still served (pages already cached stay up through a restart or failover). Nobody can
   * revoke a link through this instance meanwhile, but another instance that still reaches the
   * database can: such a revocation takes effect here at most outageGraceMs late (and never later
   * than the cache's lifetime). Anything older, or not cached, fails with the database's error (503).
   */
  async resolvePublic(slug: string): Promise<PublicResolution> {
    if (!SLUG_SHAPE.test(slug)) return { state: 'not_found' };
    const now = nowMs();
    let r = this.cache.get(slug, now);
    if (r && now - r.checkedAt >= RECHECK_MS && !(now < this.outageUntil && this.withinGrace(r, now))) {
      const ticket = this.cache.ticket();
      const cached = r;
      let confirmed: boolean;
      let asked = true;
      try {
        confirmed = (await this.versionOf(cached.link)) === cached.version;
      } catch (err) {
        if (!storeProblem(err) || !this.withinGrace(cached, nowMs())) throw err;
        // Asking again for every request would make each wait for the same timeout.
        this.outageUntil = nowMs() + RECHECK_MS;
        confirmed = true;
        asked = false;
      }
      if (confirmed && ticket === this.cache.ticket()) {
        if (asked) cached.checkedAt = now;
      } else {
        this.invalidateLink(cached.link.id);
        r = undefined;
      }
    }
    if (r) this.cacheStats.hits++;
    else {
      this.cacheStats.misses++;
      const loaded = await this.loadOnce(slug, now);
      if (!loaded) return { state: 'not_found' };
      r = loaded;
    }
    if (!r.available) return { state: 'not_found' };
    if (expiresAt(r.link, r.org, r.shipmentUpdatedMs) <= now) {
      if (r.link.expired_notified_at === null && (await this.repo.markExpiredNotified(r.link.id, now))) this.emit('expired', r.link);
      return { state: 'expired', org: r.org };
    }
    return r;
  }

  private withinGrace(r: Resolved, now: number): boolean {
    return now - r.checkedAt < this.outageGraceMs;
  }

  private versionOf(link: TrackingLinkRow): Promise<string | null> {
    return this.versions.get({ orgId: link.org_id, linkId: link.id, shipmentId: link.shipment_id });
  }

  /**
   * One load per slug at a time: when a link is shared to many people at once, a hundred
   * requests for it arriving together wait for one load instead of making a hundred. A load
   * started before an invalidation is not joined by requests that come after it.
   */
  private loadOnce(slug: string, now: number): Promise<Resolved | null> {
    const ticket = this.cache.ticket();
    const inFlight = this.loading.get(slug);
    if (inFlight && inFlight.ticket === ticket) return inFlight.result;
    const result = this.load(slug).then((loaded) => {
      if (loaded) this.cache.set(slug, { value: loaded, orgId: loaded.org.id, shipmentId: loaded.link.shipment_id, linkId: loaded.link.id, loadedAt: now }, ticket);
      return loaded;
    });
    const entry = { ticket, result };
    this.loading.set(slug, entry);
    const done = () => {
      if (this.loading.get(slug) === entry) this.loading.delete(slug);
    };
    result.then(done, done);
    return result;
  }

  private async load(slug: string): Promise<Resolved | null> {
    this.cacheStats.loads++;
    const now = nowMs();
    const link = await this.repo.findBySlug(slug);
    if (!link || link.state !== 'active') return null;
    // Read before the rest: a change racing with this load makes the next check reload.
    const version = await this.versionOf(link);
    // A deleted org is an unavailable link; a database that fails is a 503, never a quiet 404.
    const org = await this.orgs.require(link.org_id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    });
    if (!org) return null;
    const shipment = await this.shipments.viewFor(link.org_id, link.shipment_id);
    if (!shipment) return null;
    const changes = await this.shipments.changesFor(link.org_id, link.shipment_id);
    const policy = linkPolicy(org, shipment, parseOptions(link.options));
    return {
      state: 'ok',
      link,
      org,
      shipment,
      changes,
      policy,
      shipmentUpdatedMs: Date.parse(shipment.updated_at ?? ''),
      available: policy.unavailable === null,
      version,
      checkedAt: now,
    };
  }

  /** Announces links that expired since the last sweep (webhooks, live streams), once each. */
  async sweepExpired(now = nowMs()): Promise<number> {
    let announced = 0;
    for (const link of await this.repo.expiredUnannounced(now, 500)) {
      if (!(await this.repo.markExpiredNotified(link.id, now))) continue;
      this.invalidateLink(link.id);
      this.emit('expired', link);
      announced++;
    }
    return announced;
  }

  /** Runs sweepExpired every interval until stopSweeper; servers start it, CLI commands never do. */
  startSweeper(intervalMs = 60_000): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      this.sweepExpired().catch((err: unknown) => this.errorLog(err));
    }, intervalMs);
    this.sweeper.unref();
  }

  stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Counts a page view in memory (no visitor data kept); the first one is announced when written. See ViewCounter. */
  recordView(link: TrackingLinkRow): void {
    this.views.record(link);
  }

  /** Writes the views counted in memory (admin reads do, so they see this instance's counts). */
  flushViews(): Promise<void> {
    return this.views.flush();
  }

  /** Stops the view timer and writes what is pending (services.stop, before the store closes). */
  stopViews(): Promise<void> {
    return this.views.stop();
  }

  private async freshViews(): Promise<void> {
    await this.views.flush().catch((err: unknown) => this.errorLog(err));
  }

  // ---- views ----

  url(slug: string): string {
    return `${this.publicBaseUrl}/t/${slug}`;
  }

  private async requireLink(actor: Actor, id: string): Promise<TrackingLinkRow> {
    const link = await this.repo.find(actor.orgId, id);
    if (!link) throw AppError.notFound('Tracking link');
    return link;
  }

  private async viewOne(actor: Actor, link: TrackingLinkRow) {
    const org = await this.orgs.require(actor.orgId);
    const s: ShipmentRow = await this.shipments.requireOwn(actor, link.shipment_id);
    return this.view(link, org, s.updated_at, s.reference);
  }

  view(link: TrackingLinkRow | LinkWithShipment, org: Org, shipmentUpdatedAt: number, shipmentReference: string) {
    return linkView(link, org, shipmentUpdatedAt, shipmentReference, this.url(link.slug));
  }
}

/** What every new link starts with: a new slug, active, created now by the actor, never viewed. */
function freshLink(actor: Actor, now: number) {
  return {
    slug: randomToken(SLUG_BYTES),
    state: 'active' as const,
    created_by: actor.label,
    created_at: now,
    updated_at: now,
    revoked_by: null,
    revoked_at: null,
    replaced_by: null,
    first_viewed_at: null,
    last_viewed_at: null,
    view_count: 0,
    expired_notified_at: null,
  };
}

/** Options may only name segments and photos this shipment has. */
function checkOptions(s: ShipmentView, o: LinkOptions, path: string): void {
  const problems: ErrorDetail[] = [];
  const segs = new Set(s.segments.map((g) => g.index));
  (o.segments ?? []).forEach((i, n) => {
    if (!segs.has(i)) problems.push({ path: `${path}/segments/${n}`, message: `no segment ${i} (the shipment has ${segs.size})` });
  });
  const photos = new Set(s.photos.map((p) => p.id));
  (o.photo_ids ?? []).forEach((id, n) => {
    if (!photos.has(id)) problems.push({ path: `${path}/photo_ids/${n}`, message: 'not a photo of this shipment' });
  });
  if (problems.length) throw AppError.validation('The link options refer to something this shipment does not have', problems);
}
