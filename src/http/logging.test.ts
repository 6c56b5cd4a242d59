import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createStore } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createServices } from '../services.js';
import { loggerOptions, redactUrl, serializers } from './logging.js';
// @ts-expect-error plain ESM script without types
import { findLeaks } from '../../scripts/check-log-redaction.mjs';

describe('redactUrl', () => {
  it('hides the slug of a tracking page and of every path below it', () => {
    assert.equal(redactUrl('/t/AbC123_-xyz'), '/t/[redacted]');
    assert.equal(redactUrl('/t/AbC123_-xyz/events'), '/t/[redacted]/events');
    assert.equal(redactUrl('/t/AbC123_-xyz/photos/p1?w=200'), '/t/[redacted]/photos/p1?w=200');
  });

  it('hides the device token in the path of an OsmAnd URL', () => {
    assert.equal(redactUrl('/ingest/osmand/tld_s3cret-Token_1?id=x&lat=1'), '/ingest/osmand/[redacted]?id=[redacted]&lat=1');
    assert.equal(redactUrl('/ingest/osmand?lat=1'), '/ingest/osmand?lat=1');
  });

  it('hides token-like query parameters whatever their case, keeping the others', () => {
    assert.equal(redactUrl('/osmand?id=dev-secret-token&lat=1&lon=2'), '/osmand?id=[redacted]&lat=1&lon=2');
    assert.equal(redactUrl('/x?limit=5&Token=abc&API_KEY=k1'), '/x?limit=5&Token=[redacted]&API_KEY=[redacted]');
    assert.equal(redactUrl('/x?deviceid=d1&key=k'), '/x?deviceid=[redacted]&key=[redacted]');
  });

  it('decides on what the app reads: percent-encoded paths and query keys', () => {
    assert.equal(redactUrl('/%74/AbC123_-xyz/x'), '/t/[redacted]/x');
    assert.equal(redactUrl('/ingest/%6fsmand/tld_s3cret'), '/ingest/osmand/[redacted]');
    assert.equal(redactUrl('/x?%69d=dev-secret&%44EVICEID=d2&i%64+=d3&lat=1'), '/x?%69d=[redacted]&%44EVICEID=[redacted]&i%64+=[redacted]&lat=1');
    assert.equal(redactUrl('/%0a%7b%22x%22'), '/%0a%7b%22x%22', 'no control character decoded into a log line');
  });

  it('finds the slug or token behind doubled slashes and dot segments (no route matches those, the 404 is logged)', () => {
    // Old code: the pattern wanted the secret right after one slash, and logged these whole.
    assert.equal(redactUrl('/t//AbC123_-xyz'), '/t/[redacted]');
    assert.equal(redactUrl('/t///AbC123_-xyz/data'), '/t/[redacted]/data');
    assert.equal(redactUrl('/%74/%2FAbC123_-xyz'), '/t/[redacted]');
    assert.equal(redactUrl('/t/./AbC123_-xyz'), '/t/[redacted]');
    assert.equal(redactUrl('/t/../AbC123_-xyz/events'), '/t/[redacted]/events');
    assert.equal(redactUrl('/ingest/osmand//tld_s3cret-Token_1?lat=1'), '/ingest/osmand/[redacted]?lat=1');
    assert.equal(redactUrl('/ingest//osmand/./tld_s3cret-Token_1'), '/ingest/osmand/[redacted]');
    // Old code: only slashes between ingest and osmand, so these were logged whole.
    assert.equal(redactUrl('/ingest/./osmand/tld_s3cret-Token_1'), '/ingest/osmand/[redacted]');
    assert.equal(redactUrl('/ingest/../ingest/%2e/osmand//tld_s3cret-Token_1?id=x'), '/ingest/../ingest/osmand/[redacted]?id=[redacted]');
  });

  it('leaves URLs without secrets untouched', () => {
    assert.equal(redactUrl('/api/v1/shipments?limit=5'), '/api/v1/shipments?limit=5');
    assert.equal(redactUrl('/tracking/t'), '/tracking/t');
  });

  it('is what the request serializer logs', () => {
    assert.deepEqual(serializers.req({ method: 'GET', url: '/t/s3cretSlug99/data', id: 'r1' }), { method: 'GET', url: '/t/[redacted]/data', id: 'r1' });
  });
});

describe('the log redaction check', () => {
  it('finds a recorded secret in a log and ignores secrets that stayed out', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-redaction-'));
    mkdirSync(path.join(dir, 'logs'));
    mkdirSync(path.join(dir, 'secrets'));
    writeFileSync(path.join(dir, 'secrets', '1.txt'), 'tlk_leakedkey1234567\nslugneverlogged99\nslugencodedlogged42\nshort\n');
    writeFileSync(path.join(dir, 'logs', 'a.log'), '{"msg":"ok"}\n{"url":"/api?x=tlk_leakedkey1234567"}\n{"url":"/t/slug%65ncodedlogged42"}\n');
    const r = findLeaks(path.join(dir, 'logs'), path.join(dir, 'secrets'));
    assert.equal(r.secrets, 3);
    assert.deepEqual(r.leaks.map((l: { secret: string }) => l.secret).sort(), ['slugen…', 'tlk_le…'], 'a percent-encoded slug is found too');
  });
});

