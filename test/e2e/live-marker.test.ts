// The public page in real Chromium moves its marker and "last seen" when a phone reports a new
// position through /ingest/osmand, without a reload. Screenshots (TRACKLINK_SCREENSHOTS=1) go to test-output/live/.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot } from '../helpers/chromium.js';
import { describeStores } from '../helpers/context.js';
import { uniqueRef } from '../helpers/fixtures.js';

await describeStores('live marker in Chromium', (ctx, kind) => {
  let browser: Browser;
  let base = '';
  before(async () => {
    browser = await launchChromium();
    base = await ctx().app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await browser?.close();
  });

  it('moves the driver marker and last seen when the phone reports, without reloading the page', async () => {
    const org = await ctx().newOrg();
    const s = await org.api.post('/api/v1/shipments', {
      kind: 'order',
      reference: uniqueRef('LIVE'),
      status: 'in_transit',
      stops: [
        { type: 'pickup', name: 'Rotterdam', lat: 51.89, lon: 4.43, departed_at: new Date(Date.now() - 3600_000).toISOString() },
        { type: 'delivery', name: 'Utrecht', lat: 52.09, lon: 5.11 },
      ],
    });
    const d = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body as { id: string; external_id: string };
    await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: d.id, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    const link = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, { options: { layers: ['driver'] } });
    const report = async (lat: number, lon: number, ago: number) => {
      const q = new URLSearchParams({ id: d.external_id, lat: String(lat), lon: String(lon), timestamp: String(Math.floor((Date.now() - ago) / 1000)), speed: '40' });
      const r = await fetch(`${base}/ingest/osmand?${q}`, { method: 'POST' });
      assert.equal(r.status, 200);
    };
    await report(51.95, 4.6, 60_000);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${base}/t/${link.body.slug}`);
    const label = page.locator('#last-seen-driver');
    await page.locator('div.tl-pos-driver').waitFor();
    assert.equal(await label.getAttribute('data-marker-lat'), '51.95');
    const before = await page.locator('div.tl-pos-driver').boundingBox();
    const seenBefore = await label.textContent();

    await report(52.05, 4.95, 0);
    await page.waitForFunction(() => document.getElementById('last-seen-driver')?.getAttribute('data-marker-lat') === '52.05', undefined, { timeout: 30_000 });
    const after = await page.locator('div.tl-pos-driver').boundingBox();
    assert.ok(before && after && (Math.abs(after.x - before.x) > 5 || Math.abs(after.y - before.y) > 5), 'the marker moved on screen');
    assert.notEqual(await label.textContent(), seenBefore, 'last seen changed');
    assert.equal(loads, 1, 'no reload');
    await screenshot(page, `live/marker-moved-${kind}`);
    await page.close();
  });
});
