// Two Tracklink instances on one PostgreSQL database, as behind a load balancer: a position
// posted to instance A reaches a viewer connected to instance B through LISTEN/NOTIFY.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createStore, type Store } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createServices } from '../../src/services.js';
import { createOrgWithOwner } from '../../src/modules/orgs/bootstrap.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';
import { openSse } from '../helpers/sse.js';

const kinds = await storeKinds();
const iso = (ms: number) => new Date(ms).toISOString();

if (kinds.includes('postgres')) {
  describe('two instances on one PostgreSQL database', () => {
    const instances: { app: FastifyInstance; store: Store; url: string }[] = [];
    let drop: () => Promise<void> = async () => {};
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-two-'));

    before(async () => {
      const pg = await createPgDatabase();
      drop = pg.drop;
      for (let i = 0; i < 2; i++) {
        const config = loadConfig({ DATABASE_URL: pg.url, DATA_DIR: dir, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://tracklink.test', TILE_URL: 'off' });
        const store = createStore(config.database);
        if (i === 0) await migrateToLatest(store);
        const services = createServices(config, store);
        const app = await buildApp(services, { logger: false });
        const url = await app.listen({ port: 0, host: '127.0.0.1' });
        // Each instance listens for the other's messages, as a server started by main.ts does.
        await services.background.start(app.log, ['live-hub']);
        instances.push({ app, store, url });
      }
    });
    after(async () => {
      for (const i of instances) {
        await i.app.close();
        await i.store.close();
      }
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('delivers a position posted to instance A to a viewer on instance B within 2 s, and never a hidden layer', async () => {
      const [a, b] = instances;
      const org = await createOrgWithOwner(a.app.services, { name: 'Two', country: 'NL', ownerEmail: 'o@two.example' });
      const call = async (base: string, method: string, url: string, body?: unknown) => {
        const r = await fetch(`${base}${url}`, {
          method,
          headers: { authorization: `Bearer ${org.api_key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: r.status, body: (await r.json()) as any };
      };
      const s = await call(a.url, 'POST', '/api/v1/shipments', {
        kind: 'order',
        reference: 'ORD-TWO',
        status: 'in_transit',
        stops: [
          { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(Date.now() - 3600_000) },
          { type: 'delivery', lat: 52.1, lon: 5.1 },
        ],
      });
      assert.equal(s.status, 201);
      const driver = (await call(a.url, 'POST', '/api/v1/devices', { name: 'Phone' })).body;
      const tracker = (await call(a.url, 'POST', '/api/v1/devices', { name: 'Tracker' })).body;
      await call(a.url, 'POST', `/api/v1/shipments/${s.body.id}/sources`, { device_id: driver.id, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
      await call(a.url, 'POST', `/api/v1/shipments/${s.body.id}/sources`, { device_id: tracker.id, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
      const link = await call(a.url, 'POST', `/api/v1/shipments/${s.body.id}/links`, { options: { layers: ['driver'], driver_position: 'always' } });
      assert.equal(link.status, 201);

      const viewer = await openSse(`${b.url}/t/${link.body.slug}/events`);
      assert.equal(viewer.status, 200);
      await viewer.waitFor((e) => e.event === 'status');

      const now = Date.now();
      const hidden = await call(a.url, 'POST', '/api/v1/positions', { positions: [{ device_id: tracker.id, recorded_at: iso(now - 500), lat: 52.2, lon: 5.2 }] });
      assert.equal(hidden.body.accepted, 1);
      const sent = Date.now();
      const shown = await call(a.url, 'POST', '/api/v1/positions', { positions: [{ device_id: driver.id, recorded_at: iso(now), lat: 52.03, lon: 4.9 }] });
      assert.equal(shown.body.accepted, 1);
      const got = await viewer.waitFor((e) => e.event === 'position', 2000);
      assert.ok(Date.now() - sent <= 2000);
      assert.equal(got.data.layer, 'driver');
      assert.equal(got.data.lat, 52.03);

      // The LISTEN connections drop (a database failover, an idle-connection killer): the
      // instances reconnect and viewers keep receiving.
      const killed = await a.store.db.executeQuery(
        sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.compile(a.store.db),
      );
      assert.ok(killed.rows.length >= 2, 'both instances had a LISTEN connection');
      let resumed = false;
      for (let i = 1; i <= 40 && !resumed; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await call(a.url, 'POST', '/api/v1/positions', { positions: [{ device_id: driver.id, recorded_at: iso(now + i * 1000), lat: 52.04, lon: 4.9 + i / 1000 }] });
        resumed = viewer.events.some((e) => e.event === 'position' && e.data.lat === 52.04);
      }
      await viewer.waitFor((e) => e.event === 'position' && e.data.lat === 52.04, 2000);

      // A revocation on A closes B's stream too (cache invalidated through the hub).
      await call(a.url, 'POST', `/api/v1/links/${link.body.id}/revoke`, {});
      await viewer.waitFor((e) => e.event === 'revoked', 2000);
      await viewer.ended;
      assert.ok(!viewer.events.some((e) => e.event === 'position' && e.data.layer !== 'driver'), 'the tracker layer never reached the viewer');
    });

    it('delivers every one of 1,000 positions posted one after another, alternately to A and B as a load balancer spreads them, to viewers on both', async (t) => {
      const [a, b] = instances;
      const org = await createOrgWithOwner(a.app.services, { name: 'Seq', country: 'NL', ownerEmail: 'o@seq.example' });
      const auth = { authorization: `Bearer ${org.api_key}`, 'content-type': 'application/json' };
      const post = async (url: string, body: unknown, base = a.url) => {
        const r = await fetch(`${base}${url}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
        assert.ok(r.status < 300, `${url}: ${r.status}`);
        return (await r.json()) as any;
      };
      const s = await post('/api/v1/shipments', {
        kind: 'order',
        reference: 'ORD-SEQ',
        status: 'in_transit',
        stops: [
          { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(Date.now() - 3600_000) },
          { type: 'delivery', lat: 52.1, lon: 5.1 },
        ],
      });
      const device = await post('/api/v1/devices', { name: 'Phone' });
      await post(`/api/v1/shipments/${s.id}/sources`, { device_id: device.id, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
      const link = await post(`/api/v1/shipments/${s.id}/links`, { options: { layers: ['driver'], driver_position: 'always' } });
      const viewers = await Promise.all([openSse(`${a.url}/t/${link.slug}/events`), openSse(`${b.url}/t/${link.slug}/events`)]);
      for (const v of viewers) await v.waitFor((e) => e.event === 'status');
      t.after(() => viewers.forEach((v) => v.close()));
      const start = Date.now() - 1000 * 1000;
      const sent: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const at = start + i * 1000;
        const r = await post('/api/v1/positions', { positions: [{ device_id: device.id, recorded_at: iso(at), lat: 52 + i / 1e4, lon: 5 }] }, i % 2 ? b.url : a.url);
        assert.equal(r.accepted, 1);
        sent.push(at);
      }
      for (const [n, viewer] of viewers.entries()) {
        await viewer.waitFor((e) => e.event === 'position' && Number(e.id) === sent.at(-1), 5000);
        const received = new Set(viewer.events.filter((e) => e.event === 'position').map((e) => Number(e.id)));
        const missed = sent.filter((at) => !received.has(at));
        assert.deepEqual(missed.map((at) => (at - start) / 1000), [], `positions (by index) that never reached the viewer on instance ${'AB'[n]}`);
      }
    });
  });
}
