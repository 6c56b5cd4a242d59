// The same two-instance tests on every live bus (LIVE_BUS_URL): PostgreSQL LISTEN/NOTIFY, Redis
// pub/sub and NATS. Two Tracklink instances share one PostgreSQL database and one bus, as behind
// a load balancer: a position posted to A reaches a viewer on B, a revocation on A closes B's
// stream, and after a bus outage (server killed, or LISTEN connections terminated) the instances
// reconnect and resync, so a revocation made during the outage still closes B's stream.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createStore } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createServices } from '../../src/services.js';
import { createOrgWithOwner } from '../../src/modules/orgs/bootstrap.js';
import { startNatsServer, startRedisServer, type BusServer } from '../helpers/bus-servers.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';
import { openSse } from '../helpers/sse.js';
import { apiCaller, osmandPoster, until, type Instance } from '../helpers/instances.js';

const iso = (ms: number) => new Date(ms).toISOString();
const BUSES = ['postgres', 'redis', 'nats'] as const;

/** Makes the bus's next send of a `type` message naming `id` fail, as a NOTIFY or PUBLISH the server refused. */
function failNextMessage(bus: unknown, type: 'device' | 'link', id: string): () => void {
  const b = bus as { kind: string; pool?: { query: (...a: unknown[]) => Promise<unknown> }; pub?: { publish: (...a: unknown[]) => Promise<unknown> }; nc?: { publish: (...a: unknown[]) => unknown } };
  const isIt = (payload: unknown) => {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload as Uint8Array).toString('utf8');
    return text.includes(`"type":"${type}"`) && text.includes(id);
  };
  let failed = false;
  const [owner, name] = b.kind === 'postgres' ? [b.pool!, 'query'] : b.kind === 'redis' ? [b.pub!, 'publish'] : [b.nc!, 'publish'];
  const target = owner as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = target[name];
  target[name] = function (this: unknown, ...args: unknown[]) {
    const payload = b.kind === 'postgres' ? (args[1] as unknown[] | undefined)?.[1] : args[1];
    if (!failed && payload !== undefined && isIt(payload)) {
      failed = true;
      if (b.kind === 'nats') throw new Error('test: publish failed');
      return Promise.reject(new Error('test: publish failed'));
    }
    return original.apply(this, args);
  };
  return () => {
    target[name] = original;
  };
}

