// Ingestion through the API and the protocols real tracking apps speak, on both stores.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';
import { shareWithPartner } from '../../../test/helpers/partners.js';

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3600_000;

async function device(org: TestOrg, name = 'Truck 12') {
  const r = await org.api.post('/api/v1/devices', { name });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string; external_id: string; token: string };
}

async function shipmentWithDevice(org: TestOrg, layer = 'driver') {
  const s = await org.api.post('/api/v1/shipments', {
    kind: 'order',
    reference: uniqueRef('ORD'),
    status: 'in_transit',
    stops: [
      { type: 'pickup', name: 'Rotterdam', lat: 51.89, lon: 4.43, departed_at: iso(Date.now() - 2 * HOUR) },
      { type: 'delivery', name: 'Utrecht', lat: 52.09, lon: 5.11 },
    ],
    segments: [{ name: 'Main', from_stop: 0, to_stop: 1 }],
  });
  assert.equal(s.status, 201, s.text);
  const d = await device(org);
  const src = await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: d.id, layer });
  assert.equal(src.status, 201, src.text);
  return { shipmentId: s.body.id as string, device: d };
}

describeStores('positions ingestion', (ctx) => {
  it('registers a device whose token is shown once and never listed', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    assert.match(d.token, /^tld_/);
    assert.ok(d.external_id.length >= 16, 'the default external id is long enough to be unguessable');
    const list = await org.api.get('/api/v1/devices');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].token, undefined);
    assert.ok(!list.text.includes(d.token));
  });

  it('keeps good positions of a batch and reports each bad one by its index', async () => {
    const org = await ctx().newOrg();
    const { shipmentId, device: d } = await shipmentWithDevice(org);
    const now = Date.now();
    const r = await org.api.post('/api/v1/positions', {
      positions: [
        { device_id: d.id, recorded_at: iso(now - 60_000), lat: 52.0, lon: 5.0, speed_mps: 20, battery_pct: 80 },
        { device_id: d.id, recorded_at: iso(now - 50_000), lat: 91, lon: 5.0 },
        { device_id: d.id, recorded_at: iso(now - 40_000), lat: 52.0, lon: 'east' },
        { device_id: d.id, recorded_at: iso(now - 30_000), lat: 0, lon: 0 },
        { device_id: d.id, recorded_at: iso(now + 25 * HOUR), lat: 52.0, lon: 5.0 },
        { device_id: 'no-such-device', recorded_at: iso(now), lat: 52.0, lon: 5.0 },
        { device_id: d.id, recorded_at: 'yesterday', lat: 52.0, lon: 5.0 },
        'not an object',
        // Out of order (older than the first) and within the future tolerance: both accepted.
        { device_id: d.external_id, recorded_at: iso(now - 3600_000), lat: 51.95, lon: 4.7 },
        { device_id: d.id, recorded_at: iso(now + 5 * 60_000), lat: 52.01, lon: 5.01 },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, 3);
    assert.equal(r.body.duplicates, 0);
    assert.deepEqual(
      r.body.rejected.map((x: { index: number }) => x.index),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.match(r.body.rejected[0].error, /^lat/);
    assert.match(r.body.rejected[3].error, /future/);
    assert.match(r.body.rejected[4].error, /unknown device/);
    const stored = await org.api.get(`/api/v1/shipments/${shipmentId}/positions?from=${iso(now - 2 * HOUR)}&to=${iso(now + HOUR)}`);
    assert.equal(stored.status, 200, stored.text);
    assert.equal(stored.body.items.length, 3);
    assert.deepEqual(
      stored.body.items.map((p: { lat: number }) => p.lat),
      [51.95, 52.0, 52.01],
    );
  });

  it('counts a re-sent batch as duplicates and stores nothing twice', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const base = Date.now() - 10 * 60_000;
    const batch = { positions: Array.from({ length: 50 }, (_, i) => ({ device_id: d.id, recorded_at: iso(base + i * 1000), lat: 52 + i / 1000, lon: 5 })) };
    const first = await org.api.post('/api/v1/positions', batch);
    assert.deepEqual(first.body, { accepted: 50, duplicates: 0, rejected: [] });
    const again = await org.api.post('/api/v1/positions', batch);
    assert.deepEqual(again.body, { accepted: 0, duplicates: 50, rejected: [] });
    const n = await ctx().repos.positions.countForDevice(org.org_id, d.id);
    assert.equal(n, 50);
  });

  it('refuses 1,001 positions in one call with 413 and stores none of them', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const base = Date.now() - HOUR;
    const positions = Array.from({ length: 1001 }, (_, i) => ({ device_id: d.id, recorded_at: iso(base + i * 1000), lat: 52, lon: 5 + i / 10000 }));
    const r = await org.api.post('/api/v1/positions', { positions });
    assert.equal(r.status, 413, r.text);
    assert.equal(r.body.error.code, 'payload_too_large');
    assert.equal(await ctx().repos.positions.countForDevice(org.org_id, d.id), 0);
    const ok = await org.api.post('/api/v1/positions', { positions: positions.slice(0, 1000) });
    assert.equal(ok.body.accepted, 1000);
  });

  it('accepts a device token for its own positions only, and nothing without credentials', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const other = await device(org, 'Other');
    const phone = ctx().client(d.token);
    const r = await phone.post('/api/v1/positions', {
      positions: [
        { recorded_at: iso(Date.now() - 1000), lat: 52.1, lon: 5.1 },
        { device_id: other.id, recorded_at: iso(Date.now() - 500), lat: 52.1, lon: 5.1 },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, 1);
    assert.deepEqual(r.body.rejected.map((x: { index: number }) => x.index), [1]);
    assert.equal((await ctx().anon.post('/api/v1/positions', { positions: [] })).status, 401);
    assert.equal((await ctx().client('tld_forged').post('/api/v1/positions', { positions: [] })).status, 401);
    // A device token is not an API key.
    assert.equal((await phone.get('/api/v1/shipments')).status, 401);
  });

  it('never lets an org send positions for another org’s device', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const d = await device(a);
    const r = await b.api.post('/api/v1/positions', { positions: [{ device_id: d.id, recorded_at: iso(Date.now()), lat: 52, lon: 5 }] });
    assert.equal(r.body.accepted, 0);
    assert.match(r.body.rejected[0].error, /unknown device/);
  });

  it('lets a partner org push positions to a shipment shared with it and to no other', async () => {
    const owner = await ctx().newOrg();
    const partner = await ctx().newOrg();
    const { shipmentId } = await shipmentWithDevice(owner);
    await shareWithPartner(owner, partner, shipmentId);
    const pushed = await partner.api.post(`/api/v1/shipments/${shipmentId}/positions`, {
      layer: 'tracker',
      positions: [{ recorded_at: iso(Date.now() - 1000), lat: 52.05, lon: 5.05 }],
    });
    assert.equal(pushed.status, 200, pushed.text);
    assert.equal(pushed.body.accepted, 1);
    await partner.api.post(`/api/v1/shipments/${shipmentId}/positions`, { layer: 'tracker', positions: [{ recorded_at: iso(Date.now() - 500), lat: 52.06, lon: 5.06 }] });
    const partnerDevices = (await owner.api.get('/api/v1/devices')).body.items.filter((d: { name: string }) => d.name.startsWith('partner:'));
    assert.equal(partnerDevices.length, 1, 'one device per partner and layer, reused');
    assert.ok(partnerDevices[0].external_id.length > 20, 'its external id cannot be guessed for OsmAnd');
    const own = await owner.api.get(`/api/v1/shipments/${shipmentId}/positions`);
    assert.ok(own.body.items.some((p: { layer: string; lat: number }) => p.layer === 'tracker' && p.lat === 52.05));
    const other = await shipmentWithDevice(owner);
    const refused = await partner.api.post(`/api/v1/shipments/${other.shipmentId}/positions`, { positions: [{ recorded_at: iso(Date.now()), lat: 52, lon: 5 }] });
    assert.equal(refused.status, 404);
    // The partner reads the track of the shared shipment (no device ids), never of another.
    const seen = await partner.api.get(`/api/v1/shipments/${shipmentId}/positions`);
    assert.equal(seen.status, 200, seen.text);
    assert.ok(seen.body.items.some((p: { layer: string; lat: number }) => p.layer === 'tracker' && p.lat === 52.05));
    assert.ok(seen.body.items.every((p: { device_id?: string }) => p.device_id === undefined), 'no device ids for partners');
    assert.equal((await partner.api.get(`/api/v1/shipments/${other.shipmentId}/positions`)).status, 404);
  });
});

