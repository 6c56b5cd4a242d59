// Attachment windows (issue 15 §1): a shipment shows a device's positions only while that device
// carried it, and never after delivery. Every public output of a link — the page, /data,
// /history and the live stream's Last-Event-ID replay — on both stores.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeStores, type TestContext, type TestOrg } from '../../../test/helpers/context.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';
import { openSse } from '../../../test/helpers/sse.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

/** A latitude whose decimals appear nowhere else, so a text search finds it in any output. */
let serial = 0;
const marked = () => Number(`52.${String(1_000_000 + (++serial % 1_000_000)).slice(1)}73`);

async function post(org: TestOrg, device: string, at: number, lat: number) {
  const r = await org.api.post('/api/v1/positions', { positions: [{ device_id: device, recorded_at: iso(at), lat, lon: 5.1 }] });
  assert.equal(r.body.accepted, 1, r.text);
}

/** The shipment's active link, if any (a shipment has one at a time). */
const activeLinks = new Map<string, string>();

/** A fresh link with these options (the previous one revoked); layers default to the device's own. */
async function link(org: TestOrg, shipmentId: string, options: Record<string, unknown> = {}) {
  const previous = activeLinks.get(shipmentId);
  if (previous) assert.ok((await org.api.post(`/api/v1/links/${previous}/revoke`, {})).status < 300);
  const l = await org.api.post(`/api/v1/shipments/${shipmentId}/links`, {
    options: { map: true, history: true, status: true, driver_position: 'always', layers: ['driver', 'tracker'], ...options },
  });
  assert.equal(l.status, 201, l.text);
  activeLinks.set(shipmentId, l.body.id as string);
  return `/t/${l.body.slug as string}`;
}

async function attach(org: TestOrg, shipmentId: string, device: string, layer: string, from?: number) {
  const r = await org.api.post(`/api/v1/shipments/${shipmentId}/sources`, { device_id: device, layer, ...(from !== undefined ? { from: iso(from) } : {}) });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string; from: string; until: string | null };
}

async function shipment(org: TestOrg, body: Record<string, unknown>) {
  const s = await org.api.post('/api/v1/shipments', { kind: 'order', reference: uniqueRef('WIN'), ...body });
  assert.equal(s.status, 201, s.text);
  return s.body.id as string;
}

/** The latitudes each output of a link shows: page HTML, /data, /history, and the SSE replay from the start. */
async function outputs(ctx: TestContext, base: string, path: string) {
  const page = (await ctx.anon.get(path)).text;
  const data = (await ctx.anon.get(`${path}/data`)).body as { positions: { layer: string; lat: number }[] };
  const history = (await ctx.anon.get(`${path}/history`)).body as { layers: { layer: string; points: [number, number, number][] }[] };
  const sse = await openSse(`${base}${path}/events`, { 'last-event-id': '0' });
  // The replay goes out before the status event.
  await sse.waitFor((e) => e.event === 'status');
  sse.close();
  return {
    page,
    data: data.positions.map((p) => `${p.layer}:${p.lat}`),
    history: history.layers.flatMap((l) => l.points.map((p) => `${l.layer}:${p[1]}`)),
    replay: sse.events.filter((e) => e.event === 'position').map((e) => `${e.data.layer as string}:${e.data.lat as number}`),
  };
}

