// Prometheus instruments of one Tracklink instance, and the hooks other modules use to feed them.
// One registry per instance (not prom-client's global one), so several apps in one process
// (tests, the two-instance topology) never share or double-register series.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreHealth, StoreProblem } from '../../db/health.js';

type Source = () => number | Promise<number>;

/** What the live module reports about its bus (read at scrape time). */
export interface LiveBusStats {
  kind: string;
  connected: boolean;
  lagSeconds: number;
  received: Record<string, number>;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface RouteStats {
  method: string;
  route: string;
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  buckets: number[];
  sum: number;
  count: number;
  byStatus: Map<number, number>;
}

const labelValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The request counter and latency histogram, kept by hand: prom-client hashes a label object on
 * every observation, which measured 4% of the public page's CPU. Here a request costs one map
 * lookup per route and status; the exposition text is built only when /metrics is scraped.
 */
class HttpStats {
  /** Every method and route seen, in the order first seen (the order of /metrics). */
  private readonly routes: RouteStats[] = [];
  /** The same by route, then method: found without building a key string on every request. */
  private readonly byRoute = new Map<string, Map<string, RouteStats>>();

  observe(method: string, route: string, status: number, seconds: number): void {
    let methods = this.byRoute.get(route);
    if (!methods) this.byRoute.set(route, (methods = new Map()));
    let s = methods.get(method);
    if (!s) {
      s = { method, route, buckets: new Array<number>(HTTP_BUCKETS.length + 1).fill(0), sum: 0, count: 0, byStatus: new Map() };
      methods.set(method, s);
      this.routes.push(s);
    }
    let i = 0;
    while (i < HTTP_BUCKETS.length && seconds > HTTP_BUCKETS[i]) i++;
    s.buckets[i]++;
    s.sum += seconds;
    s.count++;
    s.byStatus.set(status, (s.byStatus.get(status) ?? 0) + 1);
  }

