// loadConfig → open store → migrate → buildApp → listen, with graceful shutdown on SIGTERM/SIGINT
// from the first step of start-up on.
import pino from 'pino';
import { buildApp, type BuildOptions } from './app.js';
import type { Logger } from './background.js';
import type { Config } from './config.js';
import { createStore, type Store } from './db/index.js';
import { migrateToLatest, migrationsAhead } from './db/migrate.js';
import { loggerOptions } from './http/logging.js';
import { createServices, type Services } from './services.js';
import type { FastifyInstance } from 'fastify';

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  onListening?: (url: string) => void;
  /** Draining lasts at least drainMinMs, then ends once no connection arrived for drainQuietMs, or after drainMaxMs. */
  drainMinMs?: number;
  drainQuietMs?: number;
  drainMaxMs?: number;
  /** Connections still open this long after shutdown began are cut. */
  shutdownGraceMs?: number;
  /** Requests whose lines are logged at debug instead of info (the demo's simulated truck). */
  quietRequest?: BuildOptions['quietRequest'];
  /**
   * Aborted when the process is asked to stop (serve's signal handlers). Start-up then goes no
   * further: before listening it closes what it opened and resolves null; once listening it stops
   * starting background jobs and resolves at once, and the caller closes the Running as usual.
   */
  stop?: AbortSignal;
  /** Told once the app (and its logger) exists. */
  onApp?: (app: FastifyInstance) => void;
  /**
   * Work to finish whole before the port opens (the demo's seed). Part of start-up: a signal
   * meanwhile waits for it (the shutdown timeout still bounds it), and it is skipped when a
   * signal came before it began.
   */
  beforeListen?: (services: Services) => Promise<void>;
}

/**
 * Starts the server with SIGTERM/SIGINT handled from the first step on (before migrations): a
 * signal during start-up stops it and closes what was opened, a signal after it drains and closes
 * (Running.close); either way the process exits 0. Resolves null when a signal stopped start-up
 * before the server listened. A second signal exits at once, as an operator pressing Ctrl-C twice
 * expects. Bounded by a timeout (orchestrators send SIGKILL after their own grace period, 10 s by
 * default in Docker and compose).
 */
export async function serve(config: Config, opts: Omit<StartOptions, 'stop' | 'onApp'> = {}, timeoutMs = 9000): Promise<Running | null> {
  const stop = new AbortController();
  // Until the app exists (migrations, building it), JSON lines through the same redaction.
  let log: Logger = pino(loggerOptions(config.logLevel, process.stdout));
  let starting: Promise<Running | null> = Promise.resolve(null);
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      log.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stop.abort();
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({}, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    starting
      .then((running) => running?.close())
      .then(() => {
        log.info({ signal }, 'shutdown complete');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  starting = startServer(config, { ...opts, stop: stop.signal, onApp: (app) => (log = app.log) });
  return starting;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<Running | null> {
  const stopped = () => opts.stop?.aborted === true;
  // Migrations may run long (an index on a large table): on a store without the serving timeouts.
  const migrating = createStore(config.database);
  try {
    await migrateToLatest(migrating);
  } finally {
    await migrating.close();
  }
  if (stopped()) return null;
  const store = createStore(config.database, { timeouts: { connectMs: config.dbConnectTimeoutMs, statementMs: config.dbStatementTimeoutMs } });
  const services = createServices(config, store);
  const app = await buildApp(services, { quietRequest: opts.quietRequest });
  opts.onApp?.(app);
  logStoreHealth(app, store);
  const ahead = await migrationsAhead(store);
  if (ahead.length) app.log.warn({ ahead }, 'the database was migrated by a newer version; serving it (migrations only add)');
  // The coming days' partitions of positions (PostgreSQL) before a position can arrive.
  if (services.partitions && !stopped()) await services.partitions.prepare(app.log);
  if (opts.beforeListen && !stopped()) await opts.beforeListen(services);
  if (stopped()) {
    // The onClose hook stops the services (nothing of the background was started yet).
    await app.close();
    await store.close();
    return null;
  }
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  opts.onListening?.(url);
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Whatever still holds a socket after the grace period (a stream no module knows about,
      // a stalled upload) is cut, so the workers and the store still close in time.
      const force = setTimeout(() => app.server.closeAllConnections(), opts.shutdownGraceMs ?? 7000);
      force.unref();
      // New requests get 503 + Connection: close while the port stays open, until connections
      // stop arriving (a load balancer has seen /readyz fail) and the ones just opened have sent
      // their request: closing them before would reset them.
      app.draining.start();
      await quiet(app, opts.drainMinMs ?? 500, opts.drainQuietMs ?? 250, opts.drainMaxMs ?? 3000);
      // app.close() stops accepting; then every connection between requests closes at once (idle
      // keep-alives, and slow or half-sent requests that would otherwise hold the shutdown until
      // the grace period cuts everything), and each in-flight request's connection closes as soon
      // as its reply is complete.
      const appClosed = app.close();
      await stoppedListening(app);
      const connections = app.connections.closeBetweenRequests();
      app.log.info(connections, 'stopped listening; closed the connections between requests');
      // Open SSE streams would hold app.close() forever: end them with a reconnect hint now that
      // no new connection reaches this instance, so the load balancer moves viewers elsewhere.
      services.live.closeAll();
      // The onClose hook runs services.stop(): workers flush and stop before the store closes.
      await appClosed;
      clearTimeout(force);
      await store.close();
    })();
    return closing;
  };
  const running = { app, services, url, close };
  // Background work belongs to a serving process only (services.ts lists it); tests and CLI
  // commands build the same app without it and start the parts they need. A job may take long
  // to start (a live bus that does not answer): a stop request does not wait for it, close()
  // stops what was started, and Background.start starts nothing more once stop() was called.
  if (!stopped()) {
    const started = services.background.start(app.log);
    if (opts.stop) await Promise.race([started, aborted(opts.stop)]);
    else await started;
  }
  return running;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** One line when the database stops being usable (with its own words for why), one when it is back. */
function logStoreHealth(app: FastifyInstance, store: Store): void {
  store.health.onChange((now, before, failures) => {
    if (now && now.problem === 'disk_full') {
      app.log.error({ problem: now.problem, code: now.code, cause: now.message }, 'the database disk is full: writes answer 503 until space is freed; reads go on');
    } else if (now) {
      app.log.error({ problem: now.problem, code: now.code, cause: now.message }, 'the database is not usable: requests that need it answer 503');
    } else if (before) {
      app.log.warn({ problem: before.problem, failed_queries: failures, after_ms: Date.now() - before.since }, 'the database is usable again');
    }
  });
}

async function quiet(app: FastifyInstance, minMs: number, quietMs: number, maxMs: number): Promise<void> {
  const start = Date.now();
  // A connection younger than a second without a whole request header is most likely a request
  // on its way; an older one is a slow or half-sent request and does not hold the drain.
  const busy = () => Date.now() - app.connections.lastConnectionAt < quietMs || app.connections.arriving(1000) > 0;
  while (Date.now() - start < maxMs) {
    // setImmediate runs after the I/O poll phase, so connections waiting in the accept queue
    // (a busy event loop accepts late) are counted before deciding that none arrive.
    await new Promise((r) => setImmediate(r));
    if (Date.now() - start >= minMs && !busy()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stoppedListening(app: FastifyInstance): Promise<void> {
  for (let i = 0; i < 200 && app.server.listening; i++) await new Promise((r) => setTimeout(r, 5));
}
