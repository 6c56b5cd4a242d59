// The demo's tracking pages as a visitor sees them (issue 18): `tracklink demo` in its own
// process (tiles off, the simulated truck live), each page it prints opened in Chromium on a
// desktop and on a phone. Each page shows its text, draws the bundled base map and its markers
// where it has a position (else the one-line note), scrolls nothing sideways, logs no error and
// asks no other origin, and moves little while it loads (layout shift < 0.1). Screenshots (TRACKLINK_SCREENSHOTS=1): test-output/public/demo-<page>-<desktop|phone>.png.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchChromium, screenshot, watchPage } from '../helpers/chromium.js';
import { startServerProcess, type ServerProcess } from '../helpers/server.js';

const SCREENS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/** The base map's tiles drawn, the position marker placed and the layers' "last seen … ago" written. */
async function drawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const tiles = Array.from(document.querySelectorAll('.tl-base canvas'));
    return tiles.length > 0 && tiles.every((c) => c.classList.contains('leaflet-tile-loaded'));
  });
  await page.locator('.leaflet-marker-icon.tl-pos').first().waitFor();
  // The page is in English (Chromium's default Accept-Language); the server writes the time, the script adds "… ago".
  await page.waitForFunction(() => Array.from(document.querySelectorAll('[id^="last-seen-"]')).every((el) => (el.closest('label') as HTMLElement | null)?.hidden || / ago\)?$/.test(el.textContent ?? '')));
}

describe('the demo pages in Chromium', { timeout: 600_000 }, () => {
  let browser: Browser;
  let server: ServerProcess;
  let dir = '';
  let links: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-demo-pages-'));
    server = await startServerProcess({ DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'tracklink.db')}`, PUBLIC_BASE_URL: 'http://127.0.0.1' }, ['demo'], 120_000);
    // The credentials the demo writes (it seeds before it listens; a later start reads them back).
    for (let i = 0; i < 1200 && !Object.keys(links).length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        links = (JSON.parse(readFileSync(path.join(dir, 'demo-credentials.json'), 'utf8')) as { links: Record<string, string> }).links;
      } catch {
        /* not written yet */
      }
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every demo page on a desktop and a phone, with its map where it has a position, and screenshots of each', async () => {
    assert.deepEqual(Object.keys(links).sort(), ['consignment', 'order', 'tracker', 'vehicle']);
    for (const [name, link] of Object.entries(links)) {
      for (const [screen, viewport] of Object.entries(SCREENS)) {
        const page = await browser.newPage({ viewport });
        // The demo's server builds its base map's zooms in the background at first: on a busy machine that is slow.
        page.setDefaultTimeout(120_000);
        const { requests, problems } = watchPage(page);
        // Layout shifts as the page loads (its photos, logo, map and live stream arriving): the
        // sum must stay under 0.1, the bound of a "good" cumulative layout shift.
        await page.addInitScript(() => {
          const w = window as unknown as { layoutShift: number };
          w.layoutShift = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.layoutShift += e.value;
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(server.url + new URL(link).pathname, { waitUntil: 'domcontentloaded' });
        assert.ok(((await page.locator('h1').textContent()) ?? '').trim().length > 0, `${name}: a title`);
        const hasMap = (await page.locator('#map').count()) > 0;
        let mapId: unknown = null;
        if (hasMap) {
          await drawn(page);
          // Leaflet numbers each map it builds on the element: the same number later means the
          // map was never torn down and rebuilt (a live refresh must keep it).
          mapId = await page.evaluate(() => (document.getElementById('map') as unknown as { _leaflet_id?: number })._leaflet_id);
        } else {
          await page.locator('#map-none').waitFor();
        }
        await page.locator('#live-state[data-state="open"]').waitFor();
        if (hasMap) {
          // The stream's snapshot (and the demo truck's next report) arrive after the first draw.
          await drawn(page);
          const now = await page.evaluate(() => (document.getElementById('map') as unknown as { _leaflet_id?: number })._leaflet_id);
          assert.equal(now, mapId, `${name} on a ${screen}: the map was rebuilt after it was drawn`);
          assert.equal(await page.locator('.leaflet-marker-icon.tl-pos').count(), 1, `${name} on a ${screen}: one position marker`);
        }
        const shift = await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
        assert.ok(shift < 0.1, `${name} on a ${screen}: layout shift ${shift.toFixed(3)} while loading`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} on a ${screen}: ${overflow} px sideways`);
        await screenshot(page, `public/demo-${name}-${screen}`, { fullPage: true });
        await page.close();
        assert.deepEqual(foreignRequests(requests, server.url), [], `${name}: no other origin`);
        assert.deepEqual(problems, [], `${name}: no script errors or CSP violations`);
      }
    }
  });
});
