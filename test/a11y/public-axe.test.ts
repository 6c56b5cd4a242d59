// axe-core over every state of the public tracking page (issue 18 item 8): live with a position on
// the map, planned without a position (pallet scans, notes), a vehicle with photos, a tracker
// session, delivered, a link with sections hidden, the 404 and the branded 410; on a desktop and
// a phone. 0 WCAG 2.1 A/AA violations. The markup does not depend on the store: SQLite only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, type DemoState } from '../../src/demo/demo.js';
import { apiClient, createTestContext, type TestContext } from '../helpers/context.js';
import { axeViolations, focusProblems } from '../helpers/axe.js';
import { DESKTOP, PHONE, launchChromium, shot } from '../admin/browser.js';

describe('public page accessibility (axe-core, WCAG 2.1 AA)', () => {
  let ctx: TestContext;
  let browser: Browser;
  let base = '';
  const states: Record<string, { path: string; status: number; ready?: string }> = {};

  before(async () => {
    ctx = await createTestContext('sqlite');
    const demo: DemoState & { links?: Record<string, string> } = await seedDemo(ctx.services);
    const api = apiClient(ctx.app, demo.api_key);
    const at = (url: string) => new URL(url).pathname;
    // The demo truck's phone reports, so the live page has a marker on its map.
    const source = await ctx.store.db.selectFrom('sources').select(['device_id']).where('shipment_id', '=', demo.shipments.order).executeTakeFirstOrThrow();
    const now = Date.now();
    for (const [i, [lat, lon]] of [[51.95, 4.55], [52.0, 4.7]].entries()) {
      const t = now + i; // after the attachment, which the seed made a moment ago
      await ctx.store.db.insertInto('positions').values({ org_id: demo.org_id, device_id: source.device_id, recorded_at: t, received_at: t, lat, lon, accuracy_m: 5, speed_mps: 20, heading_deg: 45, altitude_m: null, battery_pct: 80 }).execute();
    }
    const links = demo.links ?? {};
    states.live = { path: at(links.order), status: 200, ready: '#last-seen-driver[data-lat]' };
    // A link with no position yet shows a note instead of a map (issue 18 item 2).
    states.planned = { path: at(links.consignment), status: 200, ready: '#map .leaflet-pane, #map-none' };
    states.vehicle = { path: at(links.vehicle), status: 200 };
    states.tracker = { path: at(links.tracker), status: 200, ready: '#map .leaflet-pane, #map-none' };

    const delivered = await api.post('/api/v1/shipments', {
      kind: 'order',
      reference: `DLV-${randomUUID().slice(0, 6)}`,
      title: 'Delivered sofa',
      status: 'delivered',
      stops: [
        { type: 'pickup', name: 'Depot', lat: 51.9, lon: 4.4, departed_at: new Date(now - 5 * 3600_000).toISOString() },
        { type: 'delivery', name: 'Home', lat: 52.1, lon: 5.1, arrived_at: new Date(now - 3600_000).toISOString() },
      ],
    });
    assert.equal(delivered.status, 201, delivered.text);
    // The demo org makes a general link for every new shipment.
    const dl = await api.get(`/api/v1/shipments/${delivered.body.id}/tracking`);
    assert.ok(dl.body.general?.url, dl.text);
    states.delivered = { path: at(dl.body.general.url), status: 200 };

    const hidden = await api.post(`/api/v1/shipments/${demo.shipments.order}/links`, {
      recipient: { name: 'Hidden', email: 'hidden@example.test' },
      options: { cargo: false, stops: false, eta: false, map: false, customer_reference: false, transport_service: false },
    });
    assert.equal(hidden.status, 201, hidden.text);
    states.sections_hidden = { path: at(hidden.body.url), status: 200 };

    const expired = await api.post(`/api/v1/shipments/${demo.shipments.vehicle}/links`, { recipient: { name: 'Late', email: 'late@example.test' }, options: {} });
    assert.equal((await api.patch(`/api/v1/links/${expired.body.id}`, { expires_at: new Date(now - 1000).toISOString() })).status, 200);
    states.expired = { path: at(expired.body.url), status: 410 };
    states.not_found = { path: '/t/AbCdEfGhIjKlMnOpQrStUvWx', status: 404 };

    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it("names Leaflet's zoom buttons in the page's language", async () => {
    for (const [locale, zoomIn, zoomOut] of [['de-DE', 'Vergrößern', 'Verkleinern'], ['fr-FR', 'Zoom avant', 'Zoom arrière'], ['es-ES', 'Acercar', 'Alejar'], ['nl-NL', 'Inzoomen', 'Uitzoomen']]) {
      const context = await browser.newContext({ ...DESKTOP, locale });
      try {
        const page = await context.newPage();
        await page.goto(base + states.live.path);
        await page.getByRole('button', { name: zoomIn }).waitFor();
        assert.equal(await page.locator('.leaflet-control-zoom-out').getAttribute('aria-label'), zoomOut, locale);
        assert.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('title'), zoomIn, locale);
      } finally {
        await context.close();
      }
    }
  });

  for (const [device, options] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`has no WCAG 2.1 AA violation in any state on a ${device}`, async () => {
      const found: string[] = [];
      const context = await browser.newContext(options);
      try {
        for (const [name, s] of Object.entries(states)) {
          const page: Page = await context.newPage();
          const res = await page.goto(base + s.path);
          assert.equal(res?.status(), s.status, name);
          if (s.ready) await page.locator(s.ready).first().waitFor({ state: 'attached' });
          // Scripts have run (the live pill is filled once the stream opens).
          if (s.status === 200) await page.waitForFunction(() => document.documentElement.classList.contains('js'));
          found.push(...(await axeViolations(page)).map((v) => `${name}: ${v}`));
          found.push(...(await focusProblems(page)).map((v) => `${name}: ${v}`));
          await shot(page, `axe-public-${name}-${device}`);
          await page.close();
        }
      } finally {
        await context.close();
      }
      assert.deepEqual(found, []);
    });
  }
});
