// The page's fixed parts (render.ts pageParts), kept per resolution and locale (PageCache.page):
// a page made from kept parts has the bytes of a full render at the same moment, and a change of
// the link, its shipment or its org shows on the next request (a new resolution, new parts).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { attachTrack } from '../../../test/helpers/tracks.js';
import { publicShipment } from '../links/public-view.js';
import { pickLocale } from './i18n.js';
import { PageCache } from './page-cache.js';
import { pageParts, renderPage, type PageMoment } from './render.js';

const H = 3_600_000;

async function linkFor(org: TestOrg, body: Record<string, unknown> = {}) {
  const s = (await org.api.post('/api/v1/shipments', consignmentBody(body))).body;
  const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { stop_references: true, estimated_times: true } })).body;
  return { s, link, slug: new URL(link.url).pathname.slice(3), path: new URL(link.url).pathname };
}

await describeStores('public page parts', (ctx) => {
  it('renders from kept parts the bytes of a full render, across a new minute, a new position and a language, making the parts once per language', async () => {
    const org = await ctx().newOrg({ country: 'NL' });
    const now = Date.now();
    const { s, slug } = await linkFor(org, {
      status: 'in_transit',
      title: 'Tiles & <grout> "mix"',
      eta: new Date(now + 2 * H).toISOString(),
      stops: [
        { type: 'pickup', name: 'Dépôt', address: 'Main St 1', lat: 52.37, lon: 4.89, reference: 'PU-1', departed_at: new Date(now - H).toISOString() },
        { type: 'delivery', name: 'Customer', address: 'High St 2', lat: 51.92, lon: 4.48, reference: 'DL-1', window_start: new Date(now + H).toISOString(), window_end: new Date(now + 3 * H).toISOString() },
      ],
    });
    await attachTrack(ctx(), org, s.id, 'tracker', [[52.0, 4.7, now - 60_000]]);
    const r = await ctx().services.publicLinks.require(slug);
    const base = `/t/${slug}`;
    const view = publicShipment(r.shipment, r.org, r.policy, base, r.changes);
    const pages = new PageCache();
    let made = 0;
    const page = (l: ReturnType<typeof pickLocale>, m: PageMoment) =>
      pages.page(r.link, l, m, () => {
        made++;
        return pageParts(view, l, { base, tiles: null });
      });
    const nl = pickLocale(undefined, 'NL');
    const moments: PageMoment[] = [
      { now, reported: [] },
      // A minute later: "arriving in" counts down.
      { now: now + 60_000, reported: [] },
      // The tracker reported: the map and "Live tracking".
      { now: now + 60_000, reported: ['tracker'], seen: { tracker: new Date(now - 60_000).toISOString() } },
      // It moved; then the ETA passed ("running late").
      { now: now + 120_000, reported: ['tracker'], seen: { tracker: new Date(now + 90_000).toISOString() } },
      { now: now + 3 * H, reported: ['tracker'], seen: { tracker: new Date(now + 90_000).toISOString() } },
    ];
    const bodies = new Set<string>();
    for (const m of moments) {
      const kept = page(nl, m);
      const full = renderPage(view, nl, { base, tiles: null, ...m });
      assert.equal(kept.toString(), full, `at +${m.now - now} ms, reported ${m.reported.join(',') || 'none'}`);
      assert.ok(kept.equals(Buffer.from(full)));
      bodies.add(full);
    }
    assert.equal(bodies.size, moments.length, 'every moment renders differently (the test would prove nothing otherwise)');
    assert.equal(made, 1, 'the parts are made once for the resolution and language');
    const de = pickLocale('de', 'NL');
    assert.equal(page(de, moments[2]).toString(), renderPage(view, de, { base, tiles: null, ...moments[2] }));
    assert.equal(made, 2, 'another language has its own parts');
    // Without scripts (the admin's preview) the same holds for renderPage itself.
    assert.doesNotMatch(renderPage(view, nl, { base, tiles: null, scripts: false, ...moments[2] }), /<script type="module"|modulepreload/);
  });

  it("ends each page with its own config: the end shared between pages (render.ts pageTail) follows the layers, the ETA and the language of each", async () => {
    const org = await ctx().newOrg({ country: 'NL' });
    const make = async (body: Record<string, unknown>, options: Record<string, unknown>) => {
      const s = (await org.api.post('/api/v1/shipments', consignmentBody(body))).body;
      const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options })).body;
      return new URL(link.url).pathname;
    };
    const withEta = await make({ status: 'in_transit', eta: new Date(Date.now() + 2 * H).toISOString() }, { eta: true, layers: ['driver', 'cargo'] });
    const plain = await make({ status: 'in_transit' }, { eta: false, layers: ['driver', 'cargo'] });
    const noEta = await make({ status: 'in_transit', eta: null }, { eta: true, layers: ['tracker', 'driver'] });
    const configOf = (html: string) => JSON.parse(/<script type="application\/json" id="tl-config">(.*?)<\/script>/s.exec(html)![1]) as Record<string, unknown>;
    // In turns, in two languages: an end kept under too loose a key would show up on the next page.
    for (const lang of ['nl', 'de', 'nl']) {
      for (const path of [withEta, plain, noEta, withEta]) {
        const html = (await ctx().anon.get(path, { 'accept-language': lang })).text;
        const config = configOf(html);
        const layers = config.layers as string[];
        assert.equal(config.base, path);
        assert.equal(config.lang, lang);
        assert.deepEqual(Object.keys(config.layerGroups as object).filter((k) => !k.includes('+')), layers, `${path}: the groups of its own layers`);
        assert.equal('ago' in config, layers.length > 0, `${path}: "ago" phrases only where a layer is shown`);
        assert.equal('units' in config, /class="eta /.test(html), `${path}: duration units only with an ETA`);
        assert.equal((config.labels as Record<string, string>).layer_driver, lang === 'de' ? 'Fahrer' : 'Chauffeur');
        assert.ok(html.endsWith('</body>\n</html>\n'));
      }
    }
    assert.deepEqual(configOf((await ctx().anon.get(withEta)).text).layers, ['driver', 'cargo']);
  });

  it('shows a change of the link, its shipment or its org on the next request', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const { s, link, path } = await linkFor(org, { title: 'First title', reference: 'REF-ONE' });
    const get = async () => (await ctx().anon.get(path)).text;
    const first = await get();
    assert.match(first, /First title/);
    assert.match(first, /REF-ONE/);
    assert.equal(await get(), first, 'unchanged: the same bytes');

    assert.equal((await org.api.patch(`/api/v1/shipments/${s.id}`, { title: 'Second title' })).status, 200);
    const second = await get();
    assert.match(second, /Second title/);
    assert.doesNotMatch(second, /First title/);

    assert.equal((await org.api.patch('/api/v1/org', { name: 'Renamed Haulage', brand_color: '#123456' })).status, 200);
    const third = await get();
    assert.match(third, /<span class="org-name">Renamed Haulage<\/span>/);
    assert.match(third, /brand\.css\?c=123456/);

    assert.equal((await org.api.patch(`/api/v1/links/${link.id}`, { options: { reference: false } })).status, 200);
    const fourth = await get();
    assert.doesNotMatch(fourth, /REF-ONE/, 'a section the link stops showing is gone at once');
    assert.match(fourth, /Second title/);
  });
});
