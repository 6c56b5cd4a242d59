// The devices cached by token (device-token-cache.ts): a token used a moment ago stops working
// the moment it is rotated or its device deleted, answering exactly as an unknown token; a token
// still valid is not looked up again. Then the cache's own rules. (Across instances and bus
// outages: test/e2e/live-bus.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceRow } from '../../db/schema.js';
import { describeStores, type TestContext, type TestOrg } from '../../../test/helpers/context.js';
import { parsePrometheusText, sumOf } from '../../../test/helpers/prom-text.js';
import { DeviceTokenCache } from './device-token-cache.js';

interface Device {
  id: string;
  external_id: string;
  token: string;
}

const BASE_S = Math.floor(Date.now() / 1000);
let ago = 1000;
/** A fix a second older than the last one, so none is a duplicate. */
const fix = () => `timestamp=${BASE_S - ago--}&lat=52.09&lon=5.12`;

describeStores('device tokens cached for ingestion', (ctx) => {
  const device = async (org: TestOrg): Promise<Device> => {
    const r = await org.api.post('/api/v1/devices', { name: 'Phone', external_id: `ph-${Math.random().toString(36).slice(2, 10)}` });
    assert.equal(r.status, 201, r.text);
    return r.body as Device;
  };
  const osmand = (token: string) => ctx().app.inject({ method: 'POST', url: `/ingest/osmand/${token}?${fix()}` });
  const osmandJson = (token: string) =>
    ctx().app.inject({
      method: 'POST',
      url: `/ingest/osmand/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ location: { timestamp: new Date((BASE_S - ago--) * 1000).toISOString(), coords: { latitude: 52, longitude: 5 } } }),
    });
  /** An OwnTracks message that is not a location: authenticated, then nothing is stored. */
  const owntracks = (d: Device, type = 'transition') =>
    ctx().app.inject({
      method: 'POST',
      url: '/ingest/owntracks',
      headers: { authorization: `Basic ${Buffer.from(`${d.external_id}:${d.token}`).toString('base64')}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ _type: type }),
    });
  const batch = (token: string) => ctx().client(token).post('/api/v1/positions', { positions: [{ recorded_at: new Date((BASE_S - ago--) * 1000).toISOString(), lat: 52, lon: 5 }] });
  /** Every way a device token is refused, to compare with a token that never existed. */
  const refusals = async (d: Device) => {
    const [query, json, own, api] = await Promise.all([osmand(d.token), osmandJson(d.token), owntracks(d), batch(d.token)]);
    return { query: [query.statusCode, query.body], json: [json.statusCode, json.body], own: [own.statusCode, own.body], api: [api.status, api.text] };
  };
  const stored = async (c: TestContext, org: TestOrg, d: Device) => (await c.repos.positions.recent(org.org_id, d.id, 1000)).length;

  it('refuses a token rotated a moment after it was used, as it refuses a token that never existed', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const never = { ...d, token: `tld_${'x'.repeat(32)}` };
    for (let i = 0; i < 3; i++) assert.equal((await osmand(d.token)).statusCode, 200);
    assert.equal((await owntracks(d)).statusCode, 200);
    assert.equal((await batch(d.token)).status, 200);
    const rotated = await org.api.post(`/api/v1/devices/${d.id}/rotate`);
    assert.equal(rotated.status, 200, rotated.text);
    const before = await stored(ctx(), org, d);
    assert.deepEqual(await refusals(d), await refusals(never), 'the old token answers as an unknown one on every endpoint');
    assert.equal((await osmand(d.token)).statusCode, 400);
    assert.equal(await stored(ctx(), org, d), before, 'nothing more stored with the old token');
    assert.equal((await osmand(rotated.body.token)).statusCode, 200, 'the new token works');
    assert.equal(await stored(ctx(), org, d), before + 1);
  });

  it('refuses the token of a device deleted a moment after it was used, as it refuses a token that never existed', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const never = { ...d, token: `tld_${'y'.repeat(32)}` };
    assert.equal((await osmand(d.token)).statusCode, 200);
    assert.equal((await osmandJson(d.token)).statusCode, 200);
    assert.equal((await owntracks(d)).statusCode, 200);
    assert.equal((await org.api.delete(`/api/v1/devices/${d.id}`)).status, 204);
    const gone = await refusals(d);
    assert.deepEqual(gone, await refusals(never));
    assert.deepEqual(
      [gone.query[0], gone.json[0], gone.own[0], gone.api[0]],
      [400, 404, 401, 401],
    );
  });

  it('does not look a token up again while it stays valid: a request of a known device runs no query', async () => {
    const org = await ctx().newOrg();
    const d = await device(org);
    const read = async () => sumOf(parsePrometheusText((await ctx().services.metrics.render()).body), 'tracklink_store_query_duration_seconds_count', { op: 'select' });
    // Rendering /metrics runs queries of its own (the outbox backlog): those are left out.
    const own = -(await read()) + (await read());
    let counted = 0;
    const selects = async () => (counted += own, (await read()) - counted);
    let s = await selects();
    assert.equal((await owntracks(d)).statusCode, 200);
    assert.equal((await selects()) - s, 1, 'the first request reads the device');
    s = await selects();
    for (let i = 0; i < 5; i++) assert.equal((await owntracks(d)).statusCode, 200);
    assert.equal((await selects()) - s, 0, 'five more requests read nothing');
    // A wrong token is never kept: each attempt asks the store.
    s = await selects();
    for (let i = 0; i < 2; i++) assert.equal((await owntracks({ ...d, token: `${d.token.slice(0, -1)}#` })).statusCode, 401);
    assert.equal((await selects()) - s, 2);
  });
});

