// The public page in real Chromium: markers, layer toggle, history scrubber, live updates, the
// expired and not-available pages, markup in a stop name shown as text, on a desktop and a phone
// viewport. Screenshots (TRACKLINK_SCREENSHOTS=1) go to test-output/public/.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, watchPage } from '../helpers/chromium.js';
import { describeInBrowser, type TestOrg } from '../helpers/context.js';
import { attachTrack } from '../helpers/tracks.js';

const H = 3_600_000;

await describeInBrowser(
  'public page in Chromium',
  (ctx, kind) => {
    let browser: Browser;
    let base = '';
    let org: TestOrg;
    let linkPath = '';
    let driverDevice = '';
    let shipmentId = '';
    const driverTrack = [
      [51.95, 4.55],
      [52.0, 4.7],
      [52.05, 4.9],
    ];

    before(async () => {
      browser = await launchChromium();
      await ctx().app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
      org = await ctx().newOrg({ country: 'NL' });
      const now = Date.now();
      const s = await org.api.post('/api/v1/shipments', {
        kind: 'order',
        reference: `BR-${randomUUID().slice(0, 8)}`,
        title: 'Dishwashers for Utrecht',
        status: 'in_transit',
        stages: ['Booked', 'Picked up', 'Delivered'],
        current_stage: 1,
        eta: new Date(now + 2 * H).toISOString(),
        stops: [
          { type: 'pickup', name: 'Rotterdam DC', lat: 51.9, lon: 4.43, departed_at: new Date(now - 3 * H).toISOString() },
          { type: 'delivery', name: 'Utrecht store', lat: 52.09, lon: 5.11 },
        ],
        segments: [{ name: 'Rotterdam → Utrecht', from_stop: 0, to_stop: 1 }],
        cargo: [{ description: 'Built-in dishwashers, stainless steel, 60 cm, with installation kits', quantity: 8, packaging: 'Carton on EUR pallet', weight_kg: 380.5 }],
      });
      assert.equal(s.status, 201, s.text);
      const db = ctx().store.db;
      for (const [layer, track] of [
        ['driver', driverTrack],
        ['tracker', [[51.97, 4.6], [52.02, 4.8]]],
      ] as const) {
        const id = randomUUID();
        if (layer === 'driver') driverDevice = id;
        await db.insertInto('devices').values({ id, org_id: org.org_id, name: layer, external_id: randomUUID(), token_hash: randomUUID(), created_at: now, last_seen_at: null }).execute();
        await db.insertInto('sources').values({ id: randomUUID(), org_id: org.org_id, shipment_id: s.body.id, device_id: id, layer, segment: null, created_at: now, attached_at: now - 3 * H, detached_at: null }).execute();
        let i = 0;
        for (const [lat, lon] of track) {
          const t = now - 2 * H + i++ * 30 * 60_000;
          await db.insertInto('positions').values({ org_id: org.org_id, device_id: id, recorded_at: t, received_at: t, lat, lon, accuracy_m: 5, speed_mps: 20, heading_deg: 45, altitude_m: null, battery_pct: 80 }).execute();
        }
      }
      shipmentId = s.body.id;
      const l = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, { options: { driver_position: 'always', layers: ['driver', 'tracker'] } });
      assert.equal(l.status, 201, l.text);
      linkPath = new URL(l.body.url).pathname;
    });
    // A failed test leaves its page (and its live stream) open; close them at once, so the
    // server's shutdown after the suite never waits on a stream nobody will end.
    const pages: Page[] = [];
    afterEach(async () => {
      await Promise.all(pages.splice(0).map((p) => p.close().catch(() => {})));
    });
    after(async () => {
      await browser?.close();
    });

    async function open(viewport: { width: number; height: number }, url: string): Promise<{ page: Page; problems: string[] }> {
      const page = await browser.newPage({ viewport, locale: 'en-GB' });
      pages.push(page);
      const { problems } = watchPage(page);
      await page.goto(`${base}${url}`);
      return { page, problems };
    }

    const markerBox = (page: Page, layer: string) => page.locator(`div.tl-pos-${layer}`).boundingBox();

    it('shows stops, the current position of each layer and last seen on a desktop', async () => {
      const { page, problems } = await open({ width: 1280, height: 900 }, linkPath);
      await page.locator('div.tl-pos-driver').waitFor();
      await page.locator('div.tl-pos-tracker').waitFor();
      assert.equal(await page.locator('div.tl-stop-pickup').count(), 1);
      assert.equal(await page.locator('div.tl-stop-delivery').count(), 1);
      const last = page.locator('#last-seen-driver');
      assert.equal(await last.getAttribute('data-lat'), String(driverTrack[2][0]));
      assert.match((await last.textContent()) ?? '', /Last seen: .+ago/);
      assert.equal(await page.locator('h1').textContent(), 'Dishwashers for Utrecht');
      await page.locator('.tl-base canvas.leaflet-tile-loaded').first().waitFor(); // the bundled base map, loaded after first paint
      await screenshot(page, `public/desktop-${kind}`, { fullPage: true });
      assert.deepEqual(problems, [], 'no script errors or CSP violations');
      await page.close();
    });

    it('toggles a layer off and on again', async () => {
      const { page } = await open({ width: 1280, height: 900 }, linkPath);
      await page.locator('div.tl-pos-driver').waitFor();
      await page.getByRole('checkbox', { name: /Driver/ }).uncheck();
      assert.equal(await page.locator('div.tl-pos-driver').count(), 0);
      assert.equal(await page.locator('div.tl-pos-tracker').count(), 1, 'the other layer stays');
      await page.getByRole('checkbox', { name: /Driver/ }).check();
      assert.equal(await page.locator('div.tl-pos-driver').count(), 1);
      await page.close();
    });

    it('scrubs history and moves the marker back along the track', async () => {
      const { page } = await open({ width: 1280, height: 900 }, linkPath);
      await page.locator('div.tl-pos-driver').waitFor();
      const scrubber = page.locator('#scrubber');
      await page.waitForFunction(() => !(document.getElementById('scrubber') as HTMLInputElement).disabled);
      const latest = await markerBox(page, 'driver');
      await scrubber.fill('0');
      const label = page.locator('#last-seen-driver');
      assert.equal(await label.getAttribute('data-marker-lat'), String(driverTrack[0][0]));
      const earliest = await markerBox(page, 'driver');
      assert.ok(latest && earliest);
      assert.ok(Math.abs(latest.x - earliest.x) + Math.abs(latest.y - earliest.y) > 5, 'the marker moved on the map');
      assert.notEqual(await page.locator('#scrubber-time').textContent(), 'Latest');
      await scrubber.fill('1000');
      assert.equal(await label.getAttribute('data-marker-lat'), String(driverTrack[2][0]));
      assert.equal(await page.locator('#scrubber-time').textContent(), 'Latest');
      await page.close();
    });

    it('moves the marker live when a new position arrives, and shows not-available on revoke', async () => {
      const { page } = await open({ width: 1280, height: 900 }, linkPath);
      await page.locator('div.tl-pos-driver').waitFor();
      // Once the stream is open, every later position must arrive (the server subscribes first).
      await page.locator('body[data-stream="open"]').waitFor({ state: 'attached' });
      const posted = await org.api.post('/api/v1/positions', { positions: [{ device_id: driverDevice, recorded_at: new Date().toISOString(), lat: 52.07, lon: 5.0 }] });
      assert.equal(posted.status, 200, posted.text);
      await page.waitForFunction(() => document.getElementById('last-seen-driver')?.getAttribute('data-lat') === '52.07', undefined, { timeout: 30_000 });
      await page.close();
    });

    it('fits a phone screen', async () => {
      const { page, problems } = await open({ width: 390, height: 844 }, linkPath);
      await page.locator('div.tl-pos-driver').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
      await page.locator('.tl-base canvas.leaflet-tile-loaded').first().waitFor();
      await screenshot(page, `public/phone-${kind}`, { fullPage: true });
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('shows a stop name made of markup as text in its tooltip, never as elements', async () => {
      const name = '<a id="x" href="https://evil.example">click</a><meta http-equiv="refresh" content="0;url=about:blank">';
      const s = await org.api.post('/api/v1/shipments', {
        kind: 'order',
        reference: `XSS-${randomUUID().slice(0, 8)}`,
        stops: [{ type: 'pickup', name, lat: 51.9, lon: 4.43 }],
      });
      assert.equal(s.status, 201, s.text);
      // A position, so the page has a map to draw the stop on.
      await attachTrack(ctx(), org, s.body.id, 'tracker', [[51.95, 4.5, Date.now() - 60_000]]);
      const l = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, {});
      assert.equal(l.status, 201, l.text);
      const url = new URL(l.body.url).pathname;
      const { page, problems } = await open({ width: 1280, height: 900 }, url);
      const navigations: string[] = [];
      page.on('framenavigated', (f) => navigations.push(f.url()));
      // Once the position is drawn the view has settled (fitted to it): the stop stays under the pointer.
      await page.locator('.leaflet-marker-icon.tl-pos').first().waitFor();
      await page.locator('div.tl-stop-pickup').dispatchEvent('mouseover');
      // Read in one step: the old page made the <meta> a refresh that navigated away at once.
      const seen = await page.waitForFunction(() => {
        if (location.href === 'about:blank') return { navigated: location.href };
        const tooltip = document.querySelector('.leaflet-tooltip.tl-stop-tip');
        return tooltip && { text: tooltip.textContent, made: document.querySelectorAll('#x, a[href^="https://evil"], meta[http-equiv]').length };
      });
      assert.deepEqual(await seen.jsonValue(), { text: `Pickup: ${name}`, made: 0 }, 'the name as text, no element made from it');
      assert.deepEqual(navigations, [], 'the page never navigated');
      assert.equal(new URL(page.url()).pathname, url);
      assert.deepEqual(problems, []);
      await page.close();
    });

    it("shows the org's expired page and the not-available page, both fitting a 320 px screen", async () => {
      const s = (await org.api.post('/api/v1/shipments', { kind: 'order', reference: `EX-${randomUUID().slice(0, 8)}` })).body;
      const l = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { expires_at: new Date(Date.now() - 1000).toISOString() })).body;
      const orgName = (await org.api.get('/api/v1/org')).body.name;
      // The card keeps clear of the screen's edges, and nothing scrolls sideways.
      const layout = (page: Page) =>
        page.evaluate(() => {
          const card = document.querySelector('.state-card')!.getBoundingClientRect();
          return { overflow: document.documentElement.scrollWidth - window.innerWidth, left: card.left, right: window.innerWidth - card.right };
        });
      const expired = await open({ width: 320, height: 640 }, new URL(l.url).pathname);
      assert.equal(await expired.page.locator('h1').textContent(), 'This link has expired');
      assert.equal(await expired.page.locator('header .org-name').textContent(), orgName);
      const e = await layout(expired.page);
      assert.ok(e.overflow <= 0 && e.left >= 8 && e.right >= 8, `expired page at 320 px: ${JSON.stringify(e)}`);
      await screenshot(expired.page, `public/expired-${kind}`);
      // Chromium reports the document's own 410 as a console error; anything else (a CSP violation) fails.
      assert.deepEqual(expired.problems.filter((x) => !/status of 410/.test(x)), []);
      await expired.page.close();
      const missing = await open({ width: 320, height: 640 }, '/t/AAAAAAAAAAAAAAAAAAAAAAAA');
      assert.equal(await missing.page.locator('h1').textContent(), 'Link not available');
      assert.equal(await missing.page.locator('header').count(), 0, 'nothing of any org');
      const m = await layout(missing.page);
      assert.ok(m.overflow <= 0 && m.left >= 8 && m.right >= 8, `not-available page at 320 px: ${JSON.stringify(m)}`);
      await screenshot(missing.page, `public/not-available-${kind}`);
      await missing.page.close();
    });

    // Last: it stops the server's listener and starts it again.
    it('drops an unshared layer and section at once, says Live / Reconnecting… with the stream, and catches up from its snapshot', async () => {
      const created = await org.api.post(`/api/v1/shipments/${shipmentId}/links`, { recipient: { email: 'live-recipient@example.test' }, options: { driver_position: 'always', layers: ['driver', 'tracker'], cargo: true } });
      assert.equal(created.status, 201, created.text);
      const link = created.body;
      const { page, problems } = await open({ width: 390, height: 844 }, new URL(link.url).pathname);
      const liveState = page.locator('#live-state');
      await page.locator('div.tl-pos-tracker').waitFor();
      await page.locator('#cargo').waitFor();
      await page.locator('#live-state[data-state="open"]').waitFor();
      // The map asks for /data once when it starts, before the stream opens: none after that.
      const dataRequests: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.endsWith('/data')) dataRequests.push(r.url());
      });
      assert.equal(await liveState.textContent(), 'Live');
      assert.equal(await liveState.getAttribute('role'), 'status');
      const colours = await liveState.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
      assert.deepEqual(colours, ['rgb(24, 92, 38)', 'rgb(255, 255, 255)'], '#185c26 on white: 7.6:1');

      // Unshare the tracker layer and the cargo section: both leave the open page without a reload.
      const patched = await org.api.patch(`/api/v1/links/${link.id}`, { options: { layers: ['driver'], cargo: false } });
      assert.equal(patched.status, 200, patched.text);
      await page.locator('#cargo').waitFor({ state: 'detached' });
      await page.locator('div.tl-pos-tracker').waitFor({ state: 'detached' });
      assert.equal(await page.locator('path.tl-trail-tracker').count(), 0, 'its trail went too');
      assert.equal(await page.locator('label.layer-tracker').count(), 0, 'and its checkbox');
      assert.equal(await page.locator('div.tl-pos-driver').count(), 1, 'the driver stays');

      // The server stops: every connection dropped, new ones refused.
      const server = ctx().app.server;
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await page.locator('#live-state[data-state="closed"]').waitFor();
      assert.equal(await liveState.textContent(), 'Reconnecting…');
      const closedColours = await liveState.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
      assert.deepEqual(closedColours, ['rgb(122, 62, 0)', 'rgb(255, 244, 229)'], '#7a3e00 on #fff4e5: 7.9:1');
      await screenshot(page, `public/reconnecting-${kind}`);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
      await page.locator('#live-state[data-state="open"]').waitFor({ timeout: 30_000 });
      assert.equal(await liveState.textContent(), 'Live');

      // A position after the reconnect arrives live; the section comes back when shared again.
      const posted = await org.api.post('/api/v1/positions', { positions: [{ device_id: driverDevice, recorded_at: new Date().toISOString(), lat: 52.08, lon: 5.05 }] });
      assert.equal(posted.status, 200, posted.text);
      await page.waitForFunction(() => document.getElementById('last-seen-driver')?.getAttribute('data-lat') === '52.08', undefined, { timeout: 30_000 });
      assert.equal((await org.api.patch(`/api/v1/links/${link.id}`, { options: { cargo: true } })).status, 200);
      await page.locator('#cargo').waitFor();
      // Positions came from the stream's snapshots and events: /data was read only when the map started.
      assert.deepEqual(dataRequests, [], 'no /data after load');
      assert.deepEqual(problems.filter((x) => !/ERR_CONNECTION_REFUSED|net::ERR|Failed to load resource/.test(x)), []);
    });
  },
  { PUBLIC_RATE_LIMIT: '100000' },
);
