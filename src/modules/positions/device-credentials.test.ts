// Device credentials on the protocol endpoints: the token URL, the bare URL only for generated
// ids, one answer for every failure (per format), ids per org, rotation; then the two rate limits (failed
// authentications per IP, requests per device), on both stores.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestContext, type TestOrg } from '../../../test/helpers/context.js';

interface Device {
  id: string;
  external_id: string;
  external_id_generated: boolean;
  token: string;
  osmand_url: string;
}

async function device(org: TestOrg, external_id?: string): Promise<Device> {
  const r = await org.api.post('/api/v1/devices', { name: 'Phone', ...(external_id ? { external_id } : {}) });
  assert.equal(r.status, 201, r.text);
  return r.body as Device;
}

// Fixes are `ago` seconds before one moment, so two with different `ago` never land on the same
// second (a duplicate) however slowly the test runs.
const BASE_S = Math.floor(Date.now() / 1000);
const fix = (ago = 60) => `timestamp=${BASE_S - ago}&lat=52.09&lon=5.12`;
const pathOf = (url: string) => new URL(url).pathname;
const stored = async (ctx: TestContext, org: TestOrg, d: Device) => (await ctx.repos.positions.recent(org.org_id, d.id, 100)).length;

describeStores('device credentials', (ctx) => {
  const osmand = (url: string, init: { method?: 'GET' | 'POST'; json?: unknown; ip?: string } = {}) =>
    ctx().app.inject({
      method: init.method ?? 'POST',
      url,
      remoteAddress: init.ip,
      ...(init.json !== undefined ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(init.json) } : {}),
    });

  it('stores what a device sends to its token URL, with or without its own id, and refuses an id of another device', async () => {
    const org = await ctx().newOrg();
    const d = await device(org, 'truck1');
    assert.equal(d.external_id_generated, false);
    assert.equal(d.osmand_url, `${ctx().config.publicBaseUrl}/ingest/osmand/${d.token}`);
    const url = pathOf(d.osmand_url);
    assert.equal((await osmand(`${url}?id=truck1&${fix(60)}`)).statusCode, 200, 'Traccar Client: POST, parameters in the query');
    assert.equal((await osmand(`${url}?${fix(50)}`, { method: 'GET' })).statusCode, 200, 'an OsmAnd URL template without id');
    const json = { device_id: 'truck1', location: { timestamp: new Date((BASE_S - 40) * 1000).toISOString(), coords: { latitude: 52.1, longitude: 5.1 } } };
    assert.equal((await osmand(url, { json })).statusCode, 200, 'the Traccar Client JSON body');
    const other = await osmand(`${url}?id=truck2&${fix(30)}`);
    assert.equal(other.statusCode, 400, other.body);
    assert.equal(await stored(ctx(), org, d), 3);
    // The token is stored only as a hash.
    const row = await ctx().store.db.selectFrom('devices').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(d.token.slice(4)));
  });

  it('answers an unknown id, a wrong token and a chosen id on the bare URL alike, after the values are checked', async () => {
    const org = await ctx().newOrg();
    const chosen = await device(org, 'truck1');
    const generated = await device(org);
    assert.equal(generated.external_id_generated, true);
    assert.match(generated.external_id, /^dev-[A-Za-z0-9_-]{20}$/, 'a generated id has 20 random characters');
    assert.equal((await osmand(`/ingest/osmand?id=${generated.external_id}&${fix()}`)).statusCode, 200, 'a generated id alone still works');

    // The contract's statuses (API.md): 400 for query and form requests, 404 for the JSON body;
    // within a format, one body for an unknown id, a wrong token and a chosen id on the bare URL.
    const failures = await Promise.all([
      osmand(`/ingest/osmand?id=truck1&${fix()}`),
      osmand(`/ingest/osmand?id=nobody-here-at-all-0001&${fix()}`),
      osmand(`/ingest/osmand/tld_not-a-real-token-000000000000?${fix()}`),
      osmand(`/ingest/osmand/${chosen.token.slice(0, -2)}xx?id=truck1&${fix()}`),
      osmand(`/ingest/osmand/anything?${fix()}`, { method: 'GET' }),
    ]);
    for (const r of failures) {
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.body, failures[0].body, 'one body for every failure');
    }
    assert.equal(JSON.parse(failures[0].body).error.code, 'validation_failed');
    const location = { timestamp: new Date().toISOString(), coords: { latitude: 52, longitude: 5 } };
    const jsonFailures = await Promise.all([
      osmand('/ingest/osmand', { json: { device_id: 'truck1', location } }),
      osmand('/ingest/osmand', { json: { device_id: 'nobody-here-at-all-0001', location } }),
      osmand('/ingest/osmand/tld_not-a-real-token-000000000000', { json: { device_id: 'truck1', location } }),
      osmand(`/ingest/osmand/${chosen.token.slice(0, -2)}xx`, { json: { location } }),
    ]);
    for (const r of jsonFailures) {
      assert.equal(r.statusCode, 404, r.body);
      assert.equal(r.body, jsonFailures[0].body, 'one body for every JSON failure');
    }
    assert.equal(JSON.parse(jsonFailures[0].body).error.code, 'not_found');
    assert.equal(await stored(ctx(), org, chosen), 0);
    // A bad value is the same 400 for a known and an unknown device: no way to probe ids with it.
    const badKnown = await osmand(`/ingest/osmand?id=${generated.external_id}&lat=95&lon=5`);
    const badUnknown = await osmand('/ingest/osmand?id=nobody-here-at-all-0001&lat=95&lon=5');
    assert.equal(badKnown.statusCode, 400);
    assert.equal(badUnknown.body, badKnown.body);
  });

  it('keeps external ids per org: two orgs may use one, and each device feeds its own org', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const inA = await device(a, 'phone-7');
    const inB = await device(b, 'phone-7');
    const twice = await a.api.post('/api/v1/devices', { name: 'Again', external_id: 'phone-7' });
    assert.equal(twice.status, 409);
    assert.equal((await osmand(`${pathOf(inA.osmand_url)}?id=phone-7&${fix(20)}`)).statusCode, 200);
    assert.equal((await osmand(`${pathOf(inB.osmand_url)}?id=phone-7&${fix(20)}`)).statusCode, 200);
    assert.equal((await osmand(`${pathOf(inB.osmand_url)}?id=phone-7&${fix(10)}`)).statusCode, 200);
    assert.equal(await stored(ctx(), a, inA), 1);
    assert.equal(await stored(ctx(), b, inB), 2);
    // OwnTracks: the token finds the device, the user must be its id; a pair that mixes two devices is unknown.
    const owntracks = (user: string, token: string) =>
      ctx().app.inject({
        method: 'POST',
        url: '/ingest/owntracks',
        headers: { authorization: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ _type: 'location', lat: 52, lon: 5, tst: BASE_S - 5 }),
      });
    assert.equal((await owntracks('phone-7', inA.token)).statusCode, 200);
    assert.equal((await owntracks('phone-7', inB.token)).statusCode, 200);
    assert.equal(await stored(ctx(), a, inA), 2);
    const mixed = await owntracks('phone-7', (await device(b)).token);
    const wrong = await owntracks('phone-7', 'tld_wrong');
    const unknown = await owntracks('nobody-at-all', inA.token);
    for (const r of [mixed, wrong, unknown]) assert.equal(r.statusCode, 401);
    assert.equal(mixed.body, wrong.body);
    assert.equal(unknown.body, wrong.body);
  });

  it('issues a new token on request: the old URL stops working, the new one works', async () => {
    const org = await ctx().newOrg();
    const d = await device(org, 'van-33');
    const viewer = await org.withRole('viewer');
    assert.equal((await viewer.post(`/api/v1/devices/${d.id}/rotate`)).status, 403);
    const other = await ctx().newOrg();
    assert.equal((await other.api.post(`/api/v1/devices/${d.id}/rotate`)).status, 404);
    const r = await org.api.post(`/api/v1/devices/${d.id}/rotate`);
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.body.token, d.token);
    assert.equal(r.body.external_id, 'van-33');
    assert.equal((await osmand(`${pathOf(d.osmand_url)}?${fix(9)}`)).statusCode, 400, 'the old URL is an unknown token');
    assert.equal((await osmand(`${pathOf(r.body.osmand_url)}?${fix(8)}`)).statusCode, 200);
  });

  it('shows a viewer a generated id shortened, so a read-only member cannot send positions as the device on the bare URL', async () => {
    const org = await ctx().newOrg();
    const generated = await device(org);
    const chosen = await device(org, 'truck-viewer-1');
    const viewer = await org.withRole('viewer');
    const listed = (await viewer.get('/api/v1/devices')).body.items as Device[];
    const seen = listed.find((x) => x.id === generated.id) as Device;
    assert.notEqual(seen.external_id, generated.external_id);
    assert.ok(!(await viewer.get('/api/v1/devices')).text.includes(generated.external_id.slice(4, -4)), 'not in the list');
    const one = await viewer.get(`/api/v1/devices/${generated.id}`);
    assert.equal(one.status, 200);
    assert.ok(!one.text.includes(generated.external_id.slice(4, -4)), 'not in the device');
    assert.equal(one.body.external_id_generated, true);
    assert.equal((await osmand(`/ingest/osmand?id=${encodeURIComponent(seen.external_id)}&${fix(16)}`)).statusCode, 400);
    assert.equal(await stored(ctx(), org, generated), 0);
    assert.equal(listed.find((x) => x.id === chosen.id)?.external_id, 'truck-viewer-1', 'a chosen id is no credential: shown as it is');
    const dispatcher = await org.withRole('dispatcher');
    assert.equal((await dispatcher.get(`/api/v1/devices/${generated.id}`)).body.external_id, generated.external_id, 'who may issue the device a token sees it whole');
  });

  it('a new token replaces a generated id too: the old id stops working on the bare URL, the new one works', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    assert.equal((await osmand(`/ingest/osmand?id=${d.external_id}&${fix(20)}`)).statusCode, 200);
    const r = await org.api.post(`/api/v1/devices/${d.id}/rotate`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.external_id_generated, true);
    assert.match(r.body.external_id, /^dev-[A-Za-z0-9_-]{20}$/);
    assert.notEqual(r.body.external_id, d.external_id, 'the id alone is a credential on the bare URL: it is replaced with the token');
    const old = await osmand(`/ingest/osmand?id=${d.external_id}&${fix(19)}`);
    assert.equal(old.statusCode, 400, 'the old id is an unknown device');
    assert.equal((await osmand(`/ingest/osmand?id=${r.body.external_id}&${fix(18)}`)).statusCode, 200);
    assert.equal((await osmand(`${pathOf(r.body.osmand_url)}?id=${r.body.external_id}&${fix(17)}`)).statusCode, 200, 'the token URL with the new identifier');
    assert.equal((await org.api.get(`/api/v1/devices/${d.id}`)).body.external_id, r.body.external_id);
  });
});

