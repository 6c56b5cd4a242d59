// The public side of tracking links: resolve(slug), the single resolution every public route
// (page, JSON, history, live stream, photos) uses — cached, re-checked, loaded once per slug at a
// time — plus the expiry sweeper and view counting. The admin lifecycle is links.service.ts.
import { storeProblem } from '../../db/health.js';
import type { Org, TrackingLinkRow } from '../../db/schema.js';
import { Batcher } from '../../shared/batcher.js';
import { nowMs } from '../../shared/time.js';
import { AppError } from '../../shared/errors.js';
import type { ShipmentShape } from '../positions/positions.contract.js';
import { shapeOf } from '../positions/scope.js';
import { changeOf, shipmentView, type ShipmentChange, type ShipmentView } from '../shipments/shipments.view.js';
import { LinkCache } from './link-cache.js';
import type { LinkEvents } from './link-events.js';
import { linkVersion, sourcesVersion, type LinkVersionKey, type LinksRepository } from './links.repository.js';
import { MAX_LOAD_BATCH, type LoadedLink, type PublicLinkRepository } from './public-link.repository.js';
import { ViewCounter } from './view-counter.js';
import { expiresAt, linkPolicy, parseOptions, type LinkPolicy } from './visibility.js';

/**
 * A link that may be shown, with everything its public outputs read. `policy` is what the link
 * shows, and the only thing any public output reads to decide it; `changes` are the shipment's
 * stage and status changes, newest first (for its timeline).
 */
export interface ResolvedLink {
  state: 'ok';
  link: TrackingLinkRow;
  org: Org;
  shipment: ShipmentView;
  changes: ShipmentChange[];
  policy: LinkPolicy;
  /** What the positions module works the visible windows out from, loaded with the rest (no query of its own). */
  shape: ShipmentShape;
}

/** What resolve(slug) answers: a ResolvedLink, or why there is nothing to show. */
export type PublicResolution =
  | ResolvedLink
  | { state: 'not_found' }
  /** The org is known once a link expired: its page is branded (a not-found page never is). */
  | { state: 'expired'; org: Org };

/**
 * What every public route throws when a link shows nothing: the one 404 for every unavailable
 * link (unknown, revoked, sharing off, a hidden photo…), or 410 once it expired. The error
 * handler renders it as the route asks: the public page's HTML (branded with `org` for a 410,
 * never for a 404) or the JSON error body.
 */
export class LinkUnavailable extends AppError {
  private constructor(
    code: 'not_found' | 'gone',
    message: string,
    /** The link's org, known only once it expired. */
    readonly org: Org | null,
  ) {
    super(code, message);
  }
  static override notFound(): LinkUnavailable {
    return new LinkUnavailable('not_found', 'Link not available', null);
  }
  static expired(org: Org): LinkUnavailable {
    return new LinkUnavailable('gone', 'This link has expired', org);
  }
}

/**
 * A ResolvedLink as the cache keeps it; while not expired it is itself the answer. Only links that
 * show something are kept: an unavailable one (sharing off, org locked, nothing shown) is read
 * again on every request, as an unknown or revoked slug is, so its 404 does not come ten times
 * sooner and tell a link's holder which of these it is.
 */
interface CachedResolution extends ResolvedLink {
  /** The shipment's last update (inactivity expiry), parsed once per load. */
  shipmentUpdatedMs: number;
  /** repo.versionsOf when loaded, and when it was last confirmed. */
  version: string | null;
  checkedAt: number;
}

/**
 * A cached resolution is served as is for RECHECK_MS; after that only if one indexed read shows
 * nothing it depends on changed (each such read renews it for up to the cache TTL) (a change made by another process,
 * e.g. a revocation, is seen within RECHECK_MS as before, without reloading every link).
 */
export const RECHECK_MS = 2000;
const CACHE_TTL_MS = 60_000;
/** Default of PUBLIC_OUTAGE_GRACE_MS: see resolve. */
const OUTAGE_GRACE_MS = 30_000;

/** Slugs are 24 base64url characters (144 random bits); anything else is refused without a query. */
const SLUG_SHAPE = /^[A-Za-z0-9_-]{20,64}$/;

