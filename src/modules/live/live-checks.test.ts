// The live service's own re-checks and its bus's states, on both stores: periodic re-checks of
// every viewer's link, the outage period, a resync, and a stop that overtakes the start.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { tracked, FlakyHub, until } from '../../../test/helpers/live.js';
import { BusProbe } from './bus-probe.js';
import { LocalHub } from './hub.js';
import { liveLinkOf } from './live-link.js';
import { LiveService } from './live.service.js';

describeStores('live re-checks and bus states', (ctx) => {
  // The service's timers are unref'd (they never hold a process open): the tests wait on them, so
  // something has to keep the event loop alive meanwhile.
  let keepAlive: NodeJS.Timeout | undefined;
  before(() => void (keepAlive = setInterval(() => {}, 1000)));
  after(() => clearInterval(keepAlive));

    it('closes a stream whose link went away although no bus message said so, within the periodic re-check, and keeps nothing per refreshed slug', async () => {
      const t = await tracked(ctx());
      const { services } = ctx();
      const r = await services.publicLinks.resolve(t.slug);
      assert.equal(r.state, 'ok');
      if (r.state !== 'ok') return;
      // The revocation's bus message is lost (a failed publish while the bus stays connected):
      // only the re-check can learn that the link is gone.
      let available = true;
      const live = new LiveService(new LocalHub(), services.positions, services.eta, async () => (available ? liveLinkOf(r) : 'not_found'), {
        maxPerIp: 1,
        recheckMs: 50,
        invalidate: () => {},
      });
      await live.start();
      let out = '';
      let ended!: () => void;
      const closed = new Promise<void>((res) => (ended = res));
      await live.attach(live.admit(t.slug, '192.0.2.1'), liveLinkOf(r), { write: (c) => void (out += c), end: () => ended() });
      // Two re-checks of an available link change nothing.
      await new Promise((res) => setTimeout(res, 150));
      assert.doesNotMatch(out, /event: revoked/);
      available = false;
      const bound = new Promise<'open'>((res) => setTimeout(() => res('open'), 10_000).unref());
      assert.equal(await Promise.race([closed.then(() => 'closed' as const), bound]), 'closed', 'old code: no re-check while the bus is up, the stream stays open');
      await live.stop();
      assert.match(out, /event: revoked/);
      assert.equal(live.viewerCount, 0);
      assert.equal(live.refreshesUnderWay, 0, 'old code: one entry per slug ever refreshed');
    });

    it('re-checks every link at the outage period while the bus is down, from start on, and at the normal period once it is back', async () => {
      const t = await tracked(ctx());
      const { services } = ctx();
      const r = await services.publicLinks.resolve(t.slug);
      assert.equal(r.state, 'ok');
      if (r.state !== 'ok') return;
      const hub = new FlakyHub();
      let resolves = 0;
      const live = new LiveService(hub, services.positions, services.eta, async () => (resolves++, liveLinkOf(r)), {
        maxPerIp: 1,
        recheckMs: 600_000,
        outageCheckMs: 20,
        invalidate: () => {},
      });
      await live.start();
      try {
        let out = '';
        await live.attach(live.admit(t.slug, '192.0.2.1'), liveLinkOf(r), { write: (c) => void (out += c), end: () => {} });
        await until(() => resolves >= 2, 'old code: a bus down at boot never lost its connection, so nothing re-checked');
        // Back up: the resync refreshes every viewer once, then only the 600 s period applies.
        const before = resolves;
        hub.back();
        assert.equal(resolves, before + 1);
        await until(() => out.includes('event: changed'), 'the resync');
        await new Promise((res) => setTimeout(res, 150));
        assert.equal(resolves, before + 1, 'no outage-period checks once the bus is back');
        hub.lose();
        await until(() => resolves >= before + 3, 'checks at the outage period after a loss');
      } finally {
        await live.stop();
      }
    });

    it('starts no timer when stopped while its bus is still connecting (a signal during start-up)', async () => {
      const { services } = ctx();
      let connected!: () => void;
      const gate = new Promise<void>((res) => (connected = res));
      class SlowHub extends LocalHub {
        override async start(): Promise<void> {
          await gate;
        }
      }
      const live = new LiveService(new SlowHub(), services.positions, services.eta, async () => 'not_found', { maxPerIp: 1, invalidate: () => {} });
      const probe = new BusProbe(new SlowHub());
      const starting = live.start().then(() => probe.start());
      await live.stop();
      probe.stop();
      connected();
      await starting;
      assert.equal(live.heartbeating, false, 'old code: the heartbeat started after stop');
      assert.equal(probe.running, false, 'old code: the probe started pinging after stop');
    });

    it('reads no shipment for the windows when a resync re-resolves its viewers: they come with the link', async () => {
      const t = await tracked(ctx());
      const { services } = ctx();
      const hub = new FlakyHub();
      // Each resolve is a fresh load (as after a resync, which empties the caches): a new scope each time.
      const fresh = async () => {
        services.publicLinks.invalidateAll();
        const r = await services.publicLinks.resolve(t.slug);
        assert.equal(r.state, 'ok');
        return liveLinkOf(r as Extract<typeof r, { state: 'ok' }>);
      };
      let resolves = 0;
      const live = new LiveService(hub, services.positions, services.eta, async () => (resolves++, fresh()), { maxPerIp: 1, recheckMs: 600_000, outageCheckMs: 600_000, invalidate: () => {} });
      const read = services.positions.readVisibleWindows.bind(services.positions);
      let reads = 0;
      services.positions.readVisibleWindows = (scope) => (reads++, read(scope));
      await live.start();
      try {
        let out = '';
        await live.attach(live.admit(t.slug, '192.0.2.1'), await fresh(), { write: (c) => void (out += c), end: () => {} });
        hub.back();
        await until(() => out.includes('event: changed'), 'the resync');
        assert.equal(resolves, 1);
        assert.equal(reads, 0, 'old code: one read of the shipment per re-resolved link');
      } finally {
        services.positions.readVisibleWindows = read;
        await live.stop();
      }
    });
});