describeStores('tracking app protocols', (ctx) => {
  it('stores OsmAnd / Traccar Client query-string positions sent over GET and POST, speed in knots', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const ts = Math.floor(Date.now() / 1000) - 120;
    // As Traccar Client (Android) sends it: POST with every parameter in the query string, empty body.
    const post = await ctx().app.inject({
      method: 'POST',
      url: `/ingest/osmand?id=${d.external_id}&timestamp=${ts}&lat=52.0907&lon=5.1214&speed=10.0&bearing=87.5&altitude=4.0&accuracy=12.0&batt=76.0&charge=false`,
    });
    assert.equal(post.statusCode, 200, post.body);
    assert.equal(post.body, '');
    // As OsmAnd's online tracking sends it: GET with its own parameter names and `location`.
    const get = await ctx().app.inject({
      method: 'GET',
      url: `/ingest/osmand?deviceid=${d.external_id}&timestamp=${(ts + 60) * 1000}&location=52.1,5.13&hdop=1.2&altitude=3&speed=0`,
    });
    assert.equal(get.statusCode, 200, get.body);
    const pts = await ctx().repos.positions.recent(org.org_id, d.id, 10);
    assert.equal(pts.length, 2);
    const first = pts[1];
    assert.equal(first.recorded_at, ts * 1000);
    assert.equal(first.lat, 52.0907);
    assert.ok(Math.abs((first.speed_mps ?? 0) - 5.144) < 0.01, `10 knots is 5.14 m/s, got ${first.speed_mps}`);
    assert.equal(first.heading_deg, 87.5);
    assert.equal(pts[0].lon, 5.13);
    // Re-sending the same fix (a retry after a lost reply) is fine and stores nothing new.
    const retry = await ctx().app.inject({ method: 'POST', url: `/ingest/osmand?id=${d.external_id}&timestamp=${ts}&lat=52.0907&lon=5.1214` });
    assert.equal(retry.statusCode, 200);
    assert.equal((await ctx().repos.positions.recent(org.org_id, d.id, 10)).length, 2);
  });

  it('stores OsmAnd form bodies with "yyyy-MM-dd HH:mm:ss" and ISO 8601 offset timestamps', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const form = await ctx().app.inject({
      method: 'POST',
      url: '/ingest/osmand',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `id=${d.external_id}&timestamp=2026-11-25%2008%3A30%3A00&lat=51.5&lon=4.5&speed=-1`,
    });
    assert.equal(form.statusCode, 200, form.body);
    const offset = await ctx().app.inject({
      method: 'POST',
      url: '/ingest/osmand',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `id=${d.external_id}&timestamp=${encodeURIComponent('2026-11-25T10:45:00+01:00')}&lat=51.6&lon=4.6`,
    });
    assert.equal(offset.statusCode, 200, offset.body);
    const pts = await ctx().repos.positions.recent(org.org_id, d.id, 10);
    assert.deepEqual(pts.map((p) => new Date(p.recorded_at).toISOString()), ['2026-11-25T09:45:00.000Z', '2026-11-25T08:30:00.000Z']);
    assert.equal(pts[1].speed_mps, null, 'a negative speed means unknown');
  });

  it('stores the JSON body of newer Traccar Client versions (speed already in m/s)', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const body = {
      location: {
        timestamp: new Date(Date.now() - 30_000).toISOString(),
        coords: { latitude: 52.37, longitude: 4.89, accuracy: 5, speed: 13.9, heading: 180, altitude: -2, ellipsoidal_altitude: 43 },
        is_moving: true,
        odometer: 1200,
        event: 'motionchange',
        battery: { level: 0.62, is_charging: false },
        activity: { type: 'in_vehicle' },
        extras: {},
      },
      device_id: d.external_id,
    };
    const r = await ctx().app.inject({ method: 'POST', url: '/ingest/osmand', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    assert.equal(r.statusCode, 200, r.body);
    const [p] = await ctx().repos.positions.recent(org.org_id, d.id, 1);
    assert.equal(p.speed_mps, 13.9);
    assert.equal(p.heading_deg, 180);
    const unknown = await ctx().app.inject({ method: 'POST', url: '/ingest/osmand', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...body, device_id: 'nobody-here' }) });
    assert.equal(unknown.statusCode, 404, 'an unknown device_id in JSON is 404 (API.md)');
  });

  it('answers 400 to OsmAnd requests with a missing id or unparseable values', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const cases = [
      '/ingest/osmand?lat=52&lon=5',
      `/ingest/osmand?id=${d.external_id}&lat=north&lon=5`,
      `/ingest/osmand?id=${d.external_id}&lat=52&lon=5&timestamp=soon`,
      `/ingest/osmand?id=${d.external_id}&location=52`,
    ];
    for (const url of cases) {
      const r = await ctx().app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
    }
  });

  it('stores OwnTracks locations with Basic auth, ignores other message types and replies []', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const auth = `Basic ${Buffer.from(`${d.external_id}:${d.token}`).toString('base64')}`;
    const tst = Math.floor(Date.now() / 1000) - 60;
    const send = (body: unknown, authorization = auth) =>
      ctx().app.inject({ method: 'POST', url: '/ingest/owntracks', headers: { authorization, 'content-type': 'application/json', 'x-limit-u': d.external_id, 'x-limit-d': 'phone' }, payload: JSON.stringify(body) });
    const loc = await send({ _type: 'location', acc: 14, alt: 6, batt: 54, bs: 1, conn: 'm', lat: 52.3676, lon: 4.9041, t: 'u', tid: 'ph', tst, vac: 3, vel: 72, cog: 270 });
    assert.equal(loc.statusCode, 200, loc.body);
    assert.equal(loc.body, '[]');
    for (const other of [{ _type: 'transition', event: 'enter', tst }, { _type: 'waypoints', waypoints: [] }, { _type: 'lwt', tst }]) {
      const r = await send(other);
      assert.equal(r.statusCode, 200);
      assert.equal(r.body, '[]');
    }
    const pts = await ctx().repos.positions.recent(org.org_id, d.id, 10);
    assert.equal(pts.length, 1);
    assert.equal(pts[0].recorded_at, tst * 1000);
    assert.equal(pts[0].speed_mps, 20, '72 km/h is 20 m/s');
    const wrong = await send({ _type: 'location', lat: 1, lon: 1, tst }, `Basic ${Buffer.from(`${d.external_id}:nope`).toString('base64')}`);
    assert.equal(wrong.statusCode, 401);
    assert.match(String(wrong.headers['www-authenticate']), /^Basic/);
    assert.equal((await send({ _type: 'location', lat: 1, lon: 1, tst }, '')).statusCode, 401);
  });

  it('authenticates OwnTracks for a device whose external id holds a colon (allowed in ids; a token never has one)', async () => {
    const org = await ctx().newOrg();
    const r = await org.api.post('/api/v1/devices', { name: 'Van', external_id: 'fleet:van-7' });
    assert.equal(r.status, 201, r.text);
    const d = r.body as { id: string; token: string };
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const send = (authorization: string, ago: number) =>
      ctx().app.inject({ method: 'POST', url: '/ingest/owntracks', headers: { authorization, 'content-type': 'application/json' }, payload: JSON.stringify({ _type: 'location', lat: 52.1, lon: 5.1, tst: Math.floor(Date.now() / 1000) - ago }) });
    const ok = await send(basic('fleet:van-7', d.token), 60);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await send(basic('fleet:van-8', d.token), 50)).statusCode, 401, 'the user must still be the device');
    assert.equal((await ctx().repos.positions.recent(org.org_id, d.id, 10)).length, 1);
  });
});