export interface PublicLinkResolverOptions {
  cacheTtlMs?: number;
  /** PUBLIC_OUTAGE_GRACE_MS. */
  outageGraceMs?: number;
  /** The time in epoch ms; tests pass their own to pass the re-check interval without waiting. */
  now?: () => number;
}

export class PublicLinkResolver {
  private readonly cache: LinkCache<CachedResolution>;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly views: ViewCounter;
  private readonly loading = new Map<string, { ticket: number; result: Promise<CachedResolution | null> }>();
  /** repo.versionsOf for the links a turn of requests loads or re-checks, in one query. */
  private readonly versions: Batcher<LinkVersionKey, string | null>;
  /**
   * publicRepo.loadBySlugs for the links a turn of requests loads, in one query: first visits of
   * different links arriving together (a rotation over thousands of links) each paid for a query
   * of their own, its execution through Kysely and the store's wrappers included.
   */
  private readonly loads: Batcher<string, LoadedLink | undefined>;
  private readonly outageGraceMs: number;
  private readonly now: () => number;
  /** Until then the database is known to be away: cached links within the grace are served without asking it. */
  private outageUntil = 0;
  /**
   * Public resolutions answered from the cache (hits) or by loading the link (misses, joined loads
   * included), and loads actually run (cold visits): for /metrics.
   */
  readonly cacheStats = { hits: 0, misses: 0, loads: 0 };

  constructor(
    private readonly repo: LinksRepository,
    private readonly publicRepo: PublicLinkRepository,
    private readonly events: LinkEvents,
    opts: PublicLinkResolverOptions = {},
  ) {
    this.cache = new LinkCache<CachedResolution>(opts.cacheTtlMs ?? CACHE_TTL_MS, 50_000);
    this.outageGraceMs = opts.outageGraceMs ?? OUTAGE_GRACE_MS;
    this.now = opts.now ?? nowMs;
    this.versions = new Batcher((keys) => repo.versionsOf(keys), (k) => `${k.orgId}|${k.linkId}|${k.shipmentId}`);
    this.loads = new Batcher((slugs) => this.publicRepo.loadBySlugs(slugs), (slug) => slug, MAX_LOAD_BATCH);
    this.views = new ViewCounter(
      repo,
      (link) => events.emit('first_viewed', link),
      (err) => events.errorLog(err),
    );
  }

  // ---- cache invalidation (services.ts wires changes of this and other instances here) ----

  invalidateShipment(shipmentId: string): void {
    this.cache.invalidateWhere((e) => e.shipmentId === shipmentId);
  }
  invalidateOrg(orgId: string): void {
    this.cache.invalidateWhere((e) => e.orgId === orgId);
  }
  invalidateLink(linkId: string): void {
    this.cache.invalidateWhere((e) => e.linkId === linkId);
  }
  /** After missed cross-instance notifications (a bus reconnect) nothing cached can be trusted. */
  invalidateAll(): void {
    this.cache.clear();
  }

  // ---- resolution ----