/** An app whose log lines are captured in `lines`. */
async function withLoggedApp(run: (app: FastifyInstance, lines: string[]) => Promise<void>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-reqlog-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir, TILE_URL: 'off' });
  const store = createStore(config.database);
  await migrateToLatest(store);
  const lines: string[] = [];
  const app = await buildApp(createServices(config, store), { logger: loggerOptions('debug', { write: (l: string) => void lines.push(l) }) });
  try {
    await run(app, lines);
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('request logs', () => {
  it('carry the request id the client sees, with slugs, query tokens and credentials left out', async () => {
    await withLoggedApp(async (app, lines) => {
      const r = await app.inject({
        method: 'GET',
        url: '/t/SlugThatMustNotLeak42/data?token=TokenThatMustNotLeak42',
        headers: { 'x-request-id': 'edge-trace-0001', authorization: 'Bearer tlk_KeyThatMustNotLeak42', cookie: 'tl_session=CookieThatMustNotLeak42' },
      });
      assert.equal(r.headers['x-request-id'], 'edge-trace-0001');
      const entries = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { url: string } });
      const mine = entries.filter((e) => e.reqId === 'edge-trace-0001');
      assert.equal(mine.find((e) => e.req)?.req?.url, '/t/[redacted]/data?token=[redacted]');
      const device = await app.inject({ method: 'POST', url: '/ingest/osmand/tld_DeviceTokenThatMustNotLeak42?lat=52&lon=5', headers: { 'x-request-id': 'edge-trace-0002' } });
      assert.equal(device.statusCode, 400);
      const deviceLine = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { url: string } }).find((e) => e.reqId === 'edge-trace-0002' && e.req);
      assert.equal(deviceLine?.req?.url, '/ingest/osmand/[redacted]?lat=52&lon=5');
      assert.doesNotMatch(lines.join(''), /MustNotLeak/);
    });
  });

  it('are one access line per request, written when it ends, with status, response time and request id', async () => {
    await withLoggedApp(async (app, lines) => {
      const r = await app.inject({ method: 'GET', url: '/t/SlugThatMustNotLeak43/data', headers: { 'x-request-id': 'one-line-trace-1' } });
      assert.equal(r.statusCode, 404);
      type Entry = { level: number; msg: string; reqId?: string; req?: { method: string; url: string; id: string }; res?: { statusCode: number }; responseTime?: number };
      const mine = lines.map((l) => JSON.parse(l) as Entry).filter((e) => e.reqId === 'one-line-trace-1');
      assert.equal(mine.length, 1, 'one line, not an incoming and a completed one');
      const [line] = mine;
      assert.equal(line.level, 30);
      assert.equal(line.msg, 'request completed');
      assert.deepEqual(line.req, { method: 'GET', url: '/t/[redacted]/data', id: 'one-line-trace-1' });
      assert.equal(line.res?.statusCode, 404);
      assert.equal(typeof line.responseTime, 'number');
    });
  });

  it('keep errors, logged with their request id', async () => {
    await withLoggedApp(async (app, lines) => {
      app.get('/boom-for-the-log-test', async () => {
        throw new Error('kaboom for the log test');
      });
      const r = await app.inject({ method: 'GET', url: '/boom-for-the-log-test', headers: { 'x-request-id': 'error-trace-1' } });
      assert.equal(r.statusCode, 500);
      const mine = lines.map((l) => JSON.parse(l) as { level: number; msg: string; reqId?: string; err?: { message: string }; res?: { statusCode: number } }).filter((e) => e.reqId === 'error-trace-1');
      assert.ok(mine.some((e) => e.level >= 50 && e.err?.message === 'kaboom for the log test'), 'the error, with its request id');
      assert.equal(mine.filter((e) => e.msg === 'request completed').length, 1);
      assert.equal(mine.find((e) => e.msg === 'request completed')?.res?.statusCode, 500);
    });
  });

  it('leave out slugs, tokens and device ids however the URL spells them, decided on the route it reached', async () => {
    await withLoggedApp(async (app, lines) => {
      const spelled = [
        ['/%74/SlugSpelledMustNotLeak1', '/t/[redacted]'],
        ['/%74/SlugSpelledMustNotLeak2/%64ata', '/t/[redacted]/data'],
        ['/t/Slug%53pelledMustNotLeak3/data', '/t/[redacted]/data'],
        ['/%74/SlugSpelledMustNotLeak4/photos/p1', '/t/[redacted]/photos/p1'],
        ['/ingest/%6fsmand/tld_TokenSpelledMustNotLeak5?lat=52', '/ingest/osmand/[redacted]?lat=52'],
        ['/ingest/osmand?%69d=DeviceIdSpelledMustNotLeak6&lat=52&lon=5', '/ingest/osmand?%69d=[redacted]&lat=52&lon=5'],
        ['/ingest/osmand?DEVICE%49D=DeviceIdSpelledMustNotLeak7&lat=52', '/ingest/osmand?DEVICE%49D=[redacted]&lat=52'],
        // No route: the decoded path still hides what looks like a slug.
        ['/%74/SlugSpelledMustNotLeak8/no/such/page', '/t/[redacted]/no/such/page'],
      ];
      for (const [i, [url, logged]] of spelled.entries()) {
        const reqId = `spelled-trace-${i}`;
        await app.inject({ method: url.startsWith('/ingest') ? 'POST' : 'GET', url, headers: { 'x-request-id': reqId } });
        const line = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { url: string } }).find((e) => e.reqId === reqId && e.req);
        assert.equal(line?.req?.url, logged, url);
      }
      assert.doesNotMatch(lines.join(''), /MustNotLeak|Must%4eotLeak/i);
    });
  });
});
