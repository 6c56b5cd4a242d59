// The one composition root: builds the repositories over the store, then every module's service
// in dependency order, then wires who listens to what, then lists the background jobs (main.ts
// starts them; tests and CLI commands build all of this without starting any).
import path from 'node:path';
import type { Config } from './config.js';
import type { Store } from './db/index.js';
import { queryTimingPlugin } from './db/query-timing.js';
import { Background } from './background.js';
import { IdempotencyRepository } from './http/idempotency.repository.js';
import { FileStore } from './shared/files.js';
import { PeriodicJob } from './shared/periodic.js';
import { AuditRepository } from './modules/audit/audit.repository.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthRepository } from './modules/auth/auth.repository.js';
import { AuthService } from './modules/auth/auth.service.js';
import { LoginThrottleRepository } from './modules/auth/login-throttle.repository.js';
import { LinksRepository } from './modules/links/links.repository.js';
import { PublicLinkRepository } from './modules/links/public-link.repository.js';
import { LinkEvents } from './modules/links/link-events.js';
import { LinksService } from './modules/links/links.service.js';
import { PublicLinkResolver } from './modules/links/public-link-resolver.js';
import { BusProbe } from './modules/live/bus-probe.js';
import { createBus } from './modules/live/create-bus.js';
import { InsistentPublisher, type LiveBus, type LiveMessage } from './modules/live/hub.js';
import { liveLinkOf } from './modules/live/live-link.js';
import { LiveService } from './modules/live/live.service.js';
import type { LiveResolve } from './modules/live/live-link.js';
import { Metrics } from './modules/metrics/metrics.js';
import { NotificationsRepository } from './modules/notifications/notifications.repository.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { OrgsRepository } from './modules/orgs/orgs.repository.js';
import { OrgsService } from './modules/orgs/orgs.service.js';
import { PartnersRepository } from './modules/partners/partners.repository.js';
import { PartnersService } from './modules/partners/partners.service.js';
import { DeviceGuard } from './modules/positions/device-guard.js';
import { DEVICE_TOKEN_TTL_MS } from './modules/positions/device-token-cache.js';
import { DevicesService } from './modules/positions/devices.service.js';
import { EtaService } from './modules/positions/eta.service.js';
import { IngestTokensRepository } from './modules/positions/ingest-tokens.repository.js';
import { IngestTokensService } from './modules/positions/ingest-tokens.service.js';
import { PositionPartitions } from './modules/positions/partitions.js';
import { PartitionsRepository } from './modules/positions/partitions.repository.js';
import { PositionsRepository, type StoredPoint } from './modules/positions/positions.repository.js';
import { DevicesRepository } from './modules/positions/devices.repository.js';
import { PositionsService } from './modules/positions/positions.service.js';
import { RetentionJob } from './modules/positions/retention.js';
import { RetentionRepository } from './modules/positions/retention.repository.js';
import { TraccarIngest } from './modules/positions/traccar.service.js';
import { ShipmentsRepository } from './modules/shipments/shipments.repository.js';
import { ShipmentsService } from './modules/shipments/shipments.service.js';
import { TileDiskCache } from './modules/tiles/tile-cache.js';
import { TileService, tileUserAgent } from './modules/tiles/tiles.service.js';
import { TRACKLINK_VERSION } from './shared/version.js';

export interface Services {
  config: Config;
  store: Store;
  files: FileStore;
  audit: AuditService;
  auth: AuthService;
  orgs: OrgsService;
  shipments: ShipmentsService;
  /** Partner organizations: invitations, connections and the shipments shared with them. */
  partners: PartnersService;
  /** Tracking links, the admin lifecycle (create, update, revoke, regenerate, list). */
  links: LinksService;
  /** What a public request for /t/{slug} resolves to (cached), expiry sweeps and view counts. */
  publicLinks: PublicLinkResolver;
  /** Contact tasks, email templates, the outbox worker and webhooks. */
  notifications: NotificationsService;
  devices: DevicesService;
  positions: PositionsService;
  eta: EtaService;
  /** Org tokens for server-to-server position feeds (Traccar forwarding). */
  ingestTokens: IngestTokensService;
  /** POST /ingest/traccar: Traccar server's forwarded positions. */
  traccar: TraccarIngest;
  /** SSE viewers of this instance and the cross-instance hub (closeAll, viewerCount). */
  live: LiveService;
  /** The fan-out between instances (LIVE_BUS_URL). */
  bus: LiveBus;
  /** Deletes positions older than each org's retention (runOnce for tests and operators). */
  retention: RetentionJob;
  /** PostgreSQL: the day partitions of positions, created ahead by a job; null on SQLite. */
  partitions: PositionPartitions | null;
  /** Prometheus instruments; modules feed them through its hooks (countIngested, set…Source). */
  metrics: Metrics;
  /** Hourly deletion of what is kept only for a while (expired Idempotency-Key records, old failed sign-ins). */
  housekeeping: PeriodicJob<void>;
  /** The Idempotency-Key records of http/idempotency.plugin.ts. */
  idempotency: IdempotencyRepository;
  /** Map tiles through this server (disk-cached), or null with TILE_URL=off. */
  tiles: TileService | null;
  /** Everything that runs outside requests; main.ts starts it, tests start the parts they need. */
  background: Background;
  /** Stops background work (workers, listeners) and writes what is pending, before the store closes. */
  stop(): Promise<void>;
}

