// The ETA a recipient reads: arriving (with a countdown), late (with its age), delivered (when),
// the delivery window when no ETA is known; the header and the destination stop agree.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function page(org: TestOrg, get: (p: string) => Promise<{ text: string }>, body: Record<string, unknown>, options: Record<string, unknown> = {}) {
  const s = await org.api.post('/api/v1/shipments', consignmentBody(body));
  assert.equal(s.status, 201, s.text);
  const link = (await org.api.post(`/api/v1/shipments/${s.body.id}/links`, { options })).body;
  const path = new URL(link.url).pathname;
  return { html: (await get(path)).text, data: JSON.parse((await get(`${path}/data`)).text), id: s.body.id as string, path };
}

const etaBlock = (html: string) => /<div class="eta eta-(\w+)">([\s\S]*?)<\/div>/.exec(html) ?? assert.fail('no ETA block');

await describeStores('the ETA on the public page', (ctx) => {
  const get = (p: string) => ctx().anon.get(p, { 'accept-language': 'en-GB' });

  it('counts down to an ETA ahead, and the destination stop expects the same time', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const at = Date.now() + 2 * H - 5 * 60_000;
    const stops = consignmentBody().stops.map((st, i) => (i === 1 ? { ...st, eta: iso(Date.now() + 9 * H) } : st));
    const { html, data } = await page(org, get, { status: 'in_transit', eta: iso(at), stops }, { estimated_times: true });
    const [, state, body] = etaBlock(html);
    assert.equal(state, 'arriving');
    assert.match(body, /Arriving in <span data-countdown="[^"]+">1 hr 55 mins<\/span> · <time datetime="([^"]+)">/);
    assert.equal(data.eta.at, iso(at));
    assert.equal(data.stops[1].eta, iso(at), 'the delivery stop expects what the header says');
    assert.match(html, new RegExp(`Expected</dt><dd><time datetime="${iso(at).replace(/\./g, '\\.')}"`));
  });

  it('says a passed ETA is late, with its age, instead of showing a time in the past as expected', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const { html } = await page(org, get, { status: 'in_transit', eta: iso(Date.now() - 2 * H - 30 * 60_000) });
    const [, state, body] = etaBlock(html);
    assert.equal(state, 'late');
    assert.match(body, /<strong>Running late<\/strong> — expected <time[^>]*>[^<]+<\/time> \(<span data-since="[^"]+">2 hrs 30 mins<\/span> ago\)/);
  });

  it('shows when a delivered shipment was delivered, not "not known yet" or late', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const { id, path } = await page(org, get, { status: 'in_transit', eta: iso(Date.now() - 3 * H) });
    const delivered = await org.api.patch(`/api/v1/shipments/${id}`, { status: 'delivered' });
    assert.equal(delivered.status, 200, delivered.text);
    const html = (await get(path)).text;
    const [, state, body] = etaBlock(html);
    assert.equal(state, 'delivered');
    assert.match(body, /Delivered <time datetime="[^"]+">/);
    assert.doesNotMatch(html, /Not known yet|Running late/);
  });

  it('shows the delivery window when no ETA is known', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const { html } = await page(org, get, { eta: null });
    const [, state, body] = etaBlock(html);
    assert.equal(state, 'window');
    assert.match(body, /Expected between <time datetime="2026-12-01T12:00:00.000Z">[^<]+<\/time> and <time datetime="2026-12-01T16:00:00.000Z">/);
  });

  it('speaks the visitor\'s language', async () => {
    const org = await ctx().newOrg({ country: 'DE' });
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit', eta: iso(Date.now() - 90 * 60_000) }))).body;
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
    const html = (await ctx().anon.get(new URL(link.url).pathname, { 'accept-language': 'de' })).text;
    assert.match(etaBlock(html)[2], /<strong>Verspätet<\/strong> — erwartet <time[^>]*>[^<]+<\/time> \(vor <span data-since="[^"]+">1 Std\. 30 Min\.<\/span>\)/);
  });
});
