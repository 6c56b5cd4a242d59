// Map tiles for the public page, fetched by the server so a visitor's browser never contacts a
// third party: the upstream (TILE_URL) sees Tracklink's address and User-Agent, never a visitor's
// IP, a tracking slug, a Referer or a cookie. Tiles are cached on disk (tile-cache.ts) for at least
// 7 days (OSM's tile policy) or longer when the upstream says so; concurrent requests for one tile
// share one upstream fetch; a failing upstream is left alone for a while instead of being hammered.
import { AppError } from '../../shared/errors.js';
import type { CachedTile, TileDiskCache } from './tile-cache.js';

export interface ServedTile {
  body: Buffer;
  contentType: string;
  /** False when the upstream could not be reached and an expired copy is served instead. */
  fresh: boolean;
}

export interface TileServiceOptions {
  /** URL template with {z}, {x} and {y} (config.tileUrl). */
  upstream: string;
  userAgent: string;
  maxZoom: number;
  cache: TileDiskCache;
  now?: () => number;
  /** Shortest time a fetched tile is kept before asking the upstream again. */
  minFreshMs?: number;
  timeoutMs?: number;
}

export type TileLog = (msg: string, details: Record<string, unknown>) => void;

const DAY = 86_400_000;
const MIN_FRESH_MS = 7 * DAY;
const MAX_FRESH_MS = 365 * DAY;
/** A tile the upstream failed to give is not asked for again this soon. */
const FAILED_RETRY_MS = 30_000;
/** A tile the upstream does not have (404) is not asked for again this soon. */
const MISSING_RETRY_MS = 3600_000;
/** After this many failures in a row, or a 429, no tile is asked for until the pause ends. */
const FAILURES_BEFORE_PAUSE = 3;
const PAUSE_MS = 30_000;
const MAX_PAUSE_MS = 600_000;
const MAX_CONCURRENT_FETCHES = 6;
const MAX_WAITING_FETCHES = 500;
const MAX_TILE_BYTES = 2 * 1024 * 1024;
const MAX_REMEMBERED_FAILURES = 10_000;

/** Too many tile fetches already wait: this request is refused; the upstream is not to blame. */
class QueueFull extends Error {}