/** Knobs for tests only; servers use the defaults. */
export interface ServiceOptions {
  /** Delay between live bus reconnection attempts, ms (outage tests). */
  busReconnectMs?: number;
  /** The public link resolver's clock (cache re-checks), so tests pass time without waiting. */
  publicLinkClock?: () => number;
  /** How often viewers' links are re-checked while the bus is down, ms (LiveOptions.outageCheckMs). */
  busOutageCheckMs?: number;
}

export function createServices(config: Config, store: Store, opts: ServiceOptions = {}): Services {
  // Times every query of every module for /metrics; the plugged instance shares the store's driver.
  const metrics = new Metrics();
  metrics.setStoreHealth(store.health);
  store.db = store.db.withPlugin(queryTimingPlugin((op, seconds) => metrics.observeQuery(op, seconds)));
  const errorLog = (err: unknown) => process.stderr.write(`tracklink live: ${(err as Error)?.message ?? String(err)}\n`);

  // ---- repositories: the only code that reads and writes the database ----
  const db = store.db;
  const repos = {
    audit: new AuditRepository(db, store.dialect),
    auth: new AuthRepository(db),
    loginThrottle: new LoginThrottleRepository(db),
    orgs: new OrgsRepository(db),
    shipments: new ShipmentsRepository(db),
    partners: new PartnersRepository(db),
    links: new LinksRepository(db, store.dialect),
    publicLinks: new PublicLinkRepository(db, store.dialect),
    notifications: new NotificationsRepository(db, store.dialect),
    positions: new PositionsRepository(db, store.dialect),
    devices: new DevicesRepository(db, store.dialect),
    retention: new RetentionRepository(db),
    // The one PostgreSQL-only part of positions: SQLite keeps one table.
    partitions: store.dialect === 'postgres' ? new PartitionsRepository(db) : null,
    ingestTokens: new IngestTokensRepository(db),
    idempotency: new IdempotencyRepository(db),
  };

  // ---- services, each after the ones it uses ----
  const files = new FileStore(config.dataDir);
  const audit = new AuditService(repos.audit);
  const auth = new AuthService(repos.auth, repos.loginThrottle, audit, config.sessionTtlHours * 3600_000, config.passwordScryptN);
  const orgs = new OrgsService(repos.orgs, audit, files, config.publicBaseUrl);
  const shipments = new ShipmentsService(repos.shipments, audit, files);
  const partners = new PartnersService(repos.partners, shipments, audit);
  const linkEvents = new LinkEvents();
  const publicLinks = new PublicLinkResolver(repos.links, repos.publicLinks, linkEvents, { outageGraceMs: config.publicOutageGraceMs, now: opts.publicLinkClock });
  const links = new LinksService(repos.links, shipments, orgs, audit, publicLinks, linkEvents, config.publicBaseUrl);
  metrics.setLinkCacheSource(() => publicLinks.cacheStats);
  const notifications = new NotificationsService({ repo: repos.notifications, config, shipments, orgs, audit, links });
  // The fan-out between instances (LIVE_BUS_URL: PostgreSQL LISTEN/NOTIFY, Redis, NATS, or in-process).
  const hub = createBus(config.liveBus, store, errorLog, { reconnectMs: opts.busReconnectMs });
  // Measures the bus's lag, and treats it as lost when this instance stops hearing itself on it.
  const probe = new BusProbe(hub);
  const insistent = new InsistentPublisher(hub, { retryMs: 1000, forMs: DEVICE_TOKEN_TTL_MS, errorLog });
  // Devices found by token are cached only while changes on other instances reach this one.
  const devices = new DevicesService(repos.devices, repos.positions, shipments, audit, config.publicBaseUrl, { trusted: () => hub.connected });
  const guard = new DeviceGuard({ authFailuresPerMinute: config.deviceAuthFailureLimit, credentialFailuresPerMinute: config.deviceCredentialFailureLimit, requestsPerMinute: config.deviceRateLimit });
  const positions = new PositionsService(repos.positions, devices, shipments, guard, metrics, hub.positionChannel);
  const eta = new EtaService(repos.positions, shipments);
  eta.setErrorLog(errorLog);
  const resolveLive: LiveResolve = async (slug) => {
    const r = await publicLinks.resolve(slug);
    return r.state === 'ok' ? liveLinkOf(r) : r.state;
  };
  // A change announced by any instance drops this instance's cached resolutions of it.
  const invalidateLinks = (msg: LiveMessage) => {
    if (msg.type === 'ship') publicLinks.invalidateShipment(msg.shipmentId);
    else if (msg.type === 'link') {
      publicLinks.invalidateLink(msg.linkId);
      publicLinks.invalidateShipment(msg.shipmentId);
    } else if (msg.type === 'org') publicLinks.invalidateOrg(msg.orgId);
  };
  const live = new LiveService(hub, positions, eta, resolveLive, { maxPerIp: config.sseMaxPerIp, invalidate: invalidateLinks, errorLog, outageCheckMs: opts.busOutageCheckMs });
  const partitions = repos.partitions ? new PositionPartitions(repos.partitions, errorLog) : null;
  const retention = new RetentionJob(repos.retention, errorLog, () => positions.forgetCurrentPositions(), partitions);
  const ingestTokens = new IngestTokensService(repos.ingestTokens, audit, config.publicBaseUrl, auth.heldAuthority.onHeldAuthority.bind(auth.heldAuthority));
  const traccar = new TraccarIngest(ingestTokens, repos.ingestTokens, positions, guard);
  const housekeeping = new PeriodicJob(async (now) => {
    await repos.idempotency.purgeExpired(now);
    await auth.purgeLoginFailures(now);
  });
  const tiles = config.tileUrl
    ? new TileService({
        upstream: config.tileUrl,
        userAgent: tileUserAgent(TRACKLINK_VERSION, config.tileContact || config.publicBaseUrl),
        maxZoom: config.tileMaxZoom,
        cache: new TileDiskCache(path.join(config.dataDir, 'tiles'), config.tileCacheMaxBytes),
      })
    : null;

  // ---- who listens to what (in this order: a later listener sees the earlier ones' effects) ----
  // Links: a changed org or shipment changes what its links show; a new shipment may get its general link.
  orgs.onChange((orgId) => publicLinks.invalidateOrg(orgId));
  shipments.events.onAfterCommit(async (e) => {
    publicLinks.invalidateShipment(e.shipmentId);
    if (e.type === 'shipment_created') await links.autoCreate(e.orgId, e.shipmentId);
  });
  // Notifications: emails are recorded in the shipment event's own transaction; webhooks follow links.
  shipments.events.onInTransaction((trx, e) => notifications.recordShipmentEmails(trx, e));
  shipments.events.onAfterCommit((e) => notifications.shipmentEventCommitted(e));
  links.onChange((e) => notifications.linkChanged(e));
  // Positions: new sources change a shipment's visible windows. Link resolutions carry the
  // sources they were loaded with, so they go at once too (on PostgreSQL the shipment's NOTIFY
  // drops them again on every instance when it comes back).
  devices.onSourcesChange((_orgId, shipmentId) => {
    publicLinks.invalidateShipment(shipmentId);
    positions.forgetVisibleWindows();
  });
  // Live: after missed cross-instance messages nothing cached can be trusted. Registered before
  // the live service's own resync listener (live.start), so its viewers re-resolve uncached.
  hub.onResync(() => {
    publicLinks.invalidateAll();
    positions.forgetCurrentPositions();
    devices.forgetAllDevices();
  });
  // Devices cached by token: a rotation or deletion another instance makes reaches this one only
  // through the bus, so from the moment it is lost until it is back nothing is taken from the cache.
  hub.onLost(() => devices.forgetAllDevices());
  // Positions stored by another instance make this one's cached current positions stale.
  hub.subscribe((msg) => {
    if (msg.type === 'pos') positions.devicePositionsChanged(msg.deviceId);
    else if (msg.type === 'device') devices.forgetDevice(msg.deviceId);
  });
  positions.onIngest((orgId, inserted) => {
    // One small message per device per batch: its newest position (viewers only show the latest).
    const newest = new Map<string, StoredPoint>();
    for (const p of inserted) {
      const cur = newest.get(p.device_id);
      if (!cur || p.recorded_at > cur.recorded_at) newest.set(p.device_id, p);
    }
    // With LISTEN/NOTIFY the insert has announced them already, in commit order (hub.positionChannel).
    if (!hub.positionChannel) {
      for (const p of newest.values()) {
        live.publish({ type: 'pos', orgId, deviceId: p.device_id, position: [p.recorded_at, p.lat, p.lon, p.speed_mps, p.heading_deg, p.accuracy_m] });
      }
    }
    eta.scheduleForDevices(orgId, [...newest.keys()]);
  });
  // Every change that can alter what a public link shows goes through the hub, so each instance
  // refreshes its own viewers and drops its own link cache. Those that can take something away
  // (a revocation, sharing off, a detached device, a shipment's change) and a token that stopped
  // working are sent again until the bus takes them: a message lost while the bus stays up would
  // otherwise leave other instances' caches and open streams as they were until their own
  // re-checks (60 s for open streams, 30 s for device tokens). An ETA is only news.
  devices.onSourcesChange((orgId, shipmentId) => insistent.publish({ type: 'ship', orgId, shipmentId, change: 'sources' }));
  eta.onChange((orgId, shipmentId) => live.publish({ type: 'ship', orgId, shipmentId, change: 'eta' }));
  shipments.events.onAfterCommit((e) => insistent.publish({ type: 'ship', orgId: e.orgId, shipmentId: e.shipmentId, change: e.type }));
  orgs.onChange((orgId) => insistent.publish({ type: 'org', orgId }));
  devices.onCredentialChange((orgId, deviceId, change) => insistent.publish({ type: 'device', orgId, deviceId, change }));
  links.onChange((e) => {
    if (e.type !== 'first_viewed') insistent.publish({ type: 'link', orgId: e.orgId, shipmentId: e.shipmentId, linkId: e.linkId, change: e.type });
  });
  // Credentials kept on a user's authority go with it.
  auth.onAuthorityLost((actor, userId, lostRoles, at) => ingestTokens.revokeOfUser(actor, userId, lostRoles, at));
  metrics.setOutboxBacklogSource(() => notifications.backlog());
  metrics.setSseViewersSource(() => live.viewerCount);
  metrics.setLiveBusSource(() => ({ kind: hub.kind, connected: hub.connected, lagSeconds: probe.lagSeconds, received: probe.received }));

  // ---- background: what a serving process runs outside requests (main.ts starts it) ----
  const background = new Background([
    {
      name: 'live-hub',
      does: 'the live bus connection (cross-instance messages), SSE heartbeats and the bus probe (lag; a silent subscription counts as an outage)',
      start: async () => {
        await live.start();
        probe.start();
      },
      stop: async () => {
        probe.stop();
        insistent.stop();
        await live.stop();
      },
    },
    {
      name: 'partition-maintenance',
      does: 'creates the coming days\u2019 partitions of positions (PostgreSQL only)',
      start: (log) => partitions?.start(log),
      stop: () => partitions?.stop(),
    },
    {
      name: 'retention-purge',
      does: 'deletes positions older than each org\u2019s retention, in bounded steps',
      start: () => retention.start(),
      stop: () => retention.stop(),
    },
    {
      name: 'link-expiry-sweeper',
      does: 'announces links that expired (link.expired webhooks, closing their live streams), once each',
      start: (log) => {
        linkEvents.setErrorLog((err) => log.error({ err }, 'tracking links background work failed'));
        publicLinks.startSweeper();
      },
      stop: () => publicLinks.stopSweeper(),
    },
    {
      name: 'outbox-worker',
      does: 'sends queued emails and webhooks with retries',
      start: (log) => notifications.start(log),
      stop: () => notifications.stopWorker(),
    },
    {
      name: 'housekeeping',
      does: 'hourly: deletes expired Idempotency-Key records and old failed sign-ins',
      start: (log) => housekeeping.start(3600_000, 0, (err) => log.error({ err }, 'housekeeping failed')),
      stop: () => housekeeping.stop(),
    },
  ]);

  return {
    config,
    store,
    files,
    audit,
    auth,
    orgs,
    shipments,
    partners,
    links,
    publicLinks,
    notifications,
    devices,
    positions,
    eta,
    ingestTokens,
    traccar,
    live,
    bus: hub,
    retention,
    partitions,
    metrics,
    housekeeping,
    idempotency: repos.idempotency,
    tiles,
    background,
    async stop() {
      await background.stop();
      // Work a request started (ETA recomputations, the mailer) ends before the store closes;
      // views counted in memory are written last.
      await eta.drain();
      await notifications.stop();
      await housekeeping.stop();
      await publicLinks.stopViews();
    },
  };
}
