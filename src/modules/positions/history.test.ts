// What a link may see of positions (layers, segment windows, the driver gate, inferred cargo),
// history downsampling, ETA and retention — at the service level, on both stores.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestContext, type TestOrg } from '../../../test/helpers/context.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';
import { downsample, type TrackPoint } from './downsample.js';
import type { PositionScope } from './positions.contract.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Fixture {
  org: TestOrg;
  shipmentId: string;
  driver: string;
  tracker: string;
  t0: number;
}

/** Pickup departed at t0; waypoint reached at t0+1h and left at t0+1.5h; delivery not reached. */
async function fixture(ctx: TestContext, opts: { deliveryArrived?: boolean } = {}): Promise<Fixture> {
  const org = await ctx.newOrg();
  const t0 = Date.now() - 3 * HOUR;
  const s = await org.api.post('/api/v1/shipments', {
    kind: 'order',
    reference: uniqueRef('ORD'),
    status: 'in_transit',
    stops: [
      { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(t0) },
      { type: 'waypoint', lat: 52.0, lon: 4.7, arrived_at: iso(t0 + HOUR), departed_at: iso(t0 + 1.5 * HOUR) },
      { type: 'delivery', lat: 52.1, lon: 5.1, window_end: iso(Date.now() + 10 * HOUR), ...(opts.deliveryArrived ? { arrived_at: iso(t0 + 2.5 * HOUR) } : {}) },
    ],
    segments: [
      { name: 'First leg', from_stop: 0, to_stop: 1 },
      { name: 'Second leg', from_stop: 1, to_stop: 2 },
    ],
  });
  assert.equal(s.status, 201, s.text);
  const driver = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
  const tracker = (await org.api.post('/api/v1/devices', { name: 'Tracker' })).body.id as string;
  await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: driver, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
  await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: tracker, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
  // One driver and one tracker position every 10 minutes from 30 min before departure until now.
  const positions = [];
  for (let t = t0 - 30 * MIN; t <= Date.now(); t += 10 * MIN) {
    const f = (t - t0) / (4 * HOUR);
    positions.push({ device_id: driver, recorded_at: iso(t), lat: 51.9 + 0.2 * f, lon: 4.4 + 0.7 * f, speed_mps: 15 });
    positions.push({ device_id: tracker, recorded_at: iso(t + 1000), lat: 51.9 + 0.2 * f, lon: 4.4 + 0.7 * f });
  }
  const r = await ctx.services.positions.ingestBatch({ kind: 'org', orgId: org.org_id }, positions);
  assert.equal(r.rejected.length, 0);
  return { org, shipmentId: s.body.id, driver, tracker, t0 };
}

const scopeOf = (f: Fixture, over: Partial<PositionScope> = {}): PositionScope => ({
  orgId: f.org.org_id,
  shipmentId: f.shipmentId,
  layers: ['driver', 'cargo', 'tracker'],
  segments: [0, 1],
  driverPosition: 'always',
  history: true,
  ...over,
});

const times = (h: Awaited<ReturnType<TestContext['services']['positions']['history']>>, layer: string) =>
  h.layers.find((l) => l.layer === layer)?.points.map((p) => p[0]) ?? [];

