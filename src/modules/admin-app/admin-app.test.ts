// How /app is served: the SPA shell for every app path, long-cached hashed assets, and a clear
// page (not a crash) when the app has not been built.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminAppRoutes, adminDistDir } from './admin-app.routes.js';

describe('admin app serving', () => {
  let dir: string;
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-admin-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/app/assets/index-abc123.js"></script>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = Fastify();
    await app.register(adminAppRoutes, { distDir: dir });
    unbuilt = Fastify();
    await unbuilt.register(adminAppRoutes, { distDir: path.join(dir, 'missing') });
  });
  after(async () => {
    await app.close();
    await unbuilt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every app path with index.html, revalidated on each load', async () => {
    for (const url of ['/app', '/app/', '/app/shipments/0b6f3c1e-2d4a-4f7e-9a55-1c2d3e4f5a6b', '/app/settings/template?x=1']) {
      const r = await app.inject(url);
      assert.equal(r.statusCode, 200, url);
      assert.match(String(r.headers['content-type']), /^text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(r.body, /index-abc123\.js/);
    }
  });

  it('serves hashed assets as immutable for a year', async () => {
    const r = await app.inject('/app/assets/index-abc123.js');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(r.headers['content-type']), /javascript/);
  });

  it('answers 404 for a missing asset instead of the app shell', async () => {
    const r = await app.inject('/app/assets/index-old999.js');
    assert.equal(r.statusCode, 404);
    assert.doesNotMatch(r.body, /index-abc123/);
  });

  it('explains how to build the app when it has not been built', async () => {
    const r = await unbuilt.inject('/app/shipments');
    assert.equal(r.statusCode, 503);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.match(r.body, /npm run build:admin/);
  });

  it('finds web/admin/dist from the source tree', () => {
    assert.match(adminDistDir(), /web[/\\]admin[/\\]dist$/);
  });
});
