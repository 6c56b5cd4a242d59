// The public page's street map in Chromium: tiles come through this server from a (fake) tile
// upstream, the page makes no request to any other origin, and with the upstream down the bundled
// base map still draws. Screenshots (TRACKLINK_SCREENSHOTS=1) go to test-output/public/.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchChromium, screenshot, watchPage } from '../helpers/chromium.js';
import { createTestContext, type TestContext, type TestOrg } from '../helpers/context.js';
import { startFakeTileServer, type FakeTileServer } from '../helpers/fake-tiles.js';
import { attachTrack } from '../helpers/tracks.js';

describe('the public map in Chromium with tiles', () => {
  let browser: Browser;
  let upstream: FakeTileServer;
  let ctx: TestContext;
  let org: TestOrg;
  let base = '';

  before(async () => {
    upstream = await startFakeTileServer();
    ctx = await createTestContext('sqlite', { TILE_URL: upstream.template, PUBLIC_RATE_LIMIT: '100000' });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    org = await ctx.newOrg({ country: 'NL' });
  });
  after(async () => {
    await browser?.close();
    await ctx?.close();
    await upstream?.close();
  });

  async function linkAt(stops: [number, number][]): Promise<string> {
    const s = await org.api.post('/api/v1/shipments', {
      kind: 'order',
      reference: `TB-${Math.random().toString(36).slice(2, 8)}`,
      title: 'Map check',
      status: 'in_transit',
      stops: stops.map(([lat, lon], i) => ({ type: i ? 'delivery' : 'pickup', name: `Stop ${i}`, lat, lon })),
    });
    assert.equal(s.status, 201, s.text);
    // A tracker between the stops: a link without any position has no map.
    const [[a, b], [c, d]] = stops;
    await attachTrack(ctx, org, s.body.id, 'tracker', [[(a + c) / 2, (b + d) / 2, Date.now() - 60_000]]);
    const l = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, {});
    assert.equal(l.status, 201, l.text);
    return new URL(l.body.url).pathname;
  }

  async function open(url: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    // A tile the server could not get is a failed image load, which Chromium logs as an error.
    const watch = watchPage(page, { ignore: /Failed to load resource/ });
    await page.goto(`${base}${url}`);
    return { page, ...watch };
  }

  it('shows street tiles fetched by the server, and the browser talks to no other origin', async () => {
    const before = upstream.count();
    const { page, requests, problems } = await open(await linkAt([[51.9, 4.43], [52.09, 5.11]]));
    // Tiles load one by one: the first loaded one says nothing about the rest (on a loaded
    // machine the count right after it was below 4), so wait for four, within 15 s.
    const covered = await page
      .waitForFunction(() => document.querySelectorAll('.tl-tiles img.leaflet-tile-loaded').length >= 4, undefined, { timeout: 30_000 })
      .then(() => true, () => false);
    assert.ok(covered, `the view is covered by tiles (${await page.locator('.tl-tiles img.leaflet-tile-loaded').count()} loaded)`);
    await screenshot(page, 'public/tiles-desktop');
    await page.close();
    const foreign = foreignRequests(requests, base);
    assert.deepEqual(foreign, [], 'no request left for another origin');
    assert.ok(requests.some((u) => /\/tiles\/\d+\/\d+\/\d+\.png$/.test(u)));
    // Street tiles cover the map: the bundled base map under them is not fetched for nothing.
    assert.deepEqual(requests.filter((u) => u.includes('/assets/public/basemap/')), []);
    const fetched = upstream.requests.slice(before);
    assert.ok(fetched.length >= 4, 'the server fetched the tiles from the upstream');
    for (const r of fetched) {
      assert.match(String(r.headers['user-agent']), /^Tracklink\//);
      assert.equal(r.headers.referer, undefined);
      assert.doesNotMatch(JSON.stringify(r), /\/t\//, 'no slug upstream');
    }
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
  });

  it('still draws the bundled base map when the tile upstream is down', async () => {
    upstream.failAll(500);
    try {
      const { page, requests, problems } = await open(await linkAt([[40.42, -3.7], [41.39, 2.17]]));
      // Natural Earth land with its coastline, borders, and city names from the bundled data,
      // as tiles of data drawn on canvases (borders: assets.test.ts): decoration for screen readers, never in the tab order.
      await page.locator('.tl-base canvas.leaflet-tile-loaded').first().waitFor();
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.tl-base canvas')).every((c) => c.classList.contains('leaflet-tile-loaded')));
      const canvases = page.locator('.tl-base canvas');
      for (let i = 0; i < (await canvases.count()); i++) {
        assert.equal(await canvases.nth(i).getAttribute('aria-hidden'), 'true');
        assert.equal(await canvases.nth(i).getAttribute('tabindex'), null);
      }
      const baseTiles = requests.filter((u) => /\/assets\/public\/basemap\/[0-9a-f]{12}\/\d+\/\d+\/\d+\.json$/.test(u));
      assert.ok(baseTiles.length >= 2, `base map tiles: ${baseTiles.length}`);
      const drawn = await Promise.all(baseTiles.map(async (u) => (await fetch(u)).json() as Promise<{ land: number[][]; borders: number[][]; cities: [number, number, string][] }>));
      assert.ok(drawn.some((t) => t.land.length > 0), 'land');
      assert.ok(drawn.some((t) => t.cities.some((c) => c[2] === 'Zaragoza')), 'city names');
      await page.locator('div.tl-stop-pickup').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('.tl-tiles img.leaflet-tile-loaded').length === 0 && document.querySelectorAll('.tl-tiles img').length > 0);
      await screenshot(page, 'public/tiles-upstream-down');
      await page.close();
      assert.ok(requests.some((u) => u.includes('/tiles/')));
      assert.deepEqual(foreignRequests(requests, base), []);
      assert.deepEqual(problems, []);
    } finally {
      upstream.failAll(null);
    }
  });
});
