// Map tiles through the server, against a local fake upstream: disk cache, User-Agent, nothing of
// the visitor forwarded, strict z/x/y, single-flight, failures remembered, LRU size bound.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../../test/helpers/context.js';
import { startFakeTileServer, tilePng, type FakeTileServer } from '../../../test/helpers/fake-tiles.js';
import { TileDiskCache, type CachedTile } from './tile-cache.js';
import { freshness, TileService, validTile } from './tiles.service.js';

const DAY = 86_400_000;
const tile = (n: number, bytes = 100): CachedTile => ({ body: Buffer.alloc(bytes, n), contentType: 'image/png', expiresAt: Date.now() + DAY });

describe('tile rules', () => {
  it('accepts only integer tiles inside the zoom level and the configured maximum zoom', () => {
    assert.ok(validTile(0, 0, 0, 19));
    assert.ok(validTile(19, 2 ** 19 - 1, 2 ** 19 - 1, 19));
    assert.ok(!validTile(20, 0, 0, 19), 'above the maximum zoom');
    assert.ok(!validTile(3, 8, 0, 19), 'x beyond 2^z');
    assert.ok(!validTile(3, 0, 8, 19), 'y beyond 2^z');
    assert.ok(!validTile(3, -1, 0, 19));
    assert.ok(!validTile(3, 1.5, 0, 19));
    assert.ok(!validTile(Number.NaN, 0, 0, 19));
  });

  it('keeps a tile at least 7 days, longer when the upstream allows, and not at all when it says no-store', () => {
    const now = Date.UTC(2026, 0, 1);
    const h = (o: Record<string, string>) => new Headers(o);
    const week = 7 * DAY;
    assert.equal(freshness(h({ 'cache-control': 'max-age=60' }), now, week).expiresAt, now + week);
    assert.equal(freshness(h({}), now, week).expiresAt, now + week);
    assert.equal(freshness(h({ 'cache-control': 'public, max-age=2592000' }), now, week).expiresAt, now + 30 * DAY);
    assert.equal(freshness(h({ 'cache-control': 'max-age=60, s-maxage=1296000' }), now, week).expiresAt, now + 15 * DAY, 's-maxage is for shared caches like us');
    assert.equal(freshness(h({ date: new Date(now).toUTCString(), expires: new Date(now + 10 * DAY).toUTCString() }), now, week).expiresAt, now + 10 * DAY);
    assert.equal(freshness(h({ 'cache-control': 'no-store' }), now, week).store, false);
    assert.equal(freshness(h({ 'cache-control': 'max-age=60' }), now, week).store, true);
  });
});

describe('the tile disk cache', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tl-tilecache-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('evicts the least recently used tiles beyond its size, owner-only files, and rebuilds its order after a restart', async () => {
    const root = path.join(dir, 'tiles');
    const size = (await (async () => {
      const probe = new TileDiskCache(path.join(dir, 'probe'), 1e9);
      await probe.put('1/0/0', tile(1));
      return probe.size;
    })()) as number;
    const cache = new TileDiskCache(root, size * 3);
    await cache.put('1/0/0', tile(1));
    await cache.put('1/0/1', tile(2));
    await cache.put('1/1/0', tile(3));
    assert.ok(await cache.get('1/0/0'), 'touch 1/0/0: now 1/0/1 is the least recently used');
    await cache.put('1/1/1', tile(4));
    assert.equal(cache.count, 3);
    assert.equal(await cache.get('1/0/1'), null, 'the least recently used tile was evicted');
    for (const k of ['1/0/0', '1/1/0', '1/1/1']) assert.ok(await cache.get(k), k);
    assert.deepEqual(readdirSync(path.join(root, '1', '0')).sort(), ['0.tile']);
    assert.equal(statSync(path.join(root, '1', '0', '0.tile')).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(root, '1')).mode & 0o777, 0o700);
    assert.equal(statSync(root).mode & 0o777, 0o700);
    assert.deepEqual((await cache.get('1/1/1'))?.body, tile(4).body);

    // A restart with a lower cap keeps the most recently used (by file time) and drops the rest.
    utimesSync(path.join(root, '1', '1', '0.tile'), new Date(Date.now() - 3 * DAY), new Date(Date.now() - 3 * DAY));
    utimesSync(path.join(root, '1', '0', '0.tile'), new Date(Date.now() - 2 * DAY), new Date(Date.now() - 2 * DAY));
    const again = new TileDiskCache(root, size * 2);
    assert.equal(await again.get('1/1/0'), null, 'the oldest file went first');
    assert.ok(await again.get('1/0/0'));
    assert.ok(await again.get('1/1/1'));
    assert.equal(again.size, size * 2);
  });
});

