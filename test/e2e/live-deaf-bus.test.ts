// An instance whose bus subscription dies silently (half-open TCP: no close, no error, nothing
// arrives) must not go on trusting its caches. Two instances on each live bus; B reaches its
// subscription through a proxy that stops forwarding without closing. B's own pings stop coming
// back, so B treats the bus as lost (as in an outage: no device from the token cache, open
// streams re-checked every 5 s), drops the silent connection and subscribes again, and is back
// once a ping comes back through the new one.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createStore } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createServices } from '../../src/services.js';
import { createOrgWithOwner } from '../../src/modules/orgs/bootstrap.js';
import { startNatsServer, startRedisServer, type BusServer } from '../helpers/bus-servers.js';
import { startSilentProxy, type SilentProxy } from '../helpers/silent-proxy.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';
import { openSse } from '../helpers/sse.js';
import { apiCaller, osmandPoster, until, type Instance } from '../helpers/instances.js';

const iso = (ms: number) => new Date(ms).toISOString();
const BUSES = ['postgres', 'redis', 'nats'] as const;
/**
 * How soon B must find its subscription silent: the probe's overdue time (3 s) plus one probe
 * interval (1 s), bus-probe.ts, and 2 s of slack for a loaded test machine.
 */
const LOST_WITHIN_MS = 6000;
/**
 * How soon B is back after it found the subscription silent: it subscribes again at once
 * (reconnecting-bus.ts), its next probe comes back within an interval; slack for a loaded machine.
 */
const BACK_WITHIN_MS = 8000;
/** Open streams are re-checked every 5 s while the bus is lost; every 60 s while it is trusted. */
const CLOSED_WITHIN_MS = 12_000;

