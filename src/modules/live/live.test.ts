// The public live stream over real HTTP: only what the link shows, resume with Last-Event-ID,
// `revoked` on revocation, the per-IP cap and graceful closing, on both stores.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { iso, tracked, post, until } from '../../../test/helpers/live.js';
import { openSse } from '../../../test/helpers/sse.js';
import { LocalHub } from './hub.js';
import type { PublicLinkRepository } from '../links/public-link.repository.js';
import { liveLinkOf } from './live-link.js';
import { LiveService } from './live.service.js';

describeStores(
  'live stream',
  (ctx) => {
    let base = '';
    before(async () => {
      base = await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('pushes positions of shared layers as they are ingested, and never a hidden layer', async () => {
      const t = await tracked(ctx());
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      assert.equal(sse.status, 200);
      assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(sse.headers.get('x-robots-tag'), 'noindex, nofollow');
      assert.equal(sse.headers.get('referrer-policy'), 'no-referrer');
      await sse.waitFor((e) => e.event === 'status');
      const now = Date.now();
      await post(ctx(), t, t.tracker, now - 2000, 52.5);
      await post(ctx(), t, t.driver, now - 1000, 52.01);
      const pos = await sse.waitFor((e) => e.event === 'position');
      assert.equal(pos.data.layer, 'driver');
      assert.equal(pos.data.lat, 52.01);
      assert.equal(pos.id, String(now - 1000));
      assert.equal(pos.data.device_id, undefined);
      // An older (out-of-order) position does not move the marker back.
      await post(ctx(), t, t.driver, now - 5000, 51.0);
      await post(ctx(), t, t.driver, now, 52.02);
      await sse.waitFor((e) => e.event === 'position' && e.data.lat === 52.02);
      assert.ok(!sse.events.some((e) => e.event === 'position' && (e.data.layer === 'tracker' || e.data.lat === 51.0 || e.data.lat === 52.5)));
      sse.close();
    });

    it('never sends status or ETA events on a link that hides those sections', async () => {
      const t = await tracked(ctx(), ['driver'], { status: false, progress: false, eta: false });
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      try {
        assert.equal(sse.status, 200);
        // Attached once its first position arrives.
        await post(ctx(), t, t.driver, Date.now() - 1000, 52.02);
        await sse.waitFor((e) => e.event === 'position' && e.data.lat === 52.02, 10_000);
        // Status and ETA change, both hidden here: once its refresh has run, a position posted
        // after it arrives after anything the change sent, which must be nothing at all (not even
        // `changed`: the page would fetch the same again, and its timing tells of a hidden change).
        assert.equal((await t.org.api.patch(`/api/v1/shipments/${t.shipmentId}`, { status: 'exception', eta: iso(Date.now() + 7200_000) })).status, 200);
        await until(() => ctx().services.live.refreshesUnderWay === 0, 'the refresh of the change');
        await post(ctx(), t, t.driver, Date.now(), 52.03);
        await sse.waitFor((e) => e.event === 'position' && e.data.lat === 52.03, 10_000);
        assert.deepEqual(sse.events.filter((e) => e.event === 'status' || e.event === 'eta' || e.event === 'changed'), []);
      } finally {
        sse.close(); // a failed assertion must not leave the stream holding the server open
      }
    });

    it('replays what was missed after Last-Event-ID on reconnect', async () => {
      const t = await tracked(ctx());
      const now = Date.now();
      for (let i = 0; i < 5; i++) await post(ctx(), t, t.driver, now - 50_000 + i * 10_000, 52 + i / 100);
      const sse = await openSse(`${base}/t/${t.slug}/events`, { 'last-event-id': String(now - 30_000) });
      await sse.waitFor((e) => e.event === 'position' && e.id === String(now - 10_000));
      const ids = sse.events.filter((e) => e.event === 'position').map((e) => Number(e.id));
      assert.deepEqual(ids, [now - 20_000, now - 10_000]);
      sse.close();
    });

    it('replays each missed position once when two attachments of the device overlap (cross-window de-duplication)', async () => {
      const t = await tracked(ctx());
      // The same phone attached twice over the same time (a second source row, as an import may
      // make): two windows of one device and layer that both hold every position.
      const db = ctx().store.db;
      const src = await db.selectFrom('sources').selectAll().where('shipment_id', '=', t.shipmentId).where('device_id', '=', t.driver).executeTakeFirstOrThrow();
      await db.insertInto('sources').values({ ...src, id: randomUUID() }).execute();
      // 300 positions: read twice they are 600, more than the 500 a replay sends per layer, so
      // duplicates would crowd out the oldest ones before the stream could drop them.
      const now = Date.now();
      const at = Array.from({ length: 300 }, (_, i) => now - 400_000 + i * 1000);
      const r = await ctx().services.positions.ingestBatch({ kind: 'org', orgId: t.org.org_id }, at.map((ms, i) => ({ device_id: t.driver, recorded_at: iso(ms), lat: 52 + i / 10_000, lon: 5.0 })));
      assert.equal(r.accepted, at.length);
      const sse = await openSse(`${base}/t/${t.slug}/events`, { 'last-event-id': String(now - 500_000) });
      try {
        await sse.waitFor((e) => e.event === 'position' && e.id === String(at.at(-1)));
        const ids = sse.events.filter((e) => e.event === 'position').map((e) => Number(e.id));
        assert.deepEqual(ids, at, 'every missed position once, oldest first');
      } finally {
        sse.close();
      }
    });

    it('sends revoked and closes the stream when the link is revoked', async () => {
      const t = await tracked(ctx());
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      await sse.waitFor((e) => e.event === 'status');
      const r = await t.org.api.post(`/api/v1/links/${t.linkId}/revoke`, {});
      assert.ok(r.status < 300, r.text);
      await sse.waitFor((e) => e.event === 'revoked');
      await sse.ended;
      const again = await fetch(`${base}/t/${t.slug}/events`);
      assert.equal(again.status, 404);
      await again.body?.cancel();
    });

    it('never keeps a stream open on a link revoked while the stream\'s first load of it was under way', async () => {
      const t = await tracked(ctx());
      // The resolver's own repository (private to it): the revocation commits, and is announced,
      // after the load read the link but before the stream attached with what it read.
      const repo = (ctx().services.publicLinks as unknown as { publicRepo: PublicLinkRepository }).publicRepo;
      const original = repo.loadBySlugs.bind(repo);
      let revoked = false;
      repo.loadBySlugs = async (slugs: readonly string[]) => {
        const loaded = await original(slugs);
        if (!revoked) {
          revoked = true;
          assert.equal((await t.org.api.post(`/api/v1/links/${t.linkId}/revoke`, {})).status, 200);
        }
        return loaded;
      };
      try {
        const sse = await openSse(`${base}/t/${t.slug}/events`);
        assert.ok(revoked);
        if (sse.status === 200) {
          await post(ctx(), t, t.driver, Date.now(), 52.3);
          // Old code: the stream stayed open, the position above reached it, and no revoked came.
          await sse.waitFor((e) => e.event === 'revoked' || e.event === 'position');
          assert.deepEqual(sse.events.filter((e) => e.event === 'position'), []);
          await sse.ended;
        } else assert.equal(sse.status, 404);
      } finally {
        repo.loadBySlugs = original;
      }
    });

    it('sends revoked when the shipment is deleted', async () => {
      const t = await tracked(ctx());
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      await sse.waitFor((e) => e.event === 'status');
      assert.equal((await t.org.api.delete(`/api/v1/shipments/${t.shipmentId}`)).status, 204);
      await sse.waitFor((e) => e.event === 'revoked');
      await sse.ended;
    });

    it('sends revoked when the org is billing-locked and 410 for an expired link', async () => {
      const t = await tracked(ctx());
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      await sse.waitFor((e) => e.event === 'status');
      await ctx().services.orgs.update(t.org.actor, { billing_state: 'locked' });
      await sse.waitFor((e) => e.event === 'revoked');
      await sse.ended;

      const u = await tracked(ctx());
      await ctx().store.db.updateTable('tracking_links').set({ expires_at: Date.now() - 1000 }).where('id', '=', u.linkId).execute();
      ctx().services.publicLinks.invalidateLink(u.linkId);
      const expired = await fetch(`${base}/t/${u.slug}/events`);
      assert.equal(expired.status, 410);
      await expired.body?.cancel();
    });

    it('refuses streams beyond the per-IP cap and frees the slot when one closes', async () => {
      const t = await tracked(ctx());
      const open = [];
      for (let i = 0; i < 2; i++) {
        const s = await openSse(`${base}/t/${t.slug}/events`);
        await s.waitFor((e) => e.event === 'status');
        open.push(s);
      }
      const third = await fetch(`${base}/t/${t.slug}/events`);
      assert.equal(third.status, 429);
      await third.body?.cancel();
      open[0].close();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const s = await openSse(`${base}/t/${t.slug}/events`);
        status = s.status;
        s.close();
      }
      assert.equal(status, 200);
      open[1].close();
    });

    it('sends heartbeat comments to idle streams', async () => {
      const t = await tracked(ctx());
      const { services } = ctx();
      const r = await services.publicLinks.resolve(t.slug);
      assert.equal(r.state, 'ok');
      if (r.state !== 'ok') return;
      const live = new LiveService(new LocalHub(), services.positions, services.eta, async () => 'not_found', { maxPerIp: 1, heartbeatMs: 20, invalidate: () => {} });
      await live.start();
      let out = '';
      let beats = 0;
      let twoBeats!: () => void;
      const gotTwo = new Promise<void>((res) => (twoBeats = res));
      const v = live.admit(t.slug, '192.0.2.1');
      await live.attach(v, liveLinkOf(r), {
        write: (c) => {
          out += c;
          if (c.startsWith(': hb') && ++beats === 2) twoBeats();
        },
        end: () => {},
      });
      // Waits for the beats instead of a fixed time: a loaded machine delays timers, not the rule.
      await gotTwo;
      await live.stop();
      assert.ok((out.match(/^: hb$/gm) ?? []).length >= 2, out);
      assert.match(out, /^retry: 3000$/m);
    });

    it('replays what a resuming viewer missed, oldest first, also when a live fix comes while the replay is read', async () => {
      const t = await tracked(ctx());
      const { services } = ctx();
      const now = Date.now();
      for (let i = 0; i < 3; i++) await post(ctx(), t, t.driver, now - 30_000 + i * 10_000, 52 + i / 100);
      const r = await services.publicLinks.resolve(t.slug);
      assert.equal(r.state, 'ok');
      if (r.state !== 'ok') return;
      const hub = new LocalHub();
      // The replay's read is slow: a newer fix is announced while it runs (as a loaded PostgreSQL
      // delivers the NOTIFY of positions stored just before the viewer reconnected).
      const positions: typeof services.positions = Object.create(services.positions);
      positions.since = async (...args) => {
        const rows = await services.positions.since(...args);
        await hub.publish({ type: 'pos', orgId: t.org.org_id, deviceId: t.driver, position: [now, 52.5, 5.0, null, null, null] });
        return rows;
      };
      const live = new LiveService(hub, positions, services.eta, async () => liveLinkOf(r), { maxPerIp: 1, invalidate: () => {} });
      await live.start();
      let out = '';
      await live.attach(live.admit(t.slug, '192.0.2.1'), liveLinkOf(r), { write: (c) => void (out += c), end: () => {} }, String(now - 40_000));
      await live.stop();
      const ids = [...out.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      assert.deepEqual(ids, [now - 30_000, now - 20_000, now - 10_000, now], 'old code: the live fix went first and the older replay was dropped');
    });

    it('gives the viewers of one resolved link one shared LiveLink, not a copy each', async () => {
      const t = await tracked(ctx());
      const r = await ctx().services.publicLinks.resolve(t.slug);
      assert.equal(r.state, 'ok');
      if (r.state !== 'ok') return;
      // 10,000 idle viewers of one delivery hold one LiveLink (memory per viewer, issue 19).
      assert.equal(liveLinkOf(r), liveLinkOf(r));
      assert.ok(Object.isFrozen(liveLinkOf(r)));
      assert.equal(liveLinkOf(r).linkId, t.linkId);
    });

    it('tells a viewer nothing of a change its link hides (no changed, no eta), and announces one it shows', async () => {
      const t = await tracked(ctx(), ['driver'], { customer_notes: true, eta: true });
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      try {
        await sse.waitFor((e) => e.event === 'status');
        const count = (type: string) => sse.events.filter((e) => e.event === type).length;
        const before = { changed: count('changed'), eta: count('eta') };
        const settled = () => until(() => ctx().services.live.refreshesUnderWay === 0, 'the refresh of the change');
        // Hidden from this link: an internal note and a field it does not share.
        assert.equal((await t.org.api.post(`/api/v1/shipments/${t.shipmentId}/notes`, { scope: 'internal', body: 'margin talk' })).status, 201);
        await settled();
        assert.equal((await t.org.api.patch(`/api/v1/shipments/${t.shipmentId}`, { custom_fields: [{ key: 'margin', value: '12%', shareable: false }] })).status, 200);
        await settled();
        // Shown: a customer note.
        assert.equal((await t.org.api.post(`/api/v1/shipments/${t.shipmentId}/notes`, { scope: 'customer', body: 'Ring twice' })).status, 201);
        await sse.waitFor((e) => e.event === 'changed' && count('changed') > before.changed);
        await settled();
        assert.equal(count('changed'), before.changed + 1, 'old code: one changed per change, hidden ones too');
        assert.equal(count('eta'), before.eta + 1, 'old code: the ETA sent again for each hidden change');
      } finally {
        sse.close();
      }
    });

    it('ends every stream on closeAll so viewers reconnect elsewhere', async () => {
      const t = await tracked(ctx());
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      await sse.waitFor((e) => e.event === 'status');
      assert.ok(ctx().services.live.viewerCount >= 1);
      ctx().services.live.closeAll();
      await sse.ended;
      assert.equal(ctx().services.live.viewerCount, 0);
    });
  },
  { SSE_MAX_PER_IP: '2' },
);