if ((await storeKinds()).includes('postgres')) {
  for (const bus of BUSES) {
    describe(`two instances on the ${bus} live bus [postgres]`, () => {
      const instances: Instance[] = [];
      let server: BusServer | null = null;
      let drop: () => Promise<void> = async () => {};
      const dir = mkdtempSync(path.join(os.tmpdir(), `tracklink-bus-${bus}-`));
      let apiKey = '';

      before(async () => {
        const pg = await createPgDatabase();
        drop = pg.drop;
        if (bus === 'redis') server = await startRedisServer();
        if (bus === 'nats') server = await startNatsServer();
        // A channel of this run's own: nothing else on the server hears it.
        const channel = `tl_test_${randomBytes(6).toString('hex')}`;
        const busUrl = server ? `${server.url}/?channel=${channel}` : 'postgres';
        // A and B, and on Redis and NATS a third instance C that re-checks its viewers' links every
        // 100 ms while the bus is down (A and B never do within a test: their recovery is the resync).
        for (let i = 0; i < (bus === 'postgres' ? 2 : 3); i++) {
          const config = loadConfig({ DATABASE_URL: pg.url, LIVE_BUS_URL: busUrl, DATA_DIR: dir, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://tracklink.test', TILE_URL: 'off' });
          assert.equal(config.liveBus.kind, bus);
          const store = createStore(config.database);
          if (i === 0) await migrateToLatest(store);
          // PostgreSQL: a LISTEN connection comes back after 3 s, so the revocation below surely falls in the outage.
          const services = createServices(config, store, { busReconnectMs: bus === 'postgres' ? 3000 : 100, busOutageCheckMs: i === 2 ? 100 : 600_000 });
          const app = await buildApp(services, { logger: false });
          const url = await app.listen({ port: 0, host: '127.0.0.1' });
          // Each instance connects to the bus, as a server started by main.ts does.
          await services.background.start(app.log, ['live-hub']);
          instances.push({ app, store, url });
        }
        apiKey = (await createOrgWithOwner(instances[0].app.services, { name: `Bus ${bus}`, country: 'NL', ownerEmail: `o@${bus}.example` })).api_key;
      });
      after(async () => {
        for (const i of instances) {
          await i.app.close();
          await i.store.close();
        }
        await server?.stop();
        await drop();
        rmSync(dir, { recursive: true, force: true });
      });

      const call = apiCaller(() => apiKey);
      /** A shipment in transit with a driver and a tracker device; its link shows the driver only. */
      const tracked = async (base: string) => {
        const s = await call(base, 'POST', '/api/v1/shipments', {
          kind: 'order',
          reference: `ORD-${randomBytes(4).toString('hex')}`,
          status: 'in_transit',
          stops: [
            { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(Date.now() - 3600_000) },
            { type: 'delivery', lat: 52.1, lon: 5.1 },
          ],
        });
        assert.equal(s.status, 201);
        const driver = (await call(base, 'POST', '/api/v1/devices', { name: 'Phone' })).body;
        const tracker = (await call(base, 'POST', '/api/v1/devices', { name: 'Tracker' })).body;
        const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
        await call(base, 'POST', `/api/v1/shipments/${s.body.id}/sources`, { device_id: driver.id, layer: 'driver', from });
        await call(base, 'POST', `/api/v1/shipments/${s.body.id}/sources`, { device_id: tracker.id, layer: 'tracker', from });
        const link = await call(base, 'POST', `/api/v1/shipments/${s.body.id}/links`, { options: { layers: ['driver'], driver_position: 'always' } });
        assert.equal(link.status, 201);
        return { driver: driver.id as string, tracker: tracker.id as string, link: link.body as { id: string; slug: string } };
      };
      const post = (base: string, device: string, at: number, lat: number) => call(base, 'POST', '/api/v1/positions', { positions: [{ device_id: device, recorded_at: iso(at), lat, lon: 4.9 }] });
      const osmand = osmandPoster();
      /** Cuts every instance off the bus: the bus server killed, or (PostgreSQL) the LISTEN connections ended. */
      const cutBus = async () => {
        if (server) {
          await server.kill();
        } else {
          const [a] = instances;
          const killed = await a.store.db.executeQuery(
            sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.compile(a.store.db),
          );
          assert.ok(killed.rows.length >= 2, 'both instances had a LISTEN connection');
        }
        await until(() => instances.every((i) => !i.app.services.bus.connected), 'every instance to notice the outage');
      };

      it('delivers a position posted to instance A to a viewer on instance B, and never a hidden layer', async () => {
        const [a, b] = instances;
        const t = await tracked(a.url);
        const viewer = await openSse(`${b.url}/t/${t.link.slug}/events`);
        try {
          assert.equal(viewer.status, 200);
          await viewer.waitFor((e) => e.event === 'status');
          const now = Date.now();
          assert.equal((await post(a.url, t.tracker, now - 500, 52.2)).body.accepted, 1);
          assert.equal((await post(a.url, t.driver, now, 52.03)).body.accepted, 1);
          const got = await viewer.waitFor((e) => e.event === 'position', 5000);
          assert.equal(got.data.layer, 'driver');
          assert.equal(got.data.lat, 52.03);
          assert.ok(!viewer.events.some((e) => e.event === 'position' && e.data.layer !== 'driver'), 'the tracker layer never reached the viewer');
        } finally {
          viewer.close();
        }
      });

      it('closes the streams on instance B when the link is revoked on instance A', async () => {
        const [a, b] = instances;
        const t = await tracked(a.url);
        const viewers = await Promise.all([openSse(`${b.url}/t/${t.link.slug}/events`), openSse(`${b.url}/t/${t.link.slug}/events`)]);
        for (const v of viewers) await v.waitFor((e) => e.event === 'status');
        assert.equal((await call(a.url, 'POST', `/api/v1/links/${t.link.id}/revoke`, {})).status, 200);
        for (const v of viewers) {
          await v.waitFor((e) => e.event === 'revoked', 5000);
          await v.ended;
        }
        assert.equal((await fetch(`${b.url}/t/${t.link.slug}/data`)).status, 404);
      });

      it('after a bus outage reconnects and resyncs: a revocation made during the outage closes B\'s stream, and positions flow again', async () => {
        const [a, b] = instances;
        const busOf = (i: Instance) => i.app.services.bus;
        const revoked = await tracked(a.url);
        const kept = await tracked(a.url);
        const gone = await openSse(`${b.url}/t/${revoked.link.slug}/events`);
        const stays = await openSse(`${b.url}/t/${kept.link.slug}/events`);
        try {
          await gone.waitFor((e) => e.event === 'status');
          await stays.waitFor((e) => e.event === 'status');
          // B has the link cached and its viewer open; now the bus goes away.
          assert.equal((await fetch(`${b.url}/t/${revoked.link.slug}/data`)).status, 200);
          await cutBus();

          assert.equal((await call(a.url, 'POST', `/api/v1/links/${revoked.link.id}/revoke`, {})).status, 200);
          // The revocation's message went nowhere: B is still cut off from the bus.
          assert.equal(busOf(b).connected, false, 'the revocation was made during the outage');
          assert.ok(!gone.events.some((e) => e.event === 'revoked'));

          await server?.start();
          await until(() => busOf(b).connected && busOf(a).connected, 'both instances to reconnect');
          await gone.waitFor((e) => e.event === 'revoked', 5000);
          await gone.ended;
          // The other viewer stays, is told to refresh, and gets positions again.
          const changed = await stays.waitFor((e) => e.event === 'changed', 5000);
          // Marked as a resync: every viewer of B got it at once, and the page spreads its refetch.
          assert.deepEqual(changed.data, { resync: true });
          assert.equal((await post(a.url, kept.driver, Date.now(), 52.05)).body.accepted, 1);
          const got = await stays.waitFor((e) => e.event === 'position' && e.data.lat === 52.05, 5000);
          assert.equal(got.data.layer, 'driver');
          assert.equal((await fetch(`${b.url}/t/${revoked.link.slug}/data`)).status, 404);
        } finally {
          gone.close();
          stays.close();
        }
      });

      it('refuses on B a device token rotated on A, though B had just used it, as soon as A\'s message is there', async () => {
        const [a, b] = instances;
        const d = (await call(a.url, 'POST', '/api/v1/devices', { name: 'Van' })).body as { id: string; token: string };
        assert.equal(await osmand(b.url, d.token), 200);
        assert.equal(await osmand(b.url, d.token), 200, 'B now holds the device for this token');
        const heard = new Promise<void>((resolve) => b.app.services.bus.subscribe((m) => m.type === 'device' && m.deviceId === d.id && resolve()));
        const rotated = await call(a.url, 'POST', `/api/v1/devices/${d.id}/rotate`, {});
        assert.equal(rotated.status, 200);
        await heard;
        assert.equal(await osmand(b.url, d.token), 400, 'the old token is unknown on B');
        assert.equal(await osmand(b.url, rotated.body.token), 200, 'the new one works on B');
      });

      it('while the bus is down, takes no device from the cache: a token rotated on A during the outage is refused by B at once', async () => {
        const [a, b] = instances;
        const d = (await call(a.url, 'POST', '/api/v1/devices', { name: 'Truck' })).body as { id: string; token: string };
        assert.equal(await osmand(b.url, d.token), 200);
        assert.equal(await osmand(b.url, d.token), 200, 'B now holds the device for this token');
        await cutBus();
        try {
          assert.equal((await call(a.url, 'POST', `/api/v1/devices/${d.id}/rotate`, {})).status, 200);
          assert.equal(await osmand(b.url, d.token), 400, 'B never heard of the rotation, and refuses the old token');
          assert.equal(b.app.services.bus.connected, false, 'the bus was still down');
        } finally {
          await server?.start();
          await until(() => instances.every((i) => i.app.services.bus.connected), 'every instance to reconnect');
        }
      });

      it("refuses on B a token rotated on A though A's first publish of the change failed (the bus itself stayed up)", async () => {
        const [a, b] = instances;
        const d = (await call(a.url, 'POST', '/api/v1/devices', { name: 'Bike' })).body as { id: string; token: string };
        assert.equal(await osmand(b.url, d.token), 200);
        assert.equal(await osmand(b.url, d.token), 200, 'B now holds the device for this token');
        // A's message about this device does not get onto the bus once (a failed NOTIFY or PUBLISH),
        // while every instance stays subscribed: B has no outage to drop its cache for.
        const restore = failNextMessage(a.app.services.bus, 'device', d.id);
        try {
          const heard = new Promise<void>((resolve) => b.app.services.bus.subscribe((m) => m.type === 'device' && m.deviceId === d.id && resolve()));
          assert.equal((await call(a.url, 'POST', `/api/v1/devices/${d.id}/rotate`, {})).status, 200);
          assert.ok(b.app.services.bus.connected, 'B never lost the bus');
          await Promise.race([heard, new Promise((r) => setTimeout(r, 5000))]);
          assert.equal(await osmand(b.url, d.token), 400, 'old code: B accepts the old token until its cache entry expires (30 s)');
        } finally {
          restore();
        }
      });

      it("closes B's streams on a revocation on A though A's first publish of it failed (the bus itself stayed up)", async () => {
        const [a, b] = instances;
        const t = await tracked(a.url);
        const viewer = await openSse(`${b.url}/t/${t.link.slug}/events`);
        const restore = failNextMessage(a.app.services.bus, 'link', t.link.id);
        try {
          await viewer.waitFor((e) => e.event === 'status');
          assert.equal((await call(a.url, 'POST', `/api/v1/links/${t.link.id}/revoke`, {})).status, 200);
          assert.ok(b.app.services.bus.connected, 'B never lost the bus');
          // Well within the 60 s re-check of open streams, which would close it otherwise.
          await viewer.waitFor((e) => e.event === 'revoked', 5000);
          await viewer.ended;
        } finally {
          restore();
          viewer.close();
        }
      });

      if (bus !== 'postgres') {
        it('while the bus is down, re-checks its viewers\' links: a revocation on A closes a stream on C before the bus is back', async () => {
          const [a, , c] = instances;
          const t = await tracked(a.url);
          const viewer = await openSse(`${c.url}/t/${t.link.slug}/events`);
          try {
            await viewer.waitFor((e) => e.event === 'status');
            await server!.kill();
            await until(() => !c.app.services.bus.connected, 'C to notice the outage');
            assert.equal((await call(a.url, 'POST', `/api/v1/links/${t.link.id}/revoke`, {})).status, 200);
            await viewer.waitFor((e) => e.event === 'revoked', 5000);
            await viewer.ended;
            assert.equal(c.app.services.bus.connected, false, 'the bus server is still down: the outage check closed it');
          } finally {
            viewer.close();
            await server!.start();
            await until(() => instances.every((i) => i.app.services.bus.connected), 'every instance to reconnect');
          }
        });
      }
    });
  }
}