class UpstreamFailure extends Error {
  constructor(
    readonly reason: string,
    readonly missing = false,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

export class TileService {
  private readonly inflight = new Map<string, Promise<ServedTile>>();
  private readonly failed = new Map<string, { until: number; missing: boolean }>();
  private failuresInARow = 0;
  private pausedUntil = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly now: () => number;
  private log: TileLog = () => {};

  constructor(private readonly o: TileServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  setLog(log: TileLog): void {
    this.log = log;
  }

  /** The tile z/x/y: from the disk cache while fresh, else from the upstream (an expired copy if it fails). */
  async tile(z: number, x: number, y: number): Promise<ServedTile> {
    if (!validTile(z, x, y, this.o.maxZoom)) throw AppError.notFound('Tile');
    const key = `${z}/${x}/${y}`;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const work = this.load(key, z, x, y).finally(() => this.inflight.delete(key));
    this.inflight.set(key, work);
    return work;
  }

  private async load(key: string, z: number, x: number, y: number): Promise<ServedTile> {
    const cached = await this.o.cache.get(key);
    const now = this.now();
    if (cached && cached.expiresAt > now) return { body: cached.body, contentType: cached.contentType, fresh: true };
    const failed = this.failed.get(key);
    if (failed && failed.until > now) return unavailable(cached, failed.missing);
    if (this.pausedUntil > now) return unavailable(cached, false);
    try {
      const tile = await this.limited(() => this.fetchUpstream(z, x, y, cached));
      this.failuresInARow = 0;
      this.failed.delete(key);
      if (tile.store) await this.o.cache.put(key, tile.tile);
      return { body: tile.tile.body, contentType: tile.tile.contentType, fresh: true };
    } catch (err) {
      // A burst of requests for uncached tiles (one visitor may send hundreds) must not count as
      // upstream failures: three of them paused every visitor's tiles for 30 s, again and again.
      if (err instanceof QueueFull) return unavailable(cached, false);
      if (!(err instanceof UpstreamFailure)) throw err;
      this.remember(key, err);
      return unavailable(cached, err.missing);
    }
  }

  private remember(key: string, err: UpstreamFailure): void {
    const now = this.now();
    if (this.failed.size >= MAX_REMEMBERED_FAILURES) this.failed.clear();
    this.failed.set(key, { until: now + (err.missing ? MISSING_RETRY_MS : FAILED_RETRY_MS), missing: err.missing });
    if (err.missing) {
      this.failuresInARow = 0; // the upstream answers; it just has no such tile
      return;
    }
    this.failuresInARow++;
    if (err.retryAfterMs !== undefined || this.failuresInARow >= FAILURES_BEFORE_PAUSE) {
      const pause = Math.min(MAX_PAUSE_MS, err.retryAfterMs ?? PAUSE_MS);
      if (this.pausedUntil <= now) this.log('map tile upstream failing; pausing tile fetches', { reason: err.reason, pause_s: Math.round(pause / 1000), upstream: originOf(this.o.upstream) });
      this.pausedUntil = now + pause;
      this.failuresInARow = 0;
    }
  }

  private async fetchUpstream(z: number, x: number, y: number, cached: CachedTile | null): Promise<{ tile: CachedTile; store: boolean }> {
    const url = this.o.upstream.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    // Only these headers (plus fetch's own Accept-Encoding): nothing of the visitor's request is forwarded.
    const headers: Record<string, string> = { 'user-agent': this.o.userAgent, accept: 'image/png,image/*;q=0.8' };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    let res: Response;
    try {
      res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new UpstreamFailure(`request failed: ${(err as Error).name}`);
    }
    const now = this.now();
    try {
      if (res.status === 304 && cached) {
        const fresh = freshness(res.headers, now, this.o.minFreshMs ?? MIN_FRESH_MS);
        return { tile: { ...cached, expiresAt: fresh.expiresAt, etag: res.headers.get('etag') ?? cached.etag }, store: fresh.store };
      }
      if (res.status === 404 || res.status === 410) throw new UpstreamFailure(`status ${res.status}`, true);
      if (res.status === 429 || res.status === 503) throw new UpstreamFailure(`status ${res.status}`, false, retryAfterMs(res.headers.get('retry-after')) ?? PAUSE_MS);
      if (res.status !== 200) throw new UpstreamFailure(`status ${res.status}`);
      const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (!/^image\/(png|jpeg|webp)$/.test(contentType)) throw new UpstreamFailure(`not a tile image: ${contentType || 'no content type'}`);
      const body = await readCapped(res, MAX_TILE_BYTES);
      if (!body) throw new UpstreamFailure('tile too large');
      const fresh = freshness(res.headers, now, this.o.minFreshMs ?? MIN_FRESH_MS);
      const tile: CachedTile = { body, contentType, expiresAt: fresh.expiresAt, etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
      return { tile, store: fresh.store };
    } finally {
      // An unread body (errors, 304) would hold the connection until garbage collection.
      if (!res.bodyUsed) await res.body?.cancel().catch(() => {});
    }
  }

  /** At most a few upstream fetches at a time; a long queue means the upstream cannot keep up. */
  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT_FETCHES) {
      if (this.waiting.length >= MAX_WAITING_FETCHES) throw new QueueFull();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export function validTile(z: number, x: number, y: number, maxZoom: number): boolean {
  if (![z, x, y].every(Number.isSafeInteger) || z < 0 || z > maxZoom) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}

function unavailable(cached: CachedTile | null, missing: boolean): ServedTile {
  if (cached) return { body: cached.body, contentType: cached.contentType, fresh: false };
  if (missing) throw AppError.notFound('Tile');
  throw new AppError('unavailable', 'Map tiles are unavailable right now');
}

/**
 * How long to keep a tile: what the upstream allows (s-maxage/max-age, else Expires), but never
 * less than minFreshMs (OSM asks for 7 days); not stored at all if the upstream says no-store/private.
 */
export function freshness(headers: Headers, now: number, minFreshMs: number): { expiresAt: number; store: boolean } {
  const cc = (headers.get('cache-control') ?? '').toLowerCase();
  const store = !/(^|,)\s*(no-store|private)\b/.test(cc);
  const maxAge = /(?:^|,)\s*s-maxage\s*=\s*"?(\d+)/.exec(cc) ?? /(?:^|,)\s*max-age\s*=\s*"?(\d+)/.exec(cc);
  let lifetime = maxAge ? Number(maxAge[1]) * 1000 : NaN;
  if (Number.isNaN(lifetime)) {
    const expires = Date.parse(headers.get('expires') ?? '');
    const date = Date.parse(headers.get('date') ?? '');
    if (!Number.isNaN(expires)) lifetime = expires - (Number.isNaN(date) ? now : date);
  }
  const keep = Math.min(MAX_FRESH_MS, Math.max(minFreshMs, Number.isNaN(lifetime) ? 0 : lifetime));
  return { expiresAt: now + keep, store };
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

async function readCapped(res: Response, max: number): Promise<Buffer | null> {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (declared > max) return null;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(Buffer.from(value));
  }
}

/** The upstream's origin only: a TILE_URL may carry an API key in its path or query. */
function originOf(template: string): string {
  try {
    return new URL(template.replace(/\{[xyz]\}/g, '0')).origin;
  } catch {
    return 'tile upstream';
  }
}

export function tileUserAgent(version: string, contact: string): string {
  return `Tracklink/${version} (+${contact}; self-hosted shipment tracking pages)`;
}