describeStores(
  'device rate limits',
  (ctx) => {
    const osmand = (url: string, ip = '203.0.113.5') => ctx().app.inject({ method: 'POST', url, remoteAddress: ip });

    it('makes an address that failed too often wait, even with a right token, and leaves other addresses alone', async () => {
      const org = await ctx().newOrg();
      const d = await device(org, 'truck1');
      const guesser = '198.51.100.7';
      for (let i = 0; i < 3; i++) assert.equal((await osmand(`/ingest/osmand/tld_guess${i}?${fix()}`, guesser)).statusCode, 400);
      const blocked = await osmand(`${pathOf(d.osmand_url)}?${fix(40)}`, guesser);
      assert.equal(blocked.statusCode, 429, 'a right guess after the limit would be an oracle');
      assert.ok(Number(blocked.headers['retry-after']) >= 1 && Number(blocked.headers['retry-after']) <= 60, String(blocked.headers['retry-after']));
      assert.equal((await osmand(`/ingest/osmand?id=truck1&${fix()}`, guesser)).statusCode, 429);
      const owntracks = await ctx().app.inject({ method: 'POST', url: '/ingest/owntracks', remoteAddress: guesser, headers: { authorization: `Basic ${Buffer.from(`truck1:${d.token}`).toString('base64')}` }, payload: {} });
      assert.equal(owntracks.statusCode, 429);
      assert.equal((await osmand(`${pathOf(d.osmand_url)}?${fix(30)}`, '198.51.100.8')).statusCode, 200, 'another address is not affected');
    });

    it('holds a credential that keeps failing on its own, so phones sharing its address (a carrier NAT) are not held', async () => {
      const org = await ctx().newOrg();
      const d = await device(org);
      const rotated = await device(org);
      const oldUrl = pathOf(rotated.osmand_url);
      assert.equal((await org.api.post(`/api/v1/devices/${rotated.id}/rotate`)).status, 200);
      const nat = '192.0.2.77';
      // A phone still set up with its old token retries all minute: 2 failures, then it alone waits.
      const answers: number[] = [];
      for (let i = 0; i < 12; i++) answers.push((await osmand(`${oldUrl}?${fix(200 + i)}`, nat)).statusCode);
      assert.deepEqual(answers, [400, 400, ...Array(10).fill(429)]);
      assert.equal((await osmand(`${pathOf(d.osmand_url)}?${fix(190)}`, nat)).statusCode, 200, 'another phone behind the same address still reports');
      // Different credentials failing from one address still hold the address (DEVICE_AUTH_FAILURE_LIMIT).
      assert.equal((await osmand(`/ingest/osmand/tld_nat_guess_a?${fix()}`, nat)).statusCode, 400);
      assert.equal((await osmand(`/ingest/osmand/tld_nat_guess_b?${fix()}`, nat)).statusCode, 429, 'the third failure from the address');
      assert.equal((await osmand(`${pathOf(d.osmand_url)}?${fix(180)}`, nat)).statusCode, 429);
    });

    it("cannot be turned against a device by someone who knows its external id but not its token: the key is the whole credential", async () => {
      const org = await ctx().newOrg();
      const d = await device(org, 'truck-lock');
      const basic = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
      const owntracks = (authorization: string, ip: string, ago: number) =>
        ctx().app.inject({ method: 'POST', url: '/ingest/owntracks', remoteAddress: ip, headers: { authorization, 'content-type': 'application/json' }, payload: JSON.stringify({ _type: 'location', lat: 52, lon: 5, tst: BASE_S - ago }) });
      // From addresses of its own, over and over: the right user with wrong passwords, the id on the bare URL, with a wrong token.
      for (let i = 0; i < 4; i++) {
        await owntracks(basic('truck-lock', 'tld_wrong'), `203.0.113.${60 + i}`, 300);
        await owntracks(basic(d.id, `tld_wrong${i}`), `203.0.113.${70 + i}`, 300);
        await osmand(`/ingest/osmand?id=truck-lock&${fix(300)}`, `203.0.113.${80 + i}`);
        await osmand(`/ingest/osmand/tld_wrong?id=truck-lock&${fix(300)}`, `203.0.113.${90 + i}`);
      }
      assert.equal((await owntracks(basic('truck-lock', 'tld_wrong'), '203.0.113.99', 300)).statusCode, 429, 'the wrong pair itself is held');
      assert.equal((await owntracks(basic('truck-lock', d.token), '198.51.100.60', 170)).statusCode, 200, 'the device with its token is not');
      assert.equal((await osmand(`${pathOf(d.osmand_url)}?id=truck-lock&${fix(160)}`, '198.51.100.61')).statusCode, 200);
    });

    it('refuses a device over its request budget on every endpoint with Retry-After, and another device is not affected', async () => {
      const org = await ctx().newOrg();
      const busy = await device(org);
      const calm = await device(org);
      for (let i = 0; i < 3; i++) assert.equal((await osmand(`/ingest/osmand?id=${busy.external_id}&${fix(100 + i)}`)).statusCode, 200);
      const over = await osmand(`/ingest/osmand?id=${busy.external_id}&${fix(90)}`);
      assert.equal(over.statusCode, 429, over.body);
      assert.equal(JSON.parse(over.body).error.code, 'rate_limited');
      assert.ok(Number(over.headers['retry-after']) >= 1);
      assert.equal((await osmand(`${pathOf(busy.osmand_url)}?${fix(80)}`)).statusCode, 429, 'the token URL counts for the same device');
      const batch = await ctx().client(busy.token).post('/api/v1/positions', { positions: [{ recorded_at: new Date((BASE_S - 70) * 1000).toISOString(), lat: 52, lon: 5 }] });
      assert.equal(batch.status, 429);
      assert.ok(Number(batch.headers['retry-after']) >= 1);
      const owntracks = await ctx().app.inject({
        method: 'POST',
        url: '/ingest/owntracks',
        headers: { authorization: `Basic ${Buffer.from(`${busy.external_id}:${busy.token}`).toString('base64')}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ _type: 'location', lat: 52, lon: 5, tst: BASE_S - 60 }),
      });
      assert.equal(owntracks.statusCode, 429);
      assert.equal(await stored(ctx(), org, busy), 3, 'nothing over the budget was stored');
      assert.equal((await osmand(`/ingest/osmand?id=${calm.external_id}&${fix()}`)).statusCode, 200, 'another device from the same address is not affected');
      // An org's API key is not a device: its batches are not held to a device's budget.
      const viaKey = await org.api.post('/api/v1/positions', { positions: [{ device_id: busy.id, recorded_at: new Date((BASE_S - 50) * 1000).toISOString(), lat: 52, lon: 5 }] });
      assert.equal(viaKey.body.accepted, 1);
    });
  },
  { DEVICE_AUTH_FAILURE_LIMIT: '3', DEVICE_CREDENTIAL_FAILURE_LIMIT: '2', DEVICE_RATE_LIMIT: '3' },
);
