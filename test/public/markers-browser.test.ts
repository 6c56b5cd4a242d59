// The public map and timeline in Chromium (issue 18 items 2-3): one marker per
// device fix (the driver and the cargo inferred from the driver's phone are one marker named for
// both), numbered stops with their legend, a dashed line to the next stop, a view that holds the
// position and that stop, markers hidden from assistive tech; a timeline entry that appears live
// when a departure is posted; no map but a note while nothing reported, and the map once
// something does; no request to another origin. Screenshots (desktop, phone; TRACKLINK_SCREENSHOTS=1) in test-output/public/.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchChromium, screenshot, watchPage } from '../helpers/chromium.js';
import { describeInBrowser, type TestOrg } from '../helpers/context.js';
import { attachTrack } from '../helpers/tracks.js';

const H = 3_600_000;

await describeInBrowser(
  'public map markers and timeline in Chromium',
  (ctx, kind) => {
    let browser: Browser;
    let base = '';
    let org: TestOrg;
    const pages: Page[] = [];

    before(async () => {
      browser = await launchChromium();
      await ctx().app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
      org = await ctx().newOrg({ country: 'GB' });
    });
    afterEach(async () => {
      await Promise.all(pages.splice(0).map((p) => p.close().catch(() => {})));
    });
    after(async () => {
      await browser?.close();
    });

    /** A truck on its way from Zwolle via Utrecht to Breda, its driver's phone the only device. */
    async function shipment(options: Record<string, unknown> = {}, withDriver = true) {
      const now = Date.now();
      const s = await org.api.post('/api/v1/shipments', {
        kind: 'order',
        reference: `MK-${randomUUID().slice(0, 8)}`,
        title: 'Garden furniture for Breda',
        status: 'in_transit',
        stages: ['Booked', 'Loaded', 'Delivered'],
        current_stage: 1,
        stops: [
          { type: 'pickup', name: 'Depot Zwolle', lat: 52.51, lon: 6.09, departed_at: new Date(now - 2 * H).toISOString() },
          { type: 'waypoint', name: 'Cross-dock Utrecht', lat: 52.09, lon: 5.12 },
          { type: 'delivery', name: 'Store Breda', lat: 51.59, lon: 4.78 },
        ],
      });
      assert.equal(s.status, 201, s.text);
      const device = withDriver
        ? await attachTrack(ctx(), org, s.body.id, 'driver', [
            [52.45, 5.95, now - 90 * 60_000],
            [52.3, 5.6, now - 45 * 60_000],
            [52.2, 5.35, now - 5 * 60_000],
          ])
        : null;
      const l = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, { options: { driver_position: 'always', layers: ['driver', 'cargo'], ...options }, recipient: { email: `${randomUUID()}@example.test` } });
      assert.equal(l.status, 201, l.text);
      return { id: s.body.id as string, device, url: new URL(l.body.url).pathname };
    }

    async function open(url: string, viewport = { width: 1280, height: 900 }) {
      const page = await browser.newPage({ viewport, locale: 'en-GB' });
      pages.push(page);
      const watch = watchPage(page);
      await page.goto(`${base}${url}`);
      return { page, ...watch };
    }

    it('draws one marker for the driver and cargo of one device, named for both, numbered stops with a legend and the dashed way to the next stop', async () => {
      const { url } = await shipment();
      for (const [name, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const { page, requests, problems } = await open(url, viewport);
        const truck = page.locator('div.tl-pos.tl-pos-driver.tl-pos-cargo');
        await truck.waitFor();
        assert.equal(await page.locator('div.tl-pos').count(), 1, 'one marker for the one device');
        // One device's fix is drawn as one marker (live-page-browser.test.ts), but a marker the page
        // replaced keeps its tooltip for Leaflet's 200 ms fade: read the label once only one is left.
        await page.waitForFunction(() => document.querySelectorAll('.leaflet-tooltip.tl-pos-label').length === 1);
        assert.equal(await page.locator('.leaflet-tooltip.tl-pos-label').textContent(), 'Driver and Cargo');
        assert.deepEqual(await page.locator('div.tl-stop').allTextContents(), ['1', '2', '3']);
        assert.deepEqual(await page.locator('.map-legend li').allTextContents(), ['1Pickup: Depot Zwolle', '2Stop: Cross-dock Utrecht', '3Delivery: Store Breda', 'Route to the next stop']);
        await page.locator('path.tl-route').waitFor({ state: 'attached' });
        assert.equal(await page.locator('path.tl-route').getAttribute('stroke-dasharray'), '6 8');
        // Markers: hidden from assistive tech, never in the tab order (the legend says it all).
        assert.equal(await page.locator('div.tl-pos:not([aria-hidden="true"]), div.tl-stop:not([aria-hidden="true"])').count(), 0);
        assert.equal(await page.locator('.leaflet-marker-icon[tabindex], .leaflet-interactive[tabindex]').count(), 0);
        // The view holds the live position and the stop it heads to (the cross-dock, number 2).
        const map = (await page.locator('#map').boundingBox())!;
        const inside = async (sel: string) => {
          const r = (await page.locator(sel).boundingBox())!;
          return r.x >= map.x && r.x + r.width <= map.x + map.width && r.y >= map.y && r.y + r.height <= map.y + map.height;
        };
        const inView = { truck: await inside('div.tl-pos'), next: await inside('div.tl-stop >> text="2"') };
        assert.deepEqual(inView, { truck: true, next: true });
        await page.locator('.tl-base canvas.leaflet-tile-loaded').first().waitFor();
        await screenshot(page, `public/markers-${name}-${kind}`, { fullPage: true });
        assert.deepEqual(foreignRequests(requests, base), [], 'no request to another origin');
        assert.deepEqual(problems, []);
        await page.close();
      }
    });

    it('adds a timeline entry live when a stop departure is posted', async () => {
      const { id, url } = await shipment();
      const { page, problems } = await open(url, { width: 390, height: 844 });
      await page.locator('body[data-stream="open"]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('.tl-entry-departed').count(), 0);
      assert.equal((await org.api.post(`/api/v1/shipments/${id}/events`, { type: 'stop_arrived', stop_index: 1 })).status, 200);
      assert.equal((await org.api.post(`/api/v1/shipments/${id}/events`, { type: 'stop_departed', stop_index: 1 })).status, 200);
      const entry = page.locator('.timeline .tl-entry').first();
      await page.locator('.tl-entry-departed').waitFor({ timeout: 30_000 });
      assert.equal(await entry.locator('.tl-what').textContent(), 'Departed', 'newest first');
      assert.equal(await entry.locator('.tl-detail').textContent(), 'Cross-dock Utrecht');
      await screenshot(page, `public/timeline-live-phone-${kind}`, { fullPage: true });
      assert.deepEqual(problems, []);
    });

    it('shows a note instead of an empty map until something reports, then the map; a link hiding stops shows no stop in its timeline', async () => {
      const { id, url } = await shipment({ stops: false }, false);
      const { page, problems } = await open(url, { width: 390, height: 844 });
      await page.locator('body[data-stream="open"]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('#map-none').textContent(), 'No position shared yet: the map appears once the vehicle reports.');
      assert.equal(await page.locator('#map').count(), 0);
      assert.equal(await page.locator('.tl-entry-picked_up, .tl-entry-departed, .tl-entry-arrived').count(), 0, 'no stop in the timeline');
      assert.doesNotMatch(await page.content(), /Depot Zwolle|Cross-dock/);
      await screenshot(page, `public/no-position-phone-${kind}`, { fullPage: true });
      const device = await attachTrack(ctx(), org, id, 'driver', []);
      const posted = await org.api.post('/api/v1/positions', { positions: [{ device_id: device, recorded_at: new Date().toISOString(), lat: 52.2, lon: 5.35 }] });
      assert.equal(posted.status, 200, posted.text);
      await page.locator('div.tl-pos').waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('#map-none').count(), 0);
      assert.deepEqual(await page.locator('.map-legend li').allTextContents(), ['1Pickup', '2Delivery', 'Route to the next stop'], 'no waypoint and no stop names without the stops');
      assert.deepEqual(problems, []);
    });
  },
  { PUBLIC_RATE_LIMIT: '100000' },
);