  /**
   * While the database cannot be reached, a cached resolution confirmed less than outageGraceMs
   * ago is still served (pages already cached stay up through a restart or failover). Nobody can
   * revoke a link through this instance meanwhile, but another instance that still reaches the
   * database can: such a revocation takes effect here at most outageGraceMs late (and never later
   * than the cache's lifetime). Anything older, or not cached, fails with the database's error (503).
   */
  async resolve(slug: string): Promise<PublicResolution> {
    if (!SLUG_SHAPE.test(slug)) return { state: 'not_found' };
    const now = this.now();
    let r = this.cache.get(slug, now);
    if (r && now - r.checkedAt >= RECHECK_MS && !(now < this.outageUntil && this.withinGrace(r, now))) {
      const cached = r;
      let confirmed: boolean;
      let asked = true;
      try {
        confirmed = (await this.versionOf(cached.link)) === cached.version;
      } catch (err) {
        if (!storeProblem(err) || !this.withinGrace(cached, this.now())) throw err;
        // Asking again for every request would make each wait for the same timeout.
        this.outageUntil = this.now() + RECHECK_MS;
        confirmed = true;
        asked = false;
      }
      // Confirmed only while the cache still holds this copy: a change of this link, its shipment
      // or its org meanwhile removed it. Changes of other links do not fail the re-check (a
      // global ticket here made every re-check in flight reload its link whenever any link,
      // shipment or org changed: on a busy instance, most of them).
      // A confirmed answer from the database also starts the copy's lifetime again: the version
      // read covers every row the copy was loaded from, so it proves the copy as fresh as a new
      // load would be (without it, links in rotation were reloaded every minute although every
      // re-check had confirmed them). Served within the outage grace (nothing asked), it is not.
      if (confirmed && (asked ? this.cache.renew(slug, cached, now) : this.cache.holds(slug, cached))) {
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
    if (expiresAt(r.link, r.org, r.shipmentUpdatedMs) <= now) {
      if (r.link.expired_notified_at === null && (await this.repo.markExpiredNotified(r.link.id, now))) this.events.emit('expired', r.link);
      return { state: 'expired', org: r.org };
    }
    return r;
  }

  /** resolve(slug) for a public route: the link, or throws LinkUnavailable (404 or 410). */
  async require(slug: string): Promise<ResolvedLink> {
    const r = await this.resolve(slug);
    if (r.state === 'ok') return r;
    throw r.state === 'expired' ? LinkUnavailable.expired(r.org) : LinkUnavailable.notFound();
  }

  private withinGrace(r: CachedResolution, now: number): boolean {
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
  private loadOnce(slug: string, now: number): Promise<CachedResolution | null> {
    const ticket = this.cache.ticket();
    const inFlight = this.loading.get(slug);
    if (inFlight && inFlight.ticket === ticket) return inFlight.result;
    const result = this.loadCurrent(slug, ticket).then((loaded) => {
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

  /**
   * load(slug), as current as the changes announced while it ran: a revocation (or any change of
   * the link, its shipment or its org) committed after the query read the rows but announced
   * before it returned would otherwise be answered with the rows before it, and a live stream
   * attached with them kept showing the link (nothing re-checks a stream's link). When anything
   * was invalidated meanwhile, the copy is confirmed with the batched version read (made after
   * the announcement, so after the commit) and loaded again if it changed.
   */
  private async loadCurrent(slug: string, ticket: number): Promise<CachedResolution | null> {
    let loaded = await this.load(slug);
    for (let seen = ticket, tries = 0; loaded && this.cache.ticket() !== seen && tries < 3; tries++) {
      seen = this.cache.ticket();
      if ((await this.versionOf(loaded.link)) === loaded.version) break;
      loaded = await this.load(slug);
    }
    return loaded;
  }

  /**
   * One query (public-link.repository.ts): the link, its org, its shipment and all the page shows,
   * read together, so the version taken from the same rows cannot disagree with them; shared with
   * the other links loaded in the same turn of the event loop.
   */
  private async load(slug: string): Promise<CachedResolution | null> {
    this.cacheStats.loads++;
    const now = this.now();
    // A deleted org or shipment is an unavailable link (no row); a database that fails is a 503, never a quiet 404.
    const loaded = await this.loads.get(slug);
    if (!loaded || loaded.link.state !== 'active') return null;
    const { link, org, children } = loaded;
    const shipment = shipmentView(loaded.shipment, children);
    const policy = linkPolicy(org, shipment, parseOptions(link.options));
    if (policy.unavailable !== null) return null;
    return {
      state: 'ok',
      link,
      org,
      shipment,
      changes: loaded.changes.map(changeOf),
      policy,
      shape: shapeOf(loaded.shipment, children, loaded.sources),
      shipmentUpdatedMs: Date.parse(shipment.updated_at ?? ''),
      version: linkVersion(link, loaded.shipment, org, sourcesVersion(loaded.sources)),
      checkedAt: now,
    };
  }

  /** Announces links that expired since the last sweep (webhooks, live streams), once each. */
  async sweepExpired(now = this.now()): Promise<number> {
    let announced = 0;
    for (const link of await this.repo.expiredUnannounced(now, 500)) {
      if (!(await this.repo.markExpiredNotified(link.id, now))) continue;
      this.invalidateLink(link.id);
      this.events.emit('expired', link);
      announced++;
    }
    return announced;
  }

  /** Runs sweepExpired every interval until stopSweeper; servers start it, CLI commands never do. */
  startSweeper(intervalMs = 60_000): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      this.sweepExpired().catch((err: unknown) => this.events.errorLog(err));
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
}