if ((await storeKinds()).includes('postgres')) {
  for (const bus of BUSES) {
    describe(`a silently lost subscription on the ${bus} live bus [postgres]`, () => {
      const instances: Instance[] = [];
      let server: BusServer | null = null;
      let proxy: SilentProxy | null = null;
      let drop: () => Promise<void> = async () => {};
      const dir = mkdtempSync(path.join(os.tmpdir(), `tracklink-deaf-${bus}-`));
      const channel = `tl_test_${randomBytes(6).toString('hex')}`;
      let apiKey = '';

      before(async () => {
        const pg = await createPgDatabase();
        drop = pg.drop;
        if (bus === 'redis') server = await startRedisServer();
        if (bus === 'nats') server = await startNatsServer();
        // B's bus connections (on PostgreSQL: its whole store, the LISTEN connection among them) go through the proxy.
        const pgUrl = new URL(pg.url);
        proxy = await startSilentProxy(server ? server.port : Number(pgUrl.port || 5432), server ? '127.0.0.1' : pgUrl.hostname);
        const viaProxy = (u: string) => {
          const url = new URL(u);
          url.hostname = '127.0.0.1';
          url.port = String(proxy!.port);
          return url.toString();
        };
        for (let i = 0; i < 2; i++) {
          const busUrl = server ? `${i === 1 ? viaProxy(server.url) : server.url}/?channel=${channel}` : 'postgres';
          const dbUrl = !server && i === 1 ? viaProxy(pg.url) : pg.url;
          const config = loadConfig({ DATABASE_URL: dbUrl, LIVE_BUS_URL: busUrl, DATA_DIR: dir, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://tracklink.test', TILE_URL: 'off' });
          assert.equal(config.liveBus.kind, bus);
          const store = createStore(config.database);
          if (i === 0) await migrateToLatest(store);
          const services = createServices(config, store, { busReconnectMs: 100 });
          const app = await buildApp(services, { logger: false });
          const url = await app.listen({ port: 0, host: '127.0.0.1' });
          await services.background.start(app.log, ['live-hub']);
          instances.push({ app, store, url });
        }
        apiKey = (await createOrgWithOwner(instances[0].app.services, { name: `Deaf ${bus}`, country: 'NL', ownerEmail: `o@deaf-${bus}.example` })).api_key;
        await until(() => instances.every((i) => i.app.services.bus.connected), 'both instances on the bus');
      });
      after(async () => {
        proxy?.resume();
        for (const i of instances) {
          await i.app.close();
          await i.store.close();
        }
        await proxy?.close();
        await server?.stop();
        await drop();
        rmSync(dir, { recursive: true, force: true });
      });

      const call = apiCaller(() => apiKey);
      const osmand = osmandPoster();
      /** What B's subscriber connection sent, to pick it out among B's connections. */
      const subscriberMarker = bus === 'postgres' ? 'LISTEN tracklink_live' : bus === 'redis' ? 'SUBSCRIBE' : `SUB ${channel}`;

      it('treats the bus as lost within seconds, so a link revoked on A closes its stream on B and a token rotated on A is refused, long before the 60 s re-check', async () => {
        const [a, b] = instances;
        const s = await call(a.url, 'POST', '/api/v1/shipments', {
          kind: 'order',
          reference: `ORD-${randomBytes(4).toString('hex')}`,
          status: 'in_transit',
          stops: [
            { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(Date.now() - 3600_000) },
            { type: 'delivery', lat: 52.1, lon: 5.1 },
          ],
        });
        assert.equal(s.status, 201);
        const link = await call(a.url, 'POST', `/api/v1/shipments/${s.body.id}/links`, { options: { layers: ['driver'], driver_position: 'always' } });
        assert.equal(link.status, 201);
        const device = (await call(a.url, 'POST', '/api/v1/devices', { name: 'Van' })).body as { id: string; token: string };
        const viewer = await openSse(`${b.url}/t/${link.body.slug}/events`);
        try {
          assert.equal(viewer.status, 200);
          await viewer.waitFor((e) => e.event === 'status');
          assert.equal(await osmand(b.url, device.token), 200);
          assert.equal(await osmand(b.url, device.token), 200, 'B now holds the device for this token');

          const lostWhileDeaf: boolean[] = [];
          b.app.services.bus.onLost(() => lostWhileDeaf.push(b.app.services.bus.deaf));
          assert.equal(proxy!.silence(subscriberMarker), 1, "B's subscriber connection went silent");
          await until(() => lostWhileDeaf.length > 0, 'B to find its subscription silent', LOST_WITHIN_MS);
          assert.deepEqual(lostWhileDeaf, [true], 'lost because nothing came back, not because the connection closed');
          assert.equal(a.app.services.bus.connected, true, 'A still hears the bus');

          assert.equal((await call(a.url, 'POST', `/api/v1/links/${link.body.id}/revoke`, {})).status, 200);
          assert.equal((await call(a.url, 'POST', `/api/v1/devices/${device.id}/rotate`, {})).status, 200);
          assert.equal(await osmand(b.url, device.token), 400, 'B takes no device from its cache since it lost the bus');
          await viewer.waitFor((e) => e.event === 'revoked', CLOSED_WITHIN_MS);
          await viewer.ended;
          assert.equal((await fetch(`${b.url}/t/${link.body.slug}/data`)).status, 404);

          // The silent connection is not waited on (TCP gives a quiet LISTEN or Redis subscriber up
          // only after hours): B drops it and subscribes again, and is back while the old line is still silent.
          await until(() => b.app.services.bus.connected, 'B to hear itself again through a new subscription', BACK_WITHIN_MS);
          assert.equal(b.app.services.bus.deaf, false);
          await until(() => proxy!.silencedOpen() === 0, 'B to have closed the silent connection', BACK_WITHIN_MS);
        } finally {
          proxy!.resume();
          viewer.close();
        }
      });

      if (bus === 'nats') {
        it('counts a confirmed publish as taken only once the server has answered; a position is not held up', async () => {
          const b = instances[1];
          await until(() => b.app.services.bus.connected, 'B on the bus');
          assert.equal(proxy!.silence(subscriberMarker), 1);
          try {
            const msg = { type: 'org', orgId: 'o-none' } as const;
            assert.equal(await b.app.services.bus.publish(msg, { confirmed: true }), false, 'no answer from the server: not taken');
            assert.equal(await b.app.services.bus.publish({ type: 'pos', orgId: 'o-none', deviceId: 'd-none', position: [Date.now(), 52, 5, null, null, null] }), true);
          } finally {
            proxy!.resume();
          }
          await until(() => b.app.services.bus.connected, 'B to hear itself again');
          assert.equal(await b.app.services.bus.publish({ type: 'org', orgId: 'o-none' }, { confirmed: true }), true);
        });
      }
    });
  }
}