describe('DeviceTokenCache', () => {
  const row = (id: string): DeviceRow => ({ id, org_id: 'o', name: 'n', external_id: id, external_id_generated: 0, token_hash: `h-${id}`, created_at: 0, last_seen_at: null });

  it('forgets a device after its lifetime, and never keeps a read that a change overtook', () => {
    const cache = new DeviceTokenCache({ ttlMs: 1000 });
    cache.set('h1', row('d1'), cache.ticket(), 0);
    assert.equal(cache.get('h1', 999)?.id, 'd1');
    assert.equal(cache.get('h1', 1000), undefined, 'expired');
    const ticket = cache.ticket();
    // The device's token changes while its old row is being read.
    cache.forgetDevice('d1');
    cache.set('h1', row('d1'), ticket, 1000);
    assert.equal(cache.get('h1', 1001), undefined, 'the read that started before the change is not kept');
    cache.set('h1', row('d1'), cache.ticket(), 1000);
    assert.equal(cache.get('h1', 1001)?.id, 'd1');
  });

  it('keeps one token per device, a bounded number of devices, and nothing while untrusted', () => {
    let trusted = true;
    const cache = new DeviceTokenCache({ maxEntries: 2, trusted: () => trusted });
    cache.set('old', row('d1'), cache.ticket(), 0);
    cache.set('new', row('d1'), cache.ticket(), 0);
    assert.equal(cache.get('old', 1), undefined, 'the token a device was found by before is dropped');
    cache.set('h2', row('d2'), cache.ticket(), 0);
    cache.set('h3', row('d3'), cache.ticket(), 0);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('new', 1), undefined, 'the oldest went');
    assert.equal(cache.get('h3', 1)?.id, 'd3');
    cache.forgetDevice('d3');
    assert.equal(cache.get('h3', 1), undefined);
    trusted = false;
    assert.equal(cache.get('h2', 1), undefined, 'not served while changes elsewhere may be missed');
    cache.set('h4', row('d4'), cache.ticket(), 0);
    trusted = true;
    assert.equal(cache.get('h4', 1), undefined, 'nor added');
    assert.equal(cache.size, 0);
  });
});