describeStores('attachment windows', (ctx) => {
  let base = '';
  before(async () => {
    base = await ctx().app.listen({ port: 0, host: '127.0.0.1' });
  });

  it('shows nothing of a reused device’s earlier, delivered trip on the next shipment, and nothing after delivery on the first', async () => {
    const org = await ctx().newOrg();
    const phone = (await org.api.post('/api/v1/devices', { name: 'Truck phone' })).body.id as string;
    const now = Date.now();
    // The first customer's shipment: attached 60 min ago, delivered 20 min ago.
    const first = await shipment(org, { status: 'in_transit' });
    await attach(org, first, phone, 'driver', now - 60 * MIN);
    const trip = [marked(), marked(), marked()];
    await post(org, phone, now - 50 * MIN, trip[0]);
    await post(org, phone, now - 40 * MIN, trip[1]);
    await post(org, phone, now - 30 * MIN, trip[2]);
    const delivered = await org.api.post(`/api/v1/shipments/${first}/events`, { type: 'status_changed', status: 'delivered', occurred_at: iso(now - 20 * MIN) });
    assert.equal(delivered.status, 200, delivered.text);
    const afterDelivery = marked();
    await post(org, phone, now - 10 * MIN, afterDelivery);

    // The next shipment, created now with no stops, gets the same phone.
    const next = await shipment(org, { status: 'in_transit' });
    const source = await attach(org, next, phone, 'driver');
    assert.ok(Math.abs(Date.parse(source.from) - Date.now()) < MIN, 'from defaults to the moment it is attached');
    assert.equal(source.until, null);
    const nextPath = await link(org, next);
    const empty = await outputs(ctx(), base, nextPath);
    for (const lat of [...trip, afterDelivery]) {
      assert.ok(!empty.page.includes(String(lat)), `the earlier trip (${lat}) is not on the new shipment's page`);
    }
    assert.deepEqual([empty.data, empty.history, empty.replay], [[], [], []]);

    const fresh = marked();
    await post(org, phone, Date.now() + 1000, fresh);
    const shown = await outputs(ctx(), base, nextPath);
    assert.deepEqual(shown.data, [`driver:${fresh}`]);
    assert.deepEqual(shown.history, [`driver:${fresh}`]);
    assert.deepEqual(shown.replay, [`driver:${fresh}`]);

    // The delivered shipment keeps its trip up to delivery, the last position before it as current.
    const firstOut = await outputs(ctx(), base, await link(org, first));
    assert.deepEqual(firstOut.data, [`driver:${trip[2]}`]);
    assert.deepEqual(firstOut.history, trip.map((l) => `driver:${l}`));
    assert.deepEqual(firstOut.replay, trip.map((l) => `driver:${l}`));
    assert.ok(!firstOut.page.includes(String(afterDelivery)) && !firstOut.page.includes(String(fresh)));
  });

  it('keeps a detached source listed with its until, and shows nothing the device reports after detachment', async () => {
    const org = await ctx().newOrg();
    const tracker = (await org.api.post('/api/v1/devices', { name: 'Tracker' })).body.id as string;
    const s = await shipment(org, { status: 'in_transit' });
    const now = Date.now();
    const src = await attach(org, s, tracker, 'tracker', now - 30 * MIN);
    const before = marked();
    await post(org, tracker, now - 20 * MIN, before);
    assert.equal((await org.api.delete(`/api/v1/shipments/${s}/sources/${src.id}`)).status, 204);
    const listed = (await org.api.get(`/api/v1/shipments/${s}/sources`)).body.items as { id: string; from: string; until: string | null }[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0].from, iso(now - 30 * MIN));
    assert.ok(listed[0].until !== null, 'detached, still listed');
    const detachedAt = Date.parse(listed[0].until);
    const after = marked();
    await post(org, tracker, detachedAt + 1, after);
    const out = await outputs(ctx(), base, await link(org, s));
    assert.deepEqual(out.data, [`tracker:${before}`]);
    assert.deepEqual(out.history, [`tracker:${before}`]);
    assert.deepEqual(out.replay, [`tracker:${before}`]);
    assert.ok(!out.page.includes(String(after)));
    // Attaching again opens a new window (from now on, so after the position above).
    while (Date.now() <= detachedAt + 1) await new Promise((r) => setImmediate(r));
    const again = await attach(org, s, tracker, 'tracker');
    assert.notEqual(again.id, src.id);
    const later = marked();
    await post(org, tracker, Date.now() + 2000, later);
    const reattached = await outputs(ctx(), base, await link(org, s));
    assert.deepEqual(reattached.history, [`tracker:${before}`, `tracker:${later}`]);
    assert.ok(!reattached.page.includes(String(after)));
  });

  it('refuses a position dated hours ahead, which would show on the next shipment the device is handed to', async () => {
    const org = await ctx().newOrg();
    const phone = (await org.api.post('/api/v1/devices', { name: 'Phone, clock 2 h fast' })).body.id as string;
    const first = await shipment(org, { status: 'in_transit' });
    const src = await attach(org, first, phone, 'driver', Date.now() - 30 * MIN);
    // Sent while carrying the first shipment, by a clock two hours fast.
    const ahead = marked();
    const r = await org.api.post('/api/v1/positions', { positions: [{ device_id: phone, recorded_at: iso(Date.now() + 120 * MIN), lat: ahead, lon: 5.1 }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, 0, 'old code: accepted, up to a day ahead');
    // Handed over: detached from the first, attached to the next from now on.
    assert.equal((await org.api.delete(`/api/v1/shipments/${first}/sources/${src.id}`)).status, 204);
    const next = await shipment(org, { status: 'in_transit' });
    await attach(org, next, phone, 'driver');
    const out = await outputs(ctx(), base, await link(org, next));
    assert.deepEqual([out.data, out.history, out.replay], [[], [], []], 'the first shipment\'s position is not on the next one');
    assert.ok(!out.page.includes(String(ahead)));
  });

  it('refuses a from in the future, and accepts one in the past', async () => {
    const org = await ctx().newOrg();
    const d = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
    const s = await shipment(org, { status: 'planned' });
    const future = await org.api.post(`/api/v1/shipments/${s}/sources`, { device_id: d, layer: 'driver', from: iso(Date.now() + 3600_000) });
    assert.equal(future.status, 400, future.text);
    assert.equal(future.body.error.details[0].path, 'body/from');
    const garbage = await org.api.post(`/api/v1/shipments/${s}/sources`, { device_id: d, layer: 'driver', from: 'yesterday' });
    assert.equal(garbage.status, 400, garbage.text);
    assert.equal((await org.api.get(`/api/v1/shipments/${s}/sources`)).body.items.length, 0, 'nothing half-written');
    const past = await attach(org, s, d, 'driver', Date.parse('2026-01-02T03:04:05.000Z'));
    assert.equal(past.from, '2026-01-02T03:04:05.000Z');
  });

  it('hides the cargo layer inferred from the driver’s phone when the driver gate says never, and shows only the leg to delivery when en route', async () => {
    const org = await ctx().newOrg();
    const phone = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
    const now = Date.now();
    const s = await shipment(org, {
      status: 'in_transit',
      stops: [
        { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(now - 50 * MIN) },
        { type: 'waypoint', lat: 52.0, lon: 4.7, arrived_at: iso(now - 30 * MIN), departed_at: iso(now - 25 * MIN) },
        { type: 'delivery', lat: 52.1, lon: 5.1 },
      ],
    });
    await attach(org, s, phone, 'driver', now - 60 * MIN);
    const firstLeg = marked();
    const lastLeg = marked();
    await post(org, phone, now - 40 * MIN, firstLeg);
    await post(org, phone, now - 10 * MIN, lastLeg);
    const never = await outputs(ctx(), base, await link(org, s, { layers: ['driver', 'cargo'], driver_position: 'never' }));
    assert.deepEqual([never.data, never.history, never.replay], [[], [], []]);
    assert.ok(!never.page.includes(String(firstLeg)) && !never.page.includes(String(lastLeg)));
    const enRoute = await outputs(ctx(), base, await link(org, s, { layers: ['cargo'], driver_position: 'en_route_to_delivery' }));
    assert.deepEqual(enRoute.history, [`cargo:${lastLeg}`], 'the earlier leg is not shown as cargo');
    const always = await outputs(ctx(), base, await link(org, s, { layers: ['cargo'], driver_position: 'always' }));
    assert.deepEqual(always.history, [`cargo:${firstLeg}`, `cargo:${lastLeg}`]);
  });

  it('shows a tracker session’s tracker as soon as it is attached and reports, with no stop events', async () => {
    const org = await ctx().newOrg();
    for (const stops of [[], [{ type: 'pickup', lat: 51.26, lon: 4.39 }, { type: 'delivery', lat: 51.37, lon: 6.17 }]]) {
      const tracker = (await org.api.post('/api/v1/devices', { name: 'Reefer tracker' })).body.id as string;
      const s = await shipment(org, { kind: 'tracker_session', status: 'in_transit', stops, segments: stops.length ? [{ from_stop: 0, to_stop: 1 }] : [] });
      await attach(org, s, tracker, 'tracker');
      const lat = marked();
      await post(org, tracker, Date.now() + 1000, lat);
      const out = await outputs(ctx(), base, await link(org, s));
      assert.deepEqual(out.data, [`tracker:${lat}`], `with ${stops.length} stops`);
      assert.deepEqual(out.replay, [`tracker:${lat}`]);
    }
  });

  it('shows the device of a shipment created in transit at once, without stop events', async () => {
    const org = await ctx().newOrg();
    const phone = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
    const s = await shipment(org, {
      status: 'in_transit',
      stops: [
        { type: 'pickup', lat: 51.9, lon: 4.4 },
        { type: 'delivery', lat: 52.1, lon: 5.1 },
      ],
      segments: [{ from_stop: 0, to_stop: 1 }],
    });
    await attach(org, s, phone, 'driver');
    const lat = marked();
    await post(org, phone, Date.now() + 1000, lat);
    const out = await outputs(ctx(), base, await link(org, s, { driver_position: 'en_route_to_delivery', layers: ['driver', 'cargo'] }));
    assert.deepEqual(out.data.sort(), [`cargo:${lat}`, `driver:${lat}`]);
    assert.deepEqual(out.replay.sort(), [`cargo:${lat}`, `driver:${lat}`]);
  });

  it('computes no ETA from a reused device’s positions before it was attached', async () => {
    const org = await ctx().newOrg();
    const phone = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
    // Fresh enough for an ETA (minutes old), but from the phone's previous job.
    await post(org, phone, Date.now() - 2 * MIN, 51.95);
    await post(org, phone, Date.now() - MIN, 51.96);
    const s = await shipment(org, { status: 'in_transit', stops: [{ type: 'pickup', lat: 51.9, lon: 4.4 }, { type: 'delivery', lat: 52.1, lon: 5.1 }] });
    await attach(org, s, phone, 'driver');
    assert.equal(await ctx().services.eta.recompute(org.org_id, s), null, 'nothing carried this shipment yet');
    await post(org, phone, Date.now() + 1000, 51.97);
    assert.equal(typeof (await ctx().services.eta.recompute(org.org_id, s)), 'number', 'its own position gives an ETA');
  });
});
