// The public resolution cache: changes made by another process (straight in the store, no
// event on this one) are seen within seconds; a revoked link is never served after that.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody, PDF, PNG } from '../../../test/helpers/fixtures.js';
import type { PublicLinkRepository } from './public-link.repository.js';

import { RECHECK_MS } from './public-link-resolver.js';

/** The resolver's clock: real time plus what a test has passed, so re-checks come without waiting. */
let passedMs = 0;
const clock = () => Date.now() + passedMs;
/** Moves the resolver's clock past the re-check interval of every cached link. */
const passRecheckInterval = () => {
  passedMs += RECHECK_MS + 1;
};

await describeStores('public link cache', (ctx) => {
  async function linkOf() {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
    return { org, s, link, path: new URL(link.url).pathname };
  }

  /** A link of an org that then turned sharing off. */
  async function linkLocked() {
    const l = await linkOf();
    assert.equal((await l.org.api.patch('/api/v1/org', { sharing_enabled: false })).status, 200);
    await busSettled();
    return l;
  }

  /** On PostgreSQL the creations come back through NOTIFY and drop cached links: let them arrive first. */
  async function busSettled() {
    await new Promise<void>((resolve) => {
      const probe = `test-${Math.random()}`;
      ctx().services.bus.subscribe((m) => m.type === 'ping' && m.instance === probe && resolve());
      void ctx().services.bus.publish({ type: 'ping', instance: probe, sentAt: 0 });
    });
  }

  /** An order on its way: picked up an hour ago, one leg to the delivery. */
  async function orderInTransit(org: Awaited<ReturnType<ReturnType<typeof ctx>['newOrg']>>) {
    const created = await org.api.post('/api/v1/shipments', {
      kind: 'order',
      reference: `CACHE-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      status: 'in_transit',
      stops: [
        { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: new Date(Date.now() - 3600_000).toISOString() },
        { type: 'delivery', lat: 52.1, lon: 5.1 },
      ],
      segments: [{ name: 'Main', from_stop: 0, to_stop: 1 }],
    });
    assert.equal(created.status, 201, created.text);
    return created.body as { id: string };
  }

  it('stops serving a link revoked by another process once the cached copy is re-checked', async () => {
    const { link, path } = await linkOf();
    assert.equal((await ctx().anon.get(path)).status, 200);
    assert.equal((await ctx().anon.get(`${path}/data`)).status, 200);
    await ctx().store.db.updateTable('tracking_links').set({ state: 'revoked', revoked_at: Date.now(), updated_at: Date.now() }).where('id', '=', link.id).execute();
    passRecheckInterval();
    assert.equal((await ctx().anon.get(path)).status, 404);
    assert.equal((await ctx().anon.get(`${path}/data`)).status, 404);
  });

  it('shows a shipment changed by another process after the re-check, and keeps serving an unchanged one', async () => {
    const { s, path } = await linkOf();
    const first = await ctx().anon.get(`${path}/data`);
    assert.equal(first.status, 200);
    passRecheckInterval();
    const same = await ctx().anon.get(`${path}/data`);
    assert.equal(same.status, 200);
    assert.equal(same.body.title, first.body.title);
    await ctx().store.db.updateTable('shipments').set({ title: 'Changed elsewhere', updated_at: Date.now() + 1 }).where('id', '=', s.id).execute();
    passRecheckInterval();
    const changed = await ctx().anon.get(`${path}/data`);
    assert.equal(changed.body.title, 'Changed elsewhere');
    assert.match((await ctx().anon.get(path)).text, /Changed elsewhere/);
  });

  it('shows a device attached to the shipment at once on /data, and nothing it reports once detached', async () => {
    const org = await ctx().newOrg();
    const s = await orderInTransit(org);
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
    const path = new URL(link.url).pathname;
    const patched = await org.api.patch(`/api/v1/links/${link.id}`, { options: { layers: ['tracker'], map: true } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual((await ctx().anon.get(`${path}/data`)).body.positions, []);
    const device = (await org.api.post('/api/v1/devices', { name: 'Tracker' })).body.id as string;
    const source = await org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    assert.equal(source.status, 201, source.text);
    const posted = await org.api.post('/api/v1/positions', { positions: [{ device_id: device, recorded_at: new Date().toISOString(), lat: 52.1, lon: 5.1 }] });
    assert.equal(posted.body.accepted, 1);
    const shown = (await ctx().anon.get(`${path}/data`)).body.positions;
    assert.deepEqual(shown.map((p: { layer: string; lat: number }) => [p.layer, p.lat]), [['tracker', 52.1]]);
    assert.equal((await org.api.delete(`/api/v1/shipments/${s.id}/sources/${source.body.id}`)).status, 204);
    // Detached: what it reported while attached stays, nothing it reports later shows.
    const later = new Date(Date.now() + 1000).toISOString();
    assert.equal((await org.api.post('/api/v1/positions', { positions: [{ device_id: device, recorded_at: later, lat: 52.2, lon: 5.2 }] })).body.accepted, 1);
    assert.deepEqual((await ctx().anon.get(`${path}/data`)).body.positions.map((p: { lat: number }) => p.lat), [52.1]);
  });

  it('stops showing what a device reports once another process detached it, at the cached copy\'s re-check', async () => {
    const org = await ctx().newOrg();
    const s = await orderInTransit(org);
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { layers: ['tracker'], map: true } })).body;
    const path = new URL(link.url).pathname;
    const device = (await org.api.post('/api/v1/devices', { name: 'Tracker' })).body.id as string;
    const source = await org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    assert.equal(source.status, 201, source.text);
    await busSettled();
    const post = async (at: number, lat: number) =>
      assert.equal((await org.api.post('/api/v1/positions', { positions: [{ device_id: device, recorded_at: new Date(at).toISOString(), lat, lon: 5 }] })).body.accepted, 1);
    const lats = async () => ((await ctx().anon.get(`${path}/data`)).body.positions as { lat: number }[]).map((p) => p.lat);
    await post(Date.now() - 60_000, 52.1);
    assert.deepEqual(await lats(), [52.1], 'attached: shown, and the link is cached now');
    // Another instance detaches the device (its bus message lost): only the store knows.
    await ctx().store.db.updateTable('sources').set({ detached_at: Date.now() - 30_000 }).where('id', '=', source.body.id).execute();
    await post(Date.now(), 52.2);
    passRecheckInterval();
    assert.deepEqual(await lats(), [52.1], 'a position after the detachment is not public (old code: the re-check confirmed the copy, 52.2 shown)');
  });

  it('answers /data from cached current positions, yet shows each newer position at once and ignores an older one', async () => {
    const org = await ctx().newOrg();
    const s = await orderInTransit(org);
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { layers: ['tracker'], map: true } })).body;
    const path = new URL(link.url).pathname;
    const device = (await org.api.post('/api/v1/devices', { name: 'Tracker' })).body.id as string;
    assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() })).status, 201);
    const lats = async () => ((await ctx().anon.get(`${path}/data`)).body.positions as { lat: number }[]).map((p) => p.lat);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const post = async (minutesAgo: number, lat: number) =>
      assert.equal((await org.api.post('/api/v1/positions', { positions: [{ device_id: device, recorded_at: at(minutesAgo), lat, lon: 5 }] })).body.accepted, 1);

    await post(30, 52.01);
    assert.deepEqual(await lats(), [52.01]);
    assert.deepEqual(await lats(), [52.01], 'a second read (from the cache) answers the same');
    await post(20, 52.02);
    assert.deepEqual(await lats(), [52.02], 'a newer position replaces the cached one at once');
    await post(40, 52.0);
    assert.deepEqual(await lats(), [52.02], 'an older position arriving late is not the current one');
    // The JSON is byte-identical to what a fresh read makes.
    const a = await ctx().anon.get(`${path}/data`);
    const b = await ctx().anon.get(`${path}/data`);
    assert.equal(a.text, b.text);
    assert.deepEqual(JSON.parse(a.text).positions, b.body.positions);
  });

  it('loads a link once for a crowd of requests arriving together, and not for one after a revocation', async () => {
    const { org, link, path } = await linkOf();
    // The service's own repository (private to it), to count the reads it makes.
    const repo = (ctx().services.publicLinks as unknown as { publicRepo: PublicLinkRepository }).publicRepo;
    const original = repo.loadBySlugs.bind(repo);
    let loads = 0;
    repo.loadBySlugs = (slugs: readonly string[]) => {
      loads += slugs.length;
      return original(slugs);
    };
    try {
      const crowd = await Promise.all(Array.from({ length: 20 }, () => ctx().anon.get(`${path}/data`)));
      assert.deepEqual([...new Set(crowd.map((r) => r.status))], [200]);
      assert.equal(loads, 1, 'twenty simultaneous first requests made one load');
      assert.equal((await org.api.post(`/api/v1/links/${link.id}/revoke`, {})).status, 200);
      const after = await Promise.all(Array.from({ length: 5 }, () => ctx().anon.get(`${path}/data`)));
      assert.deepEqual([...new Set(after.map((r) => r.status))], [404]);
    } finally {
      repo.loadBySlugs = original;
    }
  });

  it('confirms a cached link on its re-check while another link changes, without reloading it', async () => {
    const a = await linkOf();
    const b = await linkOf();
    await busSettled();
    const resolver = ctx().services.publicLinks;
    assert.equal((await ctx().anon.get(a.path)).status, 200);
    assert.equal((await ctx().anon.get(b.path)).status, 200);
    passRecheckInterval();
    const loads = resolver.cacheStats.loads;
    // The re-check of a is under way (its version read waits for the turn's batch) when b changes.
    const pending = resolver.resolve(a.path.split('/')[2]);
    resolver.invalidateLink(b.link.id);
    assert.equal((await pending).state, 'ok');
    assert.equal(resolver.cacheStats.loads, loads, 'a stays cached (old code: any invalidation failed every re-check in flight)');
    // A change of a itself during its re-check still drops the copy: the next answer is loaded afresh.
    passRecheckInterval();
    const again = resolver.resolve(a.path.split('/')[2]);
    resolver.invalidateShipment(a.s.id);
    assert.equal((await again).state, 'ok');
    assert.equal(resolver.cacheStats.loads, loads + 1);
  });

  it('keeps a link cached past the cache lifetime while its re-checks confirm it, and still drops it on a change', async () => {
    const a = await linkOf();
    await busSettled();
    const resolver = ctx().services.publicLinks;
    const slug = a.path.split('/')[2];
    assert.equal((await resolver.resolve(slug)).state, 'ok');
    const loads = resolver.cacheStats.loads;
    // 31 re-checks, each confirmed, over 62 s: longer than the 60 s the copy lives without one.
    for (let i = 0; i < 31; i++) {
      passRecheckInterval();
      assert.equal((await resolver.resolve(slug)).state, 'ok');
    }
    assert.equal(resolver.cacheStats.loads, loads, 'no reload (old code: reloaded once the copy was 60 s old)');
    await ctx().store.db.updateTable('shipments').set({ title: 'Changed elsewhere', updated_at: Date.now() + 1 }).where('id', '=', a.s.id).execute();
    passRecheckInterval();
    const changed = await resolver.resolve(slug);
    assert.equal(changed.state === 'ok' && changed.shipment.title, 'Changed elsewhere');
    assert.equal(resolver.cacheStats.loads, loads + 1);
  });

  it('reads an unavailable link from the store on every request, as it does an unknown or revoked one', async () => {
    // A copy kept of a link whose org turned sharing off answered its 404 from memory, about ten
    // times faster than the 404 of an unknown or revoked slug (which is read every time): anyone
    // holding a link could tell "the org is locked or stopped sharing" from "revoked".
    const { org, path } = await linkLocked();
    const resolver = ctx().services.publicLinks;
    const loads = resolver.cacheStats.loads;
    for (let i = 0; i < 3; i++) assert.equal((await ctx().anon.get(`${path}/data`)).status, 404);
    assert.equal(resolver.cacheStats.loads, loads + 3, 'one load per request (old code: one load, then the kept copy)');
    const revoked = await linkOf();
    assert.equal((await revoked.org.api.post(`/api/v1/links/${revoked.link.id}/revoke`, {})).status, 200);
    const before = resolver.cacheStats.loads;
    for (let i = 0; i < 3; i++) assert.equal((await ctx().anon.get(`${revoked.path}/data`)).status, 404);
    assert.equal(resolver.cacheStats.loads, before + 3);
    // Sharing on again: shown at once.
    assert.equal((await org.api.patch('/api/v1/org', { sharing_enabled: true })).status, 200);
    assert.equal((await ctx().anon.get(`${path}/data`)).status, 200);
  });

  it('answers a photo or proof of delivery removed by another process with the link\'s one 404 until the re-check', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const photo = (await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png')).body;
    await org.api.send('PUT', `/api/v1/shipments/${s.id}/proof-of-delivery`, PDF, 'application/pdf');
    const path = new URL((await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { photo_ids: [photo.id] } })).body.url).pathname;
    await busSettled();
    assert.equal((await ctx().anon.get(`${path}/photos/${photo.id}`)).status, 200, 'shown, and the link cached');
    assert.equal((await ctx().anon.get(`${path}/pod.pdf`)).status, 200);
    // Gone from the store, the cached copy not re-checked yet: it still lists both.
    await ctx().store.db.deleteFrom('photos').where('id', '=', photo.id).execute();
    await ctx().store.db.updateTable('shipments').set({ pod_file: null }).where('id', '=', s.id).execute();
    const unknown = await ctx().anon.get(`/t/${'A'.repeat(24)}/data`);
    for (const url of [`${path}/photos/${photo.id}`, `${path}/pod.pdf`]) {
      const r = await ctx().anon.get(url);
      assert.equal(r.status, 404);
      assert.equal(r.text, unknown.text, 'the one 404 (old code: "Photo not found", "Proof of delivery not found")');
    }
  });

  it('revokes through the API at once, with no wait', async () => {
    const { org, link, path } = await linkOf();
    assert.equal((await ctx().anon.get(path)).status, 200);
    assert.equal((await org.api.post(`/api/v1/links/${link.id}/revoke`, {})).status, 200);
    assert.equal((await ctx().anon.get(path)).status, 404);
  });

  it('forgets a revoked link on its own path, without the live hub echoing the change back', async () => {
    const { org, link, path } = await linkOf();
    assert.equal((await ctx().anon.get(path)).status, 200, 'cached now');
    // Silence the service's change events for this one call: the hub's echo (which also
    // invalidates) never comes, so only revoke()'s own invalidation can stop the cached copy.
    const links = ctx().services.links as unknown as { emit: (...a: unknown[]) => void };
    const emit = links.emit;
    links.emit = () => {};
    try {
      assert.equal((await org.api.post(`/api/v1/links/${link.id}/revoke`, {})).status, 200);
    } finally {
      links.emit = emit;
    }
    assert.equal((await ctx().anon.get(path)).status, 404);
  });
}, {}, { services: { publicLinkClock: clock } });
