// Wires every module's service to the store and to each other. The one composition root.
import type { Config } from './config.js';
import type { Store } from './db/index.js';
import { FileStore } from './shared/files.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { Metrics } from './modules/metrics/metrics.js';
import { OrgsService } from './modules/orgs/orgs.service.js';
import { ShipmentsRepository } from './modules/shipments/shipments.repository.js';
import { ShipmentsService } from './modules/shipments/shipments.service.js';

export interface Services {
  config: Config;
  store: Store;
  files: FileStore;
  audit: AuditService;
  auth: AuthService;
  orgs: OrgsService;
  shipments: ShipmentsService;
  /** Prometheus instruments; modules feed them through its hooks (countIngested, set…Source). */
  metrics: Metrics;
  /** Stops background work (workers, listeners) before the store closes. */
  stop(): Promise<void>;
}

export function createServices(config: Config, store: Store): Services {
  // Times every query of every module for /metrics; the plugged instance shares the store's driver.
  const metrics = new Metrics();
  store.db = store.db.withPlugin(metrics.storeTimingPlugin());
  const files = new FileStore(config.dataDir);
  const audit = new AuditService(store.db);
  const auth = new AuthService(store.db, audit, config.sessionTtlHours * 3600_000);
  const orgs = new OrgsService(store.db, audit, files, config.publicBaseUrl);
  const shipments = new ShipmentsService(new ShipmentsRepository(store.db), audit, files);
  const stoppers: (() => Promise<void>)[] = [];

  return {
    config,
    store,
    files,
    audit,
    auth,
    orgs,
    shipments,
    metrics,
    async stop() {
      for (const s of stoppers.reverse()) await s();
    },
  };
}
