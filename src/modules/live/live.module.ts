// Composes devices, positions, ETA, retention and the live hub, and bridges every change that
// can alter what a public link shows (shipments, orgs, links, sources, ETA) through the hub,
// so each instance refreshes its own viewers and drops its own link cache.
import type { Config } from '../../config.js';
import type { Store } from '../../db/index.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Metrics } from '../metrics/metrics.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { PositionScope } from '../positions/positions.contract.js';
import { DeviceGuard } from '../positions/device-guard.js';
import { DevicesService } from '../positions/devices.service.js';
import { EtaService } from '../positions/eta.service.js';
import { PositionsRepository, type StoredPoint } from '../positions/positions.repository.js';
import { PositionsService } from '../positions/positions.service.js';
import { PositionPartitions } from '../positions/partitions.js';
import { PartitionsRepository } from '../positions/partitions.repository.js';
import { RetentionJob } from '../positions/retention.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import { BusProbe } from './bus-probe.js';
import { createBus } from './create-bus.js';
import type { LiveBus, LiveMessage } from './hub.js';
import { LiveService, type LiveEventsPolicy, type LiveLink, type LiveResolve } from './live.service.js';

export interface PositionsModule {
  devices: DevicesService;
  positions: PositionsService;
  eta: EtaService;
  live: LiveService;
  /** The device request and failed-authentication limits, shared by every ingestion endpoint. */
  guard: DeviceGuard;
  retention: RetentionJob;
  /** PostgreSQL: the day partitions of positions, created ahead by a job; null on SQLite. */
  partitions: PositionPartitions | null;
  /** The fan-out between instances (LIVE_BUS_URL), and its lag probe. */
  bus: LiveBus;
  probe: BusProbe;
  /** Starts the bus connection, heartbeats, partition upkeep and retention (servers only, not the CLI). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What live needs of the links module (links.service.ts), stated here so the two stay decoupled. */
export interface LinksPort {
  resolvePublic(slug: string): Promise<
    | {
        state: 'ok';
        link: { id: string };
        org: { id: string };
        shipment: { id: string; status: string; current_stage: number | null };
        policy: { positions: PositionScope; live: LiveEventsPolicy };
      }
    | { state: 'not_found' }
    | { state: 'expired' }
  >;
  onChange(listener: (e: { type: string; linkId: string; orgId: string; shipmentId: string }) => void): void;
  invalidateShipment(shipmentId: string): void;
  invalidateLink(linkId: string): void;
  invalidateOrg(orgId: string): void;
  invalidateAll(): void;
}

type Resolved = Extract<Awaited<ReturnType<LinksPort['resolvePublic']>>, { state: 'ok' }>;

/** The part of a link resolution a live viewer keeps in memory. */
export function liveLinkOf(r: Resolved): LiveLink {
  return {
    linkId: r.link.id,
    orgId: r.org.id,
    shipmentId: r.shipment.id,
    scope: r.policy.positions,
    events: r.policy.live,
    status: r.shipment.status,
    currentStage: r.shipment.current_stage,
  };
}

export interface PositionsDeps {
  config: Config;
  store: Store;
  audit: AuditService;
  orgs: OrgsService;
  shipments: ShipmentsService;
  links: LinksPort;
  metrics: Metrics;
  errorLog?: (err: unknown) => void;
  /** Bus reconnection delay, ms (tests of an outage); the bus's own default otherwise. */
  busReconnectMs?: number;
}

/** How often the bus lag probe pings (tracklink_live_bus_lag_seconds). */
const BUS_PROBE_MS = 5000;

export function createPositionsModule(d: PositionsDeps): PositionsModule {
  const errorLog = d.errorLog ?? ((err: unknown) => process.stderr.write(`tracklink live: ${(err as Error)?.message ?? String(err)}\n`));
  const hub = createBus(d.config.liveBus, d.store, errorLog, { reconnectMs: d.busReconnectMs });
  const probe = new BusProbe(hub);
  const repo = new PositionsRepository(d.store.db, d.store.dialect);
  const devices = new DevicesService(repo, d.shipments, d.audit, d.config.publicBaseUrl);
  const guard = new DeviceGuard({ authFailuresPerMinute: d.config.deviceAuthFailureLimit, requestsPerMinute: d.config.deviceRateLimit });
  const positions = new PositionsService(repo, devices, d.shipments, guard, (n, source) => d.metrics.countIngested(n, source), hub.positionChannel);
  const eta = new EtaService(repo, d.shipments);
  eta.setErrorLog(errorLog);

  const resolve: LiveResolve = async (slug) => {
    const r = await d.links.resolvePublic(slug);
    return r.state === 'ok' ? liveLinkOf(r) : r.state;
  };
  const invalidate = (msg: LiveMessage) => {
    if (msg.t === 'ship') d.links.invalidateShipment(msg.s);
    else if (msg.t === 'link') {
      d.links.invalidateLink(msg.l);
      d.links.invalidateShipment(msg.s);
    } else if (msg.t === 'org') d.links.invalidateOrg(msg.o);
  };
  // Registered before the live service's own resync listener, so its viewers re-resolve uncached.
  hub.onResync(() => {
    d.links.invalidateAll();
    positions.forgetCurrentPositions();
  });
  // Positions stored by another instance make this one's cached current positions stale.
  hub.subscribe((msg) => {
    if (msg.t === 'pos') positions.devicePositionsChanged(msg.d);
  });
  const live = new LiveService(hub, positions, eta, resolve, { maxPerIp: d.config.sseMaxPerIp, invalidate, errorLog });
  // The one PostgreSQL-only part of positions: SQLite keeps one table.
  const partitions = d.store.dialect === 'postgres' ? new PositionPartitions(new PartitionsRepository(d.store.db), errorLog) : null;
  const retention = new RetentionJob(repo, errorLog, () => positions.forgetCurrentPositions(), partitions);

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
        live.publish({ t: 'pos', o: orgId, d: p.device_id, p: [p.recorded_at, p.lat, p.lon, p.speed_mps, p.heading_deg, p.accuracy_m] });
      }
    }
    repo
      .shipmentsOfDevices(orgId, [...newest.keys()])
      .then((rows) => {
        for (const s of new Set(rows.map((r) => r.shipment_id))) eta.schedule(orgId, s);
      })
      .catch(errorLog);
  });
  devices.onSourcesChange((orgId, shipmentId) => live.publish({ t: 'ship', o: orgId, s: shipmentId, k: 'sources' }));
  eta.onChange((orgId, shipmentId) => live.publish({ t: 'ship', o: orgId, s: shipmentId, k: 'eta' }));
  d.shipments.events.onAfterCommit((e) => live.publish({ t: 'ship', o: e.orgId, s: e.shipmentId, k: e.type }));
  d.orgs.onChange((orgId) => live.publish({ t: 'org', o: orgId }));
  d.links.onChange((e) => {
    if (e.type !== 'first_viewed') live.publish({ t: 'link', o: e.orgId, s: e.shipmentId, l: e.linkId, k: e.type });
  });
  d.metrics.setSseViewersSource(() => live.viewerCount);
  d.metrics.setLiveBusSource(() => ({ kind: hub.kind, connected: hub.connected, lagSeconds: probe.lagSeconds, received: probe.received }));

  let started: Promise<void> | null = null;
  return {
    devices,
    positions,
    eta,
    live,
    guard,
    retention,
    partitions,
    bus: hub,
    probe,
    start() {
      started ??= (async () => {
        await live.start();
        probe.start(BUS_PROBE_MS);
        partitions?.start();
        retention.start();
      })();
      return started;
    },
    async stop() {
      if (started) {
        await started.catch(() => {});
        probe.stop();
        await live.stop();
        await retention.stop();
        await partitions?.stop();
      }
      await eta.drain();
    },
  };
}
