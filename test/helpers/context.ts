// A test context per store: a fresh database, migrated, the app built around it (no listen),
// and helpers to create orgs and call the API as they would (Fastify inject).
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createStore, type Store } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createServices, type ServiceOptions, type Services } from '../../src/services.js';
import type { BackgroundJobName } from '../../src/background.js';
import { LinksRepository } from '../../src/modules/links/links.repository.js';
import { NotificationsRepository } from '../../src/modules/notifications/notifications.repository.js';
import { PositionsRepository } from '../../src/modules/positions/positions.repository.js';
import { createOrgWithOwner, type BootstrappedOrg } from '../../src/modules/orgs/bootstrap.js';
import { cliActor, type Actor, type Role } from '../../src/modules/auth/roles.js';
import { createPgDatabase, storeKinds, type StoreKind } from './stores.js';
import pino from 'pino';
import { loggerOptions } from '../../src/http/logging.js';
import { recordSecret, recordSecretsIn, testLogFile } from './test-output.js';
import { FAST_PASSWORD_HASHING } from './server.js';

export { recordSecret } from './test-output.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: LightMyRequestResponse['headers'];
}

export interface Api {
  get<T = any>(url: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  delete<T = any>(url: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  patch<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** Raw body (Buffer or string) with an explicit content type. */
  send<T = any>(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: Buffer | string, contentType: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

export interface TestOrg extends BootstrappedOrg {
  api: Api;
  actor: Actor;
  /** An API key of this org with the given role, and a client using it. */
  withRole(role: Role): Promise<Api>;
}

/** Repositories over the test's store, for tests that check what was stored (services never expose theirs). */
export interface TestRepositories {
  positions: PositionsRepository;
  links: LinksRepository;
  notifications: NotificationsRepository;
}

/** The background jobs a test app runs unless told otherwise (the outbox worker and housekeeping are started by the tests that want them). */
export const TEST_BACKGROUND: readonly BackgroundJobName[] = ['live-hub', 'partition-maintenance', 'retention-purge', 'link-expiry-sweeper'];

export interface TestContextOptions {
  /** Background jobs to start; `[]` builds the app without any. */
  background?: readonly BackgroundJobName[];
  /** Test knobs of createServices (e.g. the public link resolver's clock). */
  services?: ServiceOptions;
  /** Called with the built app before it is ready, while hooks may still be added. */
  beforeReady?: (app: FastifyInstance) => void;
}

export interface TestContext {
  kind: StoreKind;
  app: FastifyInstance;
  services: Services;
  repos: TestRepositories;
  store: Store;
  config: Config;
  dataDir: string;
  /** The file the app logs to (JSON lines, at debug). */
  logFile: string;
  /** Unauthenticated client (public routes). */
  anon: Api;
  client(key: string | null): Api;
  newOrg(opts?: { name?: string; country?: string }): Promise<TestOrg>;
  close(): Promise<void>;
}

function parse(res: LightMyRequestResponse): ApiResponse {
  let body: unknown = undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json') && res.body.length) {
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
  }
  recordSecretsIn(body);
  return { status: res.statusCode, body, text: res.body, headers: res.headers };
}

export function apiClient(app: FastifyInstance, key: string | null): Api {
  const auth = key ? { authorization: `Bearer ${key}` } : {};
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    parse(
      await app.inject({
        method: method as 'GET',
        url,
        headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      }),
    );
  return {
    get: (url, headers) => call('GET', url, undefined, headers),
    delete: (url, headers) => call('DELETE', url, undefined, headers),
    post: (url, body, headers) => call('POST', url, body ?? {}, headers),
    patch: (url, body, headers) => call('PATCH', url, body ?? {}, headers),
    put: (url, body, headers) => call('PUT', url, body ?? {}, headers),
    send: async (method, url, payload, contentType, headers = {}) =>
      parse(await app.inject({ method, url, payload, headers: { ...auth, 'content-type': contentType, ...headers } })),
  };
}

let orgCounter = 0;

export async function createTestContext(kind: StoreKind, env: Record<string, string> = {}, opts: TestContextOptions = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-test-'));
  let dropPg: (() => Promise<void>) | null = null;
  let databaseUrl = `sqlite:${path.join(dataDir, 'tracklink.db')}`;
  if (kind === 'postgres') {
    const pgdb = await createPgDatabase();
    databaseUrl = pgdb.url;
    dropPg = pgdb.drop;
  }
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://tracklink.test',
    ...FAST_PASSWORD_HASHING,
    // No test reaches the internet: tiles stay off unless a test points TILE_URL at a local fake.
    TILE_URL: 'off',
    ...env,
  });
  const store = createStore(config.database);
  await migrateToLatest(store);
  const services = createServices(config, store, opts.services);
  // Every test app logs as production does, at debug, to a file the redaction check scans.
  const logFile = testLogFile(`app-${kind}`);
  const logStream = pino.destination({ dest: logFile, sync: true });
  // A line that still comes after close() ended the file is dropped: writing it would throw in
  // whatever callback wrote it, after the suite ended (close() waits for the sockets first, so
  // this is only for a straggler).
  let logEnded = false;
  const logTo = { write: (line: string) => void (logEnded || logStream.write(line)) };
  const app = await buildApp(services, { logger: loggerOptions('debug', logTo) });
  /** The sockets the server holds when a test makes it listen (close() waits for them to close). */
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // The days' partitions before any test posts (PostgreSQL), as main.ts makes them before the
  // server listens: this context builds the app without main.ts. A position that came first would
  // keep its day in the DEFAULT partition for good.
  await services.partitions?.prepare(app.log);
  opts.beforeReady?.(app);
  await app.ready();
  await services.background.start(app.log, opts.background ?? TEST_BACKGROUND);

  const ctx: TestContext = {
    kind,
    app,
    services,
    repos: {
      positions: new PositionsRepository(store.db, store.dialect),
      links: new LinksRepository(store.db, store.dialect),
      notifications: new NotificationsRepository(store.db, store.dialect),
    },
    store,
    config,
    dataDir,
    logFile,
    anon: apiClient(app, null),
    client: (key) => apiClient(app, key),
    async newOrg(opts = {}) {
      const n = ++orgCounter;
      const org = await createOrgWithOwner(services, {
        name: opts.name ?? `Org ${n}`,
        country: opts.country ?? 'NL',
        ownerEmail: `owner${n}.${Math.random().toString(36).slice(2, 8)}@example.test`,
      });
      recordSecret(org.api_key, org.owner_password);
      const actor = cliActor(org.org_id);
      return {
        ...org,
        actor,
        api: apiClient(app, org.api_key),
        async withRole(role: Role) {
          const k = await services.auth.createApiKey(actor, { name: `${role} key`, role });
          recordSecret(k.api_key);
          return apiClient(app, k.api_key);
        },
      };
    },
    async close() {
      // The suite is over: cut the connections the tests' HTTP clients still hold instead of
      // waiting them out. fetch (undici) keeps an idle connection for as long as the server's
      // keep-alive hint says (72 s), and server.close() waited for those it did not count as
      // idle: a suite that listened ended 70 s after its last test.
      // A cut connection writes its last lines (a live stream's access line) when its socket
      // closes, after app.close() may have returned: the log file is ended once every socket
      // the server had has closed, and their close handlers have run.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await Promise.all([...sockets].map((socket) => (socket.closed ? null : once(socket, 'close'))));
      await new Promise((resolve) => setImmediate(resolve));
      await store.close();
      logEnded = true;
      logStream.end();
      if (dropPg) await dropPg();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return ctx;
}

/**
 * Runs the same suite once per store: `describeStores('shipments', (ctx) => { it(...) })`.
 * ctx() returns the live context inside tests.
 */
export async function describeStores(
  name: string,
  fn: (ctx: () => TestContext, kind: StoreKind) => void,
  env: Record<string, string> = {},
  opts: TestContextOptions = {},
  /** Which of the stores this run tests; all of them by default. */
  pick: (kinds: StoreKind[]) => StoreKind[] = (kinds) => kinds,
): Promise<void> {
  for (const kind of pick(await storeKinds())) {
    describe(`${name} [${kind}]`, () => {
      let ctx: TestContext | undefined;
      before(async () => {
        ctx = await createTestContext(kind, env, opts);
      });
      after(async () => {
        await ctx?.close();
      });
      fn(() => {
        if (!ctx) throw new Error('test context not ready');
        return ctx;
      }, kind);
    });
  }
}

/**
 * A browser suite, on one store (SQLite unless TEST_STORES leaves it out). What the admin app
 * and the public page show and do does not depend on the store: the API they call is tested on
 * both stores, replies checked against their schemas, and each browser suite costs a minute or
 * more of the suite's 15 on two cores. Live updates in a browser stay on every store
 * (live-marker, live-page-browser): there the store decides how a position reaches the page.
 */
export function describeInBrowser(
  name: string,
  fn: (ctx: () => TestContext, kind: StoreKind) => void,
  env: Record<string, string> = {},
  opts: TestContextOptions = {},
): Promise<void> {
  return describeStores(name, fn, env, opts, (kinds) => kinds.slice(0, 1));
}