  text(): string {
    const total = [
      '# HELP tracklink_http_requests_total HTTP requests answered, by method, route template and status code',
      '# TYPE tracklink_http_requests_total counter',
    ];
    const hist = [
      '# HELP tracklink_http_request_duration_seconds Time from receiving a request to sending the reply, by method and route template',
      '# TYPE tracklink_http_request_duration_seconds histogram',
    ];
    for (const s of this.routes) {
      const l = `method="${labelValue(s.method)}",route="${labelValue(s.route)}"`;
      for (const [status, n] of s.byStatus) total.push(`tracklink_http_requests_total{${l},status="${status}"} ${n}`);
      let cumulative = 0;
      HTTP_BUCKETS.forEach((bound, i) => {
        cumulative += s.buckets[i];
        hist.push(`tracklink_http_request_duration_seconds_bucket{${l},le="${bound}"} ${cumulative}`);
      });
      hist.push(`tracklink_http_request_duration_seconds_bucket{${l},le="+Inf"} ${s.count}`);
      hist.push(`tracklink_http_request_duration_seconds_sum{${l}} ${s.sum}`);
      hist.push(`tracklink_http_request_duration_seconds_count{${l}} ${s.count}`);
    }
    return `${total.join('\n')}\n\n${hist.join('\n')}\n`;
  }
}

/** What a public request saw when it started, to count the queries of a cold visit. */
interface VisitMark {
  req: object | null;
  queries: number;
  requests: number;
  loads: number;
}

/** Routes whose first visit loads a link: the page and its JSON. */
const PUBLIC_VISIT_ROUTES = new Set(['/t/:slug', '/t/:slug/data']);

export class Metrics {
  readonly registry = new Registry();
  /** Every query the store ran (the timing plugin counts it), and every request begun. */
  private queryCount = 0;
  private requestCount = 0;
  private linkCacheSource: (() => { hits: number; misses: number; loads: number }) | null = null;
  /**
   * The public visit begun last, the only one that can turn out to have had the process to itself:
   * one mark, overwritten in place, instead of one per visit in a WeakMap (issue 19, hot links).
   */
  private readonly visit: VisitMark = { req: null, queries: 0, requests: 0, loads: 0 };
  private readonly coldVisitQueries: Histogram;
  private readonly http = new HttpStats();
  readonly storeDuration: Histogram<'op'>;
  readonly positionsIngested: Counter<'source'>;
  readonly positionCommits: Counter;
  private sseViewersSource: Source | null = null;
  private liveBusSource: (() => LiveBusStats) | null = null;
  private outboxBacklogSource: Source | null = null;
  private storeHealth: StoreHealth | null = null;
  private openConnectionsSource: Source | null = null;
  private readonly connectionsCut: Counter<'reason'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'tracklink_' });

    this.storeDuration = new Histogram({
      name: 'tracklink_store_query_duration_seconds',
      help: 'Database query time including waiting for a connection, by statement kind',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.positionsIngested = new Counter({
      name: 'tracklink_positions_ingested_total',
      help: 'Positions accepted for storage, by ingestion source',
      labelNames: ['source'],
      registers,
    });
    this.positionCommits = new Counter({
      name: 'tracklink_position_commits_total',
      help: 'Transactions that stored positions (concurrent requests share one on SQLite); positions ingested per commit tell how well they are grouped',
      registers,
    });
    const self = this;
    this.coldVisitQueries = new Histogram({
      name: 'tracklink_public_cold_visit_queries',
      help: 'Database queries of a first visit of a link (GET /t/{slug} or /data that loaded the link), counted on visits during which no other request began',
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32],
      registers,
    });
    new Counter({
      name: 'tracklink_link_cache_lookups_total',
      help: 'Public link resolutions, by result: hit (answered from the in-memory cache) or miss (the link was loaded from the database)',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        const s = self.linkCacheSource?.();
        this.inc({ result: 'hit' }, s?.hits ?? 0);
        this.inc({ result: 'miss' }, s?.misses ?? 0);
      },
    });
    new Gauge({
      name: 'tracklink_link_cache_hit_ratio',
      help: 'Share of public link resolutions answered from the cache since the instance started (0 before the first)',
      registers,
      collect() {
        const s = self.linkCacheSource?.();
        const total = (s?.hits ?? 0) + (s?.misses ?? 0);
        this.set(total ? (s?.hits ?? 0) / total : 0);
      },
    });
    new Gauge({
      name: 'tracklink_sse_viewers',
      help: 'Open live-update (SSE) streams on this instance',
      registers,
      async collect() {
        this.set(self.sseViewersSource ? await self.sseViewersSource() : 0);
      },
    });
    new Gauge({
      name: 'tracklink_live_bus_lag_seconds',
      help: 'Round trip of the last probe this instance sent itself through the live bus (every second), or how long the current one or an outage has lasted if longer',
      registers,
      collect() {
        this.set(self.liveBusSource?.().lagSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'tracklink_live_bus_connected',
      help: 'Whether the live bus (label bus: local, postgres, redis, nats) is connected (1) or in an outage (0; viewers resync when it is back)',
      labelNames: ['bus'],
      registers,
      collect() {
        this.reset();
        const s = self.liveBusSource?.();
        if (s) this.set({ bus: s.kind }, s.connected ? 1 : 0);
      },
    });
    new Counter({
      name: 'tracklink_live_bus_messages_received_total',
      help: 'Messages this instance received from the live bus, by type (pos, ship, link, org, device, ping)',
      labelNames: ['type'],
      registers,
      collect() {
        this.reset();
        for (const [type, n] of Object.entries(self.liveBusSource?.().received ?? {})) this.inc({ type }, n);
      },
    });
    new Gauge({
      name: 'tracklink_outbox_backlog',
      help: 'Notifications waiting in the outbox to be sent',
      registers,
      async collect() {
        this.set(self.outboxBacklogSource ? await self.outboxBacklogSource() : 0);
      },
    });
    new Gauge({
      name: 'tracklink_http_connections',
      help: 'Open HTTP connections on this instance',
      registers,
      async collect() {
        this.set(self.openConnectionsSource ? await self.openConnectionsSource() : 0);
      },
    });
    this.connectionsCut = new Counter({
      name: 'tracklink_http_connections_cut_total',
      help: 'Connections closed by the server: per_ip_limit (over MAX_CONNECTIONS_PER_IP), timeout (request not received within HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS)',
      labelNames: ['reason'],
      registers,
    });
    const problems: StoreProblem[] = ['unreachable', 'timeout', 'busy', 'disk_full'];
    new Gauge({
      name: 'tracklink_store_problem',
      help: 'The problem the database has now (1), by kind: unreachable, timeout, busy, disk_full (writes refused, reads go on)',
      labelNames: ['problem'],
      registers,
      collect() {
        const now = self.storeHealth?.state?.problem;
        for (const p of problems) this.set({ problem: p }, now === p ? 1 : 0);
      },
    });
    new Counter({
      name: 'tracklink_store_failures_total',
      help: 'Queries that failed because the database could not serve them, by problem',
      labelNames: ['problem'],
      registers,
      collect() {
        this.reset();
        for (const p of problems) this.inc({ problem: p }, self.storeHealth?.failures[p] ?? 0);
      },
    });
  }

  /** The store's health (services.ts), read at scrape time. */
  setStoreHealth(health: StoreHealth): void {
    this.storeHealth = health;
  }

  /** The live module reports how many SSE viewers this instance holds (read at scrape time). */
  setSseViewersSource(source: Source): void {
    this.sseViewersSource = source;
  }

  /** The links module reports its public resolution cache (read at scrape time). */
  setLinkCacheSource(source: () => { hits: number; misses: number; loads: number }): void {
    this.linkCacheSource = source;
  }

  /** Called when a request begins (metrics.plugin.ts); marks public visits to count their queries. */
  requestStarted(req: object, route: string | undefined): void {
    this.requestCount++;
    if (route && this.linkCacheSource && PUBLIC_VISIT_ROUTES.has(route)) {
      const v = this.visit;
      v.req = req;
      v.queries = this.queryCount;
      v.requests = this.requestCount;
      v.loads = this.linkCacheSource().loads;
    }
  }

  /**
   * Called when a request's reply is sent: a public visit that loaded its link (a cold visit) and
   * had the process to itself (no request began meanwhile) reports how many queries ran during it.
   */
  requestEnded(req: object): void {
    const mark = this.visit;
    if (mark.req !== req) return;
    mark.req = null;
    if (this.requestCount !== mark.requests || !this.linkCacheSource || this.linkCacheSource().loads === mark.loads) return;
    this.coldVisitQueries.observe(this.queryCount - mark.queries);
  }

  /** The live module reports its bus: kind, connection, probe lag, messages received. */
  setLiveBusSource(source: () => LiveBusStats): void {
    this.liveBusSource = source;
  }

  /** The notifications module reports its outbox backlog (read at scrape time). */
  setOutboxBacklogSource(source: Source): void {
    this.outboxBacklogSource = source;
  }

  /** The connection tracker reports how many connections are open (read at scrape time). */
  setOpenConnectionsSource(source: Source): void {
    this.openConnectionsSource = source;
  }

  countConnectionCut(reason: 'per_ip_limit' | 'timeout'): void {
    this.connectionsCut.inc({ reason });
  }

  /** The positions module counts each transaction that stored positions. */
  countPositionCommits(commits: number): void {
    this.positionCommits.inc(commits);
  }

  /** The positions module counts each accepted position; source is e.g. 'api', 'osmand', 'gpx'. */
  countIngested(count: number, source = 'api'): void {
    if (count > 0) this.positionsIngested.inc({ source }, count);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe(method, route, status, seconds);
  }

  /** One query's time, by statement kind (db/query-timing.ts measures it); also counts it (cold visits). */
  observeQuery(op: string, seconds: number): void {
    this.queryCount++;
    this.storeDuration.observe({ op }, seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    const body = await this.registry.metrics();
    return { contentType: this.registry.contentType, body: `${body}${body.endsWith('\n') ? '' : '\n'}\n${this.http.text()}` };
  }
}
