// Reads process.env once, reports every invalid variable at once and returns a frozen,
// typed Config. Nothing else in Tracklink reads process.env.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type StoreUrl =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

/** The fan-out between instances (LIVE_BUS_URL); the URLs keep any credentials, so never log them. */
export type LiveBusUrl =
  | { kind: 'local' }
  | { kind: 'postgres' }
  | { kind: 'redis'; url: string; channel: string }
  | { kind: 'nats'; url: string; channel: string };

export interface Config {
  /** Where data lives: `sqlite:<path>` (default) or `postgres://…`. */
  database: StoreUrl;
  /**
   * How live updates reach the other instances: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL
   * (default), or Redis pub/sub / NATS (LIVE_BUS_URL=redis://… / nats://…, `?channel=` to share one).
   */
  liveBus: LiveBusUrl;
  /** Directory for uploaded photos, logos and proofs of delivery. */
  dataDir: string;
  host: string;
  port: number;
  /** Base of every URL Tracklink prints (tracking links, emails). */
  publicBaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `auto`: readable lines on a terminal, JSON lines otherwise; or always `json` / `pretty`. */
  logFormat: LogFormat;
  /**
   * Raster tile URL template the server fetches map tiles from for /tiles/{z}/{x}/{y}.png (the
   * visitor's browser only ever talks to Tracklink); empty (TILE_URL=off) means the bundled base map only.
   */
  tileUrl: string;
  /** Attribution text the tile provider requires, shown on the map, linked to tileAttributionUrl. */
  tileAttribution: string;
  tileAttributionUrl: string;
  /** Who to contact about our tile requests, sent in the User-Agent (OSM's tile policy asks for it). */
  tileContact: string;
  /** Disk space the tile cache under DATA_DIR/tiles may use, bytes; least recently used tiles go first. */
  tileCacheMaxBytes: number;
  /** Highest zoom level served (OSM's standard tiles stop at 19). */
  tileMaxZoom: number;
  /** Tile requests per minute per client IP (a map view loads a few dozen). */
  tileRateLimit: number;
  /** Requests per minute per client IP on /t/*. */
  publicRateLimit: number;
  /** Max concurrent SSE connections per client IP. */
  sseMaxPerIp: number;
  /** Requests per minute one device may make to the ingestion endpoints (OsmAnd, OwnTracks, device-token batches). */
  deviceRateLimit: number;
  /** Failed device authentications per minute per client IP before its device requests get 429. */
  deviceAuthFailureLimit: number;
  deviceCredentialFailureLimit: number;
  /** Max upload size for photos and documents, bytes. */
  uploadMaxBytes: number;
  smtpUrl: string;
  mailFrom: string;
  /** Trust X-Forwarded-For from this many proxies / these addresses (Fastify trustProxy). */
  trustProxy: boolean | string | number;
  /** Token that protects /metrics; empty disables the endpoint. */
  metricsToken: string;
  sessionTtlHours: number;
  /** scrypt's N (r=8, p=1) for new password hashes; 2^17 by default, lowered by tests only. */
  passwordScryptN: number;
  /** How often the notification worker looks for due emails and webhooks, ms. */
  outboxPollMs: number;
  /** First retry delay of a failed email or webhook, ms; doubles per attempt (capped at one hour). */
  outboxRetryBaseMs: number;
  /** Attempts before an email or webhook is marked failed (it can be retried from the API). */
  outboxMaxAttempts: number;
  /** How long a worker's claim on an email or webhook lasts unless renewed (it renews while sending), ms. */
  outboxLeaseMs: number;
  /** Emails one organization may have sent in any 24 hours; beyond it they wait (a tenant cannot use the server as a spam relay). */
  emailDailyLimit: number;
  /** Whether webhooks may reach loopback, private, link-local and reserved addresses (only when every tenant is trusted). */
  webhookAllowPrivate: boolean;
  /** PostgreSQL: opening a connection or waiting for a free one, ms (then 503). */
  dbConnectTimeoutMs: number;
  /** PostgreSQL statement_timeout of the serving process, ms; an unanswered query is given up 1 s later. 0 = none. */
  dbStatementTimeoutMs: number;
  /** /readyz answers 503 when the database has not answered `select 1` within this, ms. */
  readyTimeoutMs: number;
  /** How long a cached public link keeps being served while the database cannot be reached, ms after its last check. */
  publicOutageGraceMs: number;
  /** A request whose headers have not all arrived this long after the connection opened (or the previous request ended) gets 408 and is closed, ms. */
  headersTimeoutMs: number;
  /** A request not fully received (headers and body) this long after it began gets 408 and is closed, ms; replies, live streams included, are not limited. */
  requestTimeoutMs: number;
  /** Open connections one peer address may hold; beyond it new ones get 503 and are closed at once. 0 = no cap. */
  maxConnectionsPerIp: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads NAME, or the contents of the file named by NAME_FILE (for Docker/Kubernetes secrets). */
function readVar(env: Env, name: string, problems: string[]): string | undefined {
  const fileVar = env[`${name}_FILE`];
  if (fileVar) {
    try {
      return readFileSync(fileVar, 'utf8').trim();
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${fileVar} (${(err as Error).message})`);
      return undefined;
    }
  }
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = readVar(env, name, problems);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

function powerOfTwoVar(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const n = intVar(env, name, fallback, min, max, problems);
  if ((n & (n - 1)) === 0) return n;
  problems.push(`${name}: expected a power of two, e.g. ${fallback}`);
  return fallback;
}

function boolVar(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = readVar(env, name, problems);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name}: expected true or false, got "${raw}"`);
  return fallback;
}

function parseDatabase(raw: string, problems: string[]): StoreUrl {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) problems.push('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/tracklink.db');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      new URL(raw);
    } catch {
      problems.push('DATABASE_URL: not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: raw };
  }
  problems.push(`DATABASE_URL: expected sqlite:<path> or postgres://…, got "${raw.split(':')[0]}:…"`);
  return { kind: 'sqlite', file: path.resolve('./data/tracklink.db') };
}

const BUS_CHANNEL = /^[A-Za-z0-9_:-]{1,100}$/;

function parseLiveBus(raw: string | undefined, database: StoreUrl, problems: string[]): LiveBusUrl {
  const fallback: LiveBusUrl = database.kind === 'postgres' ? { kind: 'postgres' } : { kind: 'local' };
  if (raw === undefined) return fallback;
  if (raw === 'postgres') {
    if (database.kind !== 'postgres') problems.push('LIVE_BUS_URL: postgres (LISTEN/NOTIFY) needs DATABASE_URL=postgres://…');
    return fallback;
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    problems.push('LIVE_BUS_URL: expected postgres, redis://…, rediss://… or nats://…');
    return fallback;
  }
  const kind = u.protocol === 'redis:' || u.protocol === 'rediss:' ? 'redis' : u.protocol === 'nats:' ? 'nats' : null;
  if (!kind || !u.hostname) {
    problems.push(`LIVE_BUS_URL: expected postgres, redis://…, rediss://… or nats://…, got "${u.protocol}…"`);
    return fallback;
  }
  const channel = u.searchParams.get('channel') ?? 'tracklink_live';
  if (!BUS_CHANNEL.test(channel)) problems.push('LIVE_BUS_URL: channel= takes 1 to 100 letters, digits, _ : or -');
  // The client libraries read other query parameters as options; the channel is ours.
  u.searchParams.delete('channel');
  return { kind, url: u.toString(), channel };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** OpenStreetMap's standard tiles: fine for light use only (see the README's "Maps" section). */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const DEFAULT_TILE_ATTRIBUTION = '© OpenStreetMap contributors';
const DEFAULT_TILE_ATTRIBUTION_URL = 'https://www.openstreetmap.org/copyright';

function validTileTemplate(t: string): boolean {
  if (!/^https?:\/\//.test(t)) return false;
  const placeholders = t.match(/\{[^}]*\}/g) ?? [];
  if (placeholders.length !== 3 || !['{z}', '{x}', '{y}'].every((p) => placeholders.includes(p))) return false;
  try {
    return new URL(t.replace(/\{[xyz]\}/g, '0')).hostname !== '';
  } catch {
    return false;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const database = parseDatabase(readVar(env, 'DATABASE_URL', problems) ?? 'sqlite:./data/tracklink.db', problems);
  const port = intVar(env, 'PORT', 3000, 0, 65535, problems);
  const host = readVar(env, 'HOST', problems) ?? '0.0.0.0';

  let publicBaseUrl = readVar(env, 'PUBLIC_BASE_URL', problems) ?? `http://localhost:${port}`;
  try {
    const u = new URL(publicBaseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');
  } catch {
    problems.push(`PUBLIC_BASE_URL: expected an http(s) URL, got "${publicBaseUrl}"`);
  }

  const logLevelRaw = readVar(env, 'LOG_LEVEL', problems) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelRaw)) {
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`);
  }

  const logFormatRaw = readVar(env, 'LOG_FORMAT', problems) ?? 'auto';
  if (!(LOG_FORMATS as readonly string[]).includes(logFormatRaw)) {
    problems.push(`LOG_FORMAT: expected one of ${LOG_FORMATS.join(', ')}, got "${logFormatRaw}"`);
  }

  const tileUrlRaw = readVar(env, 'TILE_URL', problems) ?? DEFAULT_TILE_URL;
  const tileUrl = tileUrlRaw === 'off' ? '' : tileUrlRaw;
  if (tileUrl && !validTileTemplate(tileUrl)) {
    problems.push('TILE_URL: expected off or an http(s) URL template with {z}, {x} and {y} (and no other {…} placeholder)');
  }
  const tileAttributionUrl = readVar(env, 'TILE_ATTRIBUTION_URL', problems) ?? DEFAULT_TILE_ATTRIBUTION_URL;
  if (!/^https?:\/\/[^\s"'<>]+$/.test(tileAttributionUrl)) problems.push('TILE_ATTRIBUTION_URL: expected an http(s) URL');
  const tileContact = readVar(env, 'TILE_CONTACT', problems) ?? '';
  // It goes into a request header: printable ASCII only.
  if (!/^[\x20-\x7e]{0,200}$/.test(tileContact)) problems.push('TILE_CONTACT: expected an email address or URL (printable ASCII, at most 200 characters)');

  const smtpUrl = readVar(env, 'SMTP_URL', problems) ?? '';
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL: expected smtp://… or smtps://…');

  const trustRaw = readVar(env, 'TRUST_PROXY', problems) ?? 'false';
  let trustProxy: boolean | string | number = false;
  if (trustRaw === 'true') trustProxy = true;
  else if (trustRaw === 'false') trustProxy = false;
  else if (/^\d+$/.test(trustRaw)) trustProxy = Number(trustRaw);
  else trustProxy = trustRaw; // comma-separated addresses/CIDRs, as Fastify accepts

  const dataDirDefault =
    database.kind === 'sqlite' && database.file !== ':memory:' ? path.dirname(database.file) : path.resolve('./data');

  const config: Config = {
    database,
    liveBus: parseLiveBus(readVar(env, 'LIVE_BUS_URL', problems), database, problems),
    dataDir: path.resolve(readVar(env, 'DATA_DIR', problems) ?? dataDirDefault),
    host,
    port,
    publicBaseUrl,
    logLevel: logLevelRaw as Config['logLevel'],
    logFormat: logFormatRaw as LogFormat,
    tileUrl,
    tileAttribution: readVar(env, 'TILE_ATTRIBUTION', problems) ?? DEFAULT_TILE_ATTRIBUTION,
    tileAttributionUrl,
    tileContact,
    tileCacheMaxBytes: intVar(env, 'TILE_CACHE_MAX_MB', 256, 1, 1_000_000, problems) * 1024 * 1024,
    tileMaxZoom: intVar(env, 'TILE_MAX_ZOOM', 19, 0, 22, problems),
    tileRateLimit: intVar(env, 'TILE_RATE_LIMIT', 1200, 1, 1_000_000, problems),
    publicRateLimit: intVar(env, 'PUBLIC_RATE_LIMIT', 300, 1, 1_000_000, problems),
    sseMaxPerIp: intVar(env, 'SSE_MAX_PER_IP', 20, 1, 1_000_000, problems),
    deviceRateLimit: intVar(env, 'DEVICE_RATE_LIMIT', 300, 1, 1_000_000, problems),
    deviceAuthFailureLimit: intVar(env, 'DEVICE_AUTH_FAILURE_LIMIT', 300, 1, 1_000_000, problems),
    deviceCredentialFailureLimit: intVar(env, 'DEVICE_CREDENTIAL_FAILURE_LIMIT', 5, 1, 1_000_000, problems),
    uploadMaxBytes: intVar(env, 'UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024, problems),
    smtpUrl,
    mailFrom: readVar(env, 'MAIL_FROM', problems) ?? 'Tracklink <no-reply@localhost>',
    trustProxy,
    metricsToken: readVar(env, 'METRICS_TOKEN', problems) ?? '',
    sessionTtlHours: intVar(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 90, problems),
    passwordScryptN: powerOfTwoVar(env, 'PASSWORD_SCRYPT_N', 2 ** 17, 2 ** 10, 2 ** 20, problems),
    outboxPollMs: intVar(env, 'OUTBOX_POLL_MS', 2000, 10, 3_600_000, problems),
    outboxRetryBaseMs: intVar(env, 'OUTBOX_RETRY_BASE_MS', 30_000, 1, 3_600_000, problems),
    outboxMaxAttempts: intVar(env, 'OUTBOX_MAX_ATTEMPTS', 10, 1, 100, problems),
    outboxLeaseMs: intVar(env, 'OUTBOX_LEASE_MS', 30_000, 300, 3_600_000, problems),
    emailDailyLimit: intVar(env, 'EMAIL_DAILY_LIMIT', 2000, 1, 10_000_000, problems),
    webhookAllowPrivate: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE', false, problems),
    dbConnectTimeoutMs: intVar(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000, problems),
    dbStatementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 5000, 0, 3_600_000, problems),
    readyTimeoutMs: intVar(env, 'READY_TIMEOUT_MS', 1000, 50, 60_000, problems),
    publicOutageGraceMs: intVar(env, 'PUBLIC_OUTAGE_GRACE_MS', 30_000, 0, 3_600_000, problems),
    headersTimeoutMs: intVar(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000, problems),
    requestTimeoutMs: intVar(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000, problems),
    maxConnectionsPerIp: intVar(env, 'MAX_CONNECTIONS_PER_IP', 100, 0, 1_000_000, problems),
  };
  // Node refuses a header deadline later than the whole request's.
  if (config.headersTimeoutMs > config.requestTimeoutMs) problems.push('HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS');
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}