describe('the tile service against a fake upstream', () => {
  let upstream: FakeTileServer;
  let dir = '';
  let clock = Date.now();
  const service = () =>
    new TileService({ upstream: upstream.template, userAgent: 'Tracklink/test', maxZoom: 19, cache: new TileDiskCache(path.join(dir, `t${Math.random()}`), 1e8), now: () => clock });
  before(async () => {
    upstream = await startFakeTileServer();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tl-tilesvc-'));
  });
  after(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('revalidates an expired tile with its ETag, and serves the expired copy while the upstream fails', async () => {
    const s = service();
    clock = Date.now();
    assert.equal((await s.tile(5, 1, 1)).fresh, true);
    assert.equal(upstream.count('/5/1/1.png'), 1);
    clock += 6 * DAY;
    await s.tile(5, 1, 1);
    assert.equal(upstream.count('/5/1/1.png'), 1, 'an hour of max-age still means 7 days here');
    clock += 2 * DAY;
    upstream.behave('/5/1/1.png', { status: 304 });
    const revalidated = await s.tile(5, 1, 1);
    assert.equal(upstream.count('/5/1/1.png'), 2);
    assert.equal(upstream.requests.at(-1)?.headers['if-none-match'], '"t5-1-1"');
    assert.deepEqual(revalidated.body, tilePng(5, 1, 1));
    clock += 8 * DAY;
    upstream.behave('/5/1/1.png', { status: 500 });
    const stale = await s.tile(5, 1, 1);
    assert.equal(stale.fresh, false);
    assert.deepEqual(stale.body, tilePng(5, 1, 1));
  });

  it('pauses all fetches after repeated failures instead of hammering a dead upstream', async () => {
    const s = service();
    upstream.failAll(502);
    const before = upstream.count();
    for (const x of [1, 2, 3]) await assert.rejects(s.tile(6, x, 0), { code: 'unavailable' });
    assert.equal(upstream.count(), before + 3);
    await assert.rejects(s.tile(6, 4, 0), { code: 'unavailable' });
    await assert.rejects(s.tile(6, 1, 0), { code: 'unavailable' });
    assert.equal(upstream.count(), before + 3, 'paused: neither a new tile nor a failed one is asked for');
    upstream.failAll(null);
    clock += 31_000;
    assert.equal((await s.tile(6, 4, 0)).fresh, true, 'asked again after the pause');
  });

  it('refuses only the requests beyond a full fetch queue: no pause, and those tiles are asked for again at once', async () => {
    const s = service();
    let release = () => {};
    const hold = new Promise<void>((r) => (release = r));
    // 6 fetches run and 500 wait; the 4 beyond are refused.
    const xs = Array.from({ length: 510 }, (_, x) => x);
    for (const x of xs) upstream.behave(`/12/${x}/0.png`, { hold });
    let refused = 0;
    const burst = xs.map((x) =>
      s.tile(12, x, 0).then(
        () => 'ok',
        (err: { code?: string }) => {
          refused++;
          return err.code;
        },
      ),
    );
    while (refused < 4) await new Promise((r) => setTimeout(r, 5));
    release();
    const codes = await Promise.all(burst);
    assert.equal(codes.filter((c) => c === 'unavailable').length, 4);
    assert.equal(codes.filter((c) => c === 'ok').length, 506);
    assert.equal((await s.tile(12, 600, 0)).fresh, true, 'other tiles are still fetched');
    const refusedX = xs.find((x) => codes[x] === 'unavailable') ?? -1;
    assert.equal((await s.tile(12, refusedX, 0)).fresh, true, 'a refused tile is not remembered as failed');
  });

  it('honours Retry-After of a 429 and remembers a tile the upstream does not have', async () => {
    const s = service();
    upstream.behave('/7/0/0.png', { status: 404 });
    await assert.rejects(s.tile(7, 0, 0), { code: 'not_found' });
    await assert.rejects(s.tile(7, 0, 0), { code: 'not_found' });
    assert.equal(upstream.count('/7/0/0.png'), 1);
    upstream.behave('/7/0/1.png', { status: 429, headers: { 'retry-after': '120' } });
    await assert.rejects(s.tile(7, 0, 1), { code: 'unavailable' });
    clock += 60_000;
    await assert.rejects(s.tile(7, 1, 1), { code: 'unavailable' });
    assert.equal(upstream.count('/7/1/1.png'), 0, 'still within Retry-After');
    clock += 61_000;
    assert.equal((await s.tile(7, 1, 1)).fresh, true);
  });
});

describe('/tiles through the app', () => {
  let upstream: FakeTileServer;
  let ctx: TestContext;
  // Each test its own client address: the rate limit is per IP.
  const get = (url: string, headers: Record<string, string> = {}, ip = '198.51.100.1') => ctx.app.inject({ method: 'GET', url, headers, remoteAddress: ip });
  before(async () => {
    upstream = await startFakeTileServer();
    ctx = await createTestContext('sqlite', { TILE_URL: upstream.template, TILE_RATE_LIMIT: '40', TILE_CONTACT: 'ops@tracklink.test' });
  });
  after(async () => {
    await ctx?.close();
    await upstream.close();
  });

  it('fetches a tile once with Tracklink’s User-Agent, then serves it from the disk cache', async () => {
    const r1 = await get('/tiles/3/4/2.png');
    assert.equal(r1.statusCode, 200, r1.body);
    assert.equal(r1.headers['content-type'], 'image/png');
    assert.match(String(r1.headers['cache-control']), /^public, max-age=\d+$/);
    assert.deepEqual(r1.rawPayload, tilePng(3, 4, 2));
    assert.equal(upstream.count('/3/4/2.png'), 1);
    assert.match(String(upstream.requests.at(-1)?.headers['user-agent']), /^Tracklink\/\d+\.\d+\.\d+ \(\+ops@tracklink\.test; /);
    const r2 = await get('/tiles/3/4/2.png');
    assert.equal(r2.statusCode, 200);
    assert.deepEqual(r2.rawPayload, r1.rawPayload);
    assert.equal(upstream.count('/3/4/2.png'), 1, 'the second came from disk');
    assert.ok(statSync(path.join(ctx.dataDir, 'tiles', '3', '4', '2.tile')).isFile());
  });

  it('forwards nothing of the visitor: no slug, Referer, cookie, credentials or address', async () => {
    await get('/tiles/4/8/5.png', {
      referer: 'http://tracklink.test/t/VisitorSlugMustStayHere1',
      cookie: 'tl_session=VisitorCookieMustStayHere1',
      authorization: 'Bearer VisitorTokenMustStayHere1',
      'x-forwarded-for': '192.0.2.99',
      'user-agent': 'VisitorBrowser/1.0',
      'accept-language': 'nl-NL',
    });
    const sent = upstream.requests.find((r) => r.path === '/4/8/5.png');
    assert.ok(sent);
    const text = JSON.stringify(sent);
    for (const leak of ['MustStayHere', '192.0.2.99', 'VisitorBrowser', 'nl-NL']) assert.ok(!text.includes(leak), `${leak} reached the upstream: ${text}`);
    assert.equal(sent.headers.referer, undefined);
    assert.equal(sent.headers.cookie, undefined);
  });

  it('refuses malformed and out-of-range tiles without asking the upstream', async () => {
    const before = upstream.count();
    for (const url of ['/tiles/3/4/x.png', '/tiles/03/4/2.png', '/tiles/3/-1/2.png', '/tiles/3/4/2.5.png', '/tiles/3/4/99999999999.png']) {
      const r = await get(url, {}, '198.51.100.2');
      assert.equal(r.statusCode, 400, url);
      assert.equal(JSON.parse(r.body).error.code, 'validation_failed');
    }
    for (const url of ['/tiles/20/0/0.png', '/tiles/3/8/0.png', '/tiles/3/0/8.png', '/tiles/3/4/2.jpg', '/tiles/3/4.png']) {
      assert.equal((await get(url, {}, '198.51.100.2')).statusCode, 404, url);
    }
    assert.equal(upstream.count(), before);
  });

  it('shares one upstream fetch between concurrent requests for the same tile', async () => {
    let release = () => {};
    upstream.behave('/9/10/11.png', { hold: new Promise<void>((r) => (release = r)) });
    const all = Promise.all(Array.from({ length: 6 }, () => get('/tiles/9/10/11.png', {}, '198.51.100.3')));
    while (upstream.count('/9/10/11.png') === 0) await new Promise((r) => setTimeout(r, 5));
    release();
    const rs = await all;
    assert.deepEqual(rs.map((r) => r.statusCode), [200, 200, 200, 200, 200, 200]);
    assert.equal(upstream.count('/9/10/11.png'), 1);
  });

  it('answers 503 when the upstream fails, and 404 for a tile it does not have', async () => {
    upstream.behave('/10/1/1.png', { status: 500 });
    const r = await get('/tiles/10/1/1.png', {}, '198.51.100.4');
    assert.equal(r.statusCode, 503);
    assert.equal(JSON.parse(r.body).error.code, 'unavailable');
    assert.equal((await get('/tiles/10/1/1.png', {}, '198.51.100.4')).statusCode, 503);
    assert.equal(upstream.count('/10/1/1.png'), 1, 'a failed tile is not asked for again at once');
    upstream.behave('/10/2/2.png', { status: 404 });
    assert.equal((await get('/tiles/10/2/2.png', {}, '198.51.100.4')).statusCode, 404);
  });

  it('rate-limits one client IP, not the others', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 45; i++) codes.push((await get('/tiles/3/4/2.png', {}, '198.51.100.9')).statusCode);
    assert.deepEqual([...new Set(codes.slice(0, 40))], [200]);
    assert.deepEqual([...new Set(codes.slice(40))], [429]);
    assert.equal((await get('/tiles/3/4/2.png', {}, '198.51.100.10')).statusCode, 200);
  });
});
