// Wires every module's service to the store and to each other. The one composition root.
import path from 'node:path';
import type { Config } from './config.js';
import type { Store } from './db/index.js';
import { IdempotencyRepository } from './http/idempotency.repository.js';
import { FileStore } from './shared/files.js';
import { PeriodicJob } from './shared/periodic.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { LinksRepository } from './modules/links/links.repository.js';
import { LinksService } from './modules/links/links.service.js';
import { createPositionsModule, type PositionsModule } from './modules/live/live.module.js';
import type { LiveService } from './modules/live/live.service.js';
import type { DevicesService } from './modules/positions/devices.service.js';
import type { EtaService } from './modules/positions/eta.service.js';
import { IngestTokensRepository } from './modules/positions/ingest-tokens.repository.js';
import { IngestTokensService } from './modules/positions/ingest-tokens.service.js';
import { TraccarIngest } from './modules/positions/traccar.service.js';
import type { PositionsService } from './modules/positions/positions.service.js';
import { Metrics } from './modules/metrics/metrics.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { OrgsService } from './modules/orgs/orgs.service.js';
import { ShipmentsRepository } from './modules/shipments/shipments.repository.js';
import { ShipmentsService } from './modules/shipments/shipments.service.js';
import { PartnersRepository } from './modules/partners/partners.repository.js';
import { PartnersService } from './modules/partners/partners.service.js';
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
  links: LinksService;
  /** Contact tasks, email templates, the outbox worker and webhooks; start() runs the worker. */
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
  /** The above composed, with start() for servers (LISTEN, heartbeats, retention job). */
  positionsModule: PositionsModule;
  /** Prometheus instruments; modules feed them through its hooks (countIngested, set…Source). */
  metrics: Metrics;
  /** Hourly deletion of what is kept only for a while (expired Idempotency-Key records, old failed sign-ins); main.ts starts it. */
  housekeeping: PeriodicJob<void>;
  /** Map tiles through this server (disk-cached), or null with TILE_URL=off. */
  tiles: TileService | null;
  /** Stops background work (workers, listeners) before the store closes. */
  stop(): Promise<void>;
}

/** Knobs for tests only; servers use the defaults. */
export interface ServiceOptions {
  /** Delay between live bus reconnection attempts, ms (outage tests). */
  busReconnectMs?: number;
}

export function createServices(config: Config, store: Store, opts: ServiceOptions = {}): Services {
  // Times every query of every module for /metrics; the plugged instance shares the store's driver.
  const metrics = new Metrics();
  metrics.setStoreHealth(store.health);
  store.db = store.db.withPlugin(metrics.storeTimingPlugin());
  const files = new FileStore(config.dataDir);
  const audit = new AuditService(store.db);
  const auth = new AuthService(store.db, audit, config.sessionTtlHours * 3600_000, config.passwordScryptN);
  const orgs = new OrgsService(store.db, audit, files, config.publicBaseUrl);
  const shipments = new ShipmentsService(new ShipmentsRepository(store.db), audit, files);
  const partners = new PartnersService(new PartnersRepository(store.db), shipments, audit);
  const links = new LinksService(new LinksRepository(store.db), shipments, orgs, audit, config.publicBaseUrl, { outageGraceMs: config.publicOutageGraceMs });
  links.attach();
  const stoppers: (() => Promise<void>)[] = [];
  // Pushed first so it runs last: views counted in memory are written before the store closes.
  stoppers.push(() => links.stopViews());
  const notifications = new NotificationsService({ db: store.db, dialect: store.dialect, config, shipments, orgs, audit, links });
  notifications.attach();
  metrics.setOutboxBacklogSource(() => notifications.backlog());
  stoppers.push(() => notifications.stop());
  const positionsModule = createPositionsModule({ config, store, audit, orgs, shipments, links, metrics, busReconnectMs: opts.busReconnectMs });
  stoppers.push(() => positionsModule.stop());
  const ingestTokensRepo = new IngestTokensRepository(store.db);
  const ingestTokens = new IngestTokensService(ingestTokensRepo, audit, config.publicBaseUrl, (actor) => auth.userBehind(actor));
  auth.onAuthorityLost((actor, userId, lostRoles, at) => ingestTokens.revokeOfUser(actor, userId, lostRoles, at));
  const traccar = new TraccarIngest(ingestTokens, ingestTokensRepo, positionsModule.positions, positionsModule.guard);
  const idempotency = new IdempotencyRepository(store.db);
  const housekeeping = new PeriodicJob(async (now) => {
    await idempotency.purgeExpired(now);
    await auth.purgeLoginFailures(now);
  });
  stoppers.push(() => housekeeping.stop());

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
    notifications,
    devices: positionsModule.devices,
    positions: positionsModule.positions,
    eta: positionsModule.eta,
    ingestTokens,
    traccar,
    live: positionsModule.live,
    positionsModule,
    metrics,
    housekeeping,
    tiles: config.tileUrl
      ? new TileService({
          upstream: config.tileUrl,
          userAgent: tileUserAgent(TRACKLINK_VERSION, config.tileContact || config.publicBaseUrl),
          maxZoom: config.tileMaxZoom,
          cache: new TileDiskCache(path.join(config.dataDir, 'tiles'), config.tileCacheMaxBytes),
        })
      : null,
    async stop() {
      for (const s of stoppers.reverse()) await s();
    },
  };
}