describeStores('positions scope, history and ETA', (ctx) => {
  it('shows only shared layers, and nothing before the first shared segment starts', async () => {
    const f = await fixture(ctx());
    const h = await ctx().services.positions.history(scopeOf(f, { layers: ['tracker'] }), {});
    assert.deepEqual(h.layers.map((l) => l.layer), ['tracker']);
    const ts = times(h, 'tracker');
    assert.ok(ts.length > 10);
    assert.ok(ts.every((t) => t >= f.t0), 'positions before the pickup departure stay hidden');
  });

  it('limits positions to the time windows of the shared segments', async () => {
    const f = await fixture(ctx());
    const second = await ctx().services.positions.history(scopeOf(f, { segments: [1], layers: ['tracker'] }), {});
    const ts = times(second, 'tracker');
    assert.ok(ts.length > 0);
    assert.ok(ts.every((t) => t >= f.t0 + 1.5 * HOUR), 'the second segment starts at the departure from the waypoint');
    const first = await ctx().services.positions.history(scopeOf(f, { segments: [0], layers: ['tracker'] }), {});
    assert.ok(times(first, 'tracker').every((t) => t >= f.t0 && t <= f.t0 + HOUR));
    const current = await ctx().services.positions.currentPositions(scopeOf(f, { segments: [0], layers: ['tracker'] }));
    assert.equal(current.length, 1);
    assert.ok(Date.parse(current[0].recorded_at) <= f.t0 + HOUR, 'the current position of a finished segment is its last one');
  });

  it('shows the driver only on legs heading to a delivery stop when the gate says so', async () => {
    const f = await fixture(ctx());
    const gated = await ctx().services.positions.history(scopeOf(f, { driverPosition: 'en_route_to_delivery', layers: ['driver'] }), {});
    const ts = times(gated, 'driver');
    assert.ok(ts.length > 0);
    assert.ok(ts.every((t) => t >= f.t0 + 1.5 * HOUR), 'the leg to the waypoint is not a leg to a delivery');
    const never = await ctx().services.positions.history(scopeOf(f, { driverPosition: 'never' }), {});
    assert.ok(!never.layers.some((l) => l.layer === 'driver'));
    assert.ok(!(await ctx().services.positions.currentPositions(scopeOf(f, { driverPosition: 'never' }))).some((p) => p.layer === 'driver'));
  });

  it('infers the cargo layer from the driver while the cargo is on board', async () => {
    const f = await fixture(ctx(), { deliveryArrived: true });
    const h = await ctx().services.positions.history(scopeOf(f, { layers: ['cargo'] }), {});
    const ts = times(h, 'cargo');
    assert.ok(ts.length > 0);
    assert.ok(ts.every((t) => t >= f.t0 && t <= f.t0 + 2.5 * HOUR), 'from pickup departure to delivery arrival');
  });

  it('starts the inferred cargo layer at a loading scan at the pickup before departure', async () => {
    const f = await fixture(ctx());
    const scan = await f.org.api.post(`/api/v1/shipments/${f.shipmentId}/pallet-scans`, { stop_index: 0, event: 'loaded', scanned_at: iso(f.t0 - 25 * MIN), code: 'PAL-1' });
    assert.equal(scan.status, 201, scan.text);
    // No segments shared restriction here: the segment window starts at departure, so share none.
    await ctx().store.db.deleteFrom('segments').where('shipment_id', '=', f.shipmentId).execute();
    const ts = times(await ctx().services.positions.history(scopeOf(f, { layers: ['cargo'], segments: [] }), {}), 'cargo');
    assert.equal(Math.min(...ts), f.t0 - 20 * MIN, 'the first driver fix after the loading scan');
  });

  it('returns only the latest position when the link does not share history, and honours from/to', async () => {
    const f = await fixture(ctx());
    const latest = await ctx().services.positions.history(scopeOf(f, { history: false, layers: ['tracker'] }), {});
    assert.equal(latest.layers[0].points.length, 1);
    const from = f.t0 + 30 * MIN;
    const to = f.t0 + 60 * MIN;
    const bounded = await ctx().services.positions.history(scopeOf(f, { layers: ['tracker'] }), { from: iso(from), to: iso(to) });
    const ts = times(bounded, 'tracker');
    assert.ok(ts.length >= 2 && ts.every((t) => t >= from && t <= to));
  });

  it('serves /t/{slug}/history for a real link with 404 for unknown slugs', async () => {
    const f = await fixture(ctx());
    const link = await f.org.api.post(`/api/v1/shipments/${f.shipmentId}/links`, { options: { layers: ['tracker'], driver_position: 'always' } });
    assert.equal(link.status, 201, link.text);
    const r = await ctx().anon.get(`/t/${link.body.slug}/history?layer=tracker`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.layers.map((l: { layer: string }) => l.layer), ['tracker']);
    assert.equal(r.headers['x-robots-tag'], 'noindex, nofollow');
    const driver = await ctx().anon.get(`/t/${link.body.slug}/history?layer=driver`);
    assert.deepEqual(driver.body.layers, []);
    assert.equal((await ctx().anon.get('/t/AAAAAAAAAAAAAAAAAAAAAAAA/history')).status, 404);
    await f.org.api.post(`/api/v1/links/${link.body.id}/revoke`, {});
    assert.equal((await ctx().anon.get(`/t/${link.body.slug}/history`)).status, 404);
  });

  it('computes an ETA from the current position and speed, and a manual ETA wins', async () => {
    const f = await fixture(ctx());
    const eta = await ctx().services.eta.recompute(f.org.org_id, f.shipmentId);
    assert.ok(eta !== null && eta > Date.now(), 'the truck still has kilometres to go');
    const info = await ctx().services.eta.etaFor(f.org.org_id, f.shipmentId);
    assert.equal(info?.eta_source, 'computed');
    assert.equal(info?.state, 'on_time');
    assert.equal(info?.next_stop?.index, 2);
    const manual = iso(Date.now() + 20 * HOUR);
    await f.org.api.post(`/api/v1/shipments/${f.shipmentId}/events`, { type: 'eta_changed', eta: manual });
    await ctx().services.eta.recompute(f.org.org_id, f.shipmentId);
    const after = await ctx().services.eta.etaFor(f.org.org_id, f.shipmentId);
    assert.equal(after?.eta, manual);
    assert.equal(after?.eta_source, 'manual');
    assert.equal(after?.state, 'delayed', 'later than the delivery window');
  });

  it('marks a computed ETA unknown once positions are stale', async () => {
    const f = await fixture(ctx());
    await ctx().services.eta.recompute(f.org.org_id, f.shipmentId);
    const later = Date.now() + 40 * MIN;
    const info = await ctx().services.eta.etaFor(f.org.org_id, f.shipmentId, later);
    assert.equal(info?.state, 'unknown');
  });

  it('purges positions older than the retention period after delivery, and keeps the rest', async () => {
    const f = await fixture(ctx(), { deliveryArrived: true });
    await f.org.api.post(`/api/v1/shipments/${f.shipmentId}/events`, { type: 'status_changed', status: 'delivered', occurred_at: iso(f.t0 + 2.5 * HOUR) });
    const before = await ctx().repos.positions.countForDevice(f.org.org_id, f.driver);
    // Still within retention: nothing goes.
    await ctx().services.retention.runOnce();
    assert.equal(await ctx().repos.positions.countForDevice(f.org.org_id, f.driver), before);
    const days = (await f.org.api.get('/api/v1/org')).body.position_retention_days as number;
    await ctx().services.retention.runOnce(Date.now() + (days + 1) * 86_400_000);
    assert.equal(await ctx().repos.positions.countForDevice(f.org.org_id, f.driver), 0);
  });
});

it('downsamples a long track to at most the limit, keeping its first and last points and its corners', () => {
  const track: TrackPoint[] = [];
  // An L: 5,000 points east, then 5,000 north. The corner must survive.
  for (let i = 0; i < 5000; i++) track.push([i, 52, 5 + i / 5000]);
  for (let i = 0; i < 5000; i++) track.push([5000 + i, 52 + i / 5000, 6]);
  const out = downsample(track, 2000);
  assert.equal(out.length, 2000);
  assert.deepEqual(out[0], track[0]);
  assert.deepEqual(out.at(-1), track.at(-1));
  assert.ok(out.some(([, lat, lon]) => Math.abs(lat - 52) < 0.001 && Math.abs(lon - 6) < 0.001), 'the corner is kept');
  assert.ok(out.every((p, i) => i === 0 || p[0] > out[i - 1][0]), 'points stay in time order');
  assert.equal(downsample(track.slice(0, 10), 2000).length, 10);
});
