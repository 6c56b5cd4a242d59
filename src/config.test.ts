import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('defaults to an embedded SQLite store on port 3000', () => {
    const c = loadConfig({});
    assert.equal(c.database.kind, 'sqlite');
    assert.ok(c.database.kind === 'sqlite' && c.database.file.endsWith(path.join('data', 'tracklink.db')));
    assert.equal(c.port, 3000);
    assert.equal(c.publicBaseUrl, 'http://localhost:3000');
    assert.ok(Object.isFrozen(c));
  });

  it('reports every bad variable at once, by name', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', LOG_LEVEL: 'loud', LOG_FORMAT: 'fancy', PUBLIC_BASE_URL: 'ftp://x', TILE_URL: 'http://tiles/no-placeholders' });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'LOG_FORMAT', 'PUBLIC_BASE_URL', 'TILE_URL']) assert.match(text, new RegExp(name));
      assert.equal(err.problems.length, 6);
    }
  });

  it('times requests out by default (10 s for headers, 30 s in all), caps connections per address, and refuses a header deadline past the request deadline', () => {
    const c = loadConfig({});
    assert.deepEqual([c.headersTimeoutMs, c.requestTimeoutMs, c.maxConnectionsPerIp], [10_000, 30_000, 100]);
    assert.equal(loadConfig({ MAX_CONNECTIONS_PER_IP: '0' }).maxConnectionsPerIp, 0);
    assert.throws(() => loadConfig({ HEADERS_TIMEOUT_MS: '40000' }), /HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS/);
  });

  it('accepts PostgreSQL URLs and reads secrets from *_FILE variables', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-config-'));
    const secret = path.join(dir, 'db-url');
    writeFileSync(secret, 'postgres://u:p@db:5432/tracklink\n');
    const c = loadConfig({ DATABASE_URL_FILE: secret, PUBLIC_BASE_URL: 'https://track.example.com/' });
    assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://u:p@db:5432/tracklink' });
    assert.equal(c.publicBaseUrl, 'https://track.example.com');
    assert.throws(() => loadConfig({ SMTP_URL_FILE: path.join(dir, 'missing') }), /SMTP_URL_FILE/);
  });

  it('picks the live bus: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL, or Redis / NATS from LIVE_BUS_URL with its own channel', () => {
    const pg = 'postgres://u:p@db:5432/tracklink';
    assert.deepEqual(loadConfig({}).liveBus, { kind: 'local' });
    assert.deepEqual(loadConfig({ DATABASE_URL: pg }).liveBus, { kind: 'postgres' });
    assert.deepEqual(loadConfig({ DATABASE_URL: pg, LIVE_BUS_URL: 'postgres' }).liveBus, { kind: 'postgres' });
    assert.deepEqual(loadConfig({ DATABASE_URL: pg, LIVE_BUS_URL: 'redis://:secret@cache:6379/2' }).liveBus, { kind: 'redis', url: 'redis://:secret@cache:6379/2', channel: 'tracklink_live' });
    // The channel parameter is Tracklink's, not passed on to the client library.
    assert.deepEqual(loadConfig({ DATABASE_URL: pg, LIVE_BUS_URL: 'nats://nats:4222/?channel=eu-1' }).liveBus, { kind: 'nats', url: 'nats://nats:4222/', channel: 'eu-1' });
    assert.throws(() => loadConfig({ LIVE_BUS_URL: 'postgres' }), /LIVE_BUS_URL: postgres \(LISTEN\/NOTIFY\) needs DATABASE_URL/);
    assert.throws(() => loadConfig({ DATABASE_URL: pg, LIVE_BUS_URL: 'kafka://k:9092' }), /LIVE_BUS_URL: expected postgres, redis/);
    assert.throws(() => loadConfig({ DATABASE_URL: pg, LIVE_BUS_URL: 'redis://cache/?channel=a b*' }), /LIVE_BUS_URL: channel=/);
  });
});
