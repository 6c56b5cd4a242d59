// axe-core over every screen of the admin app (issue 18 item 8): sign-in, shipments, a shipment
// with its map, the shipment form, the Share dialog, links, partners, every notifications and
// settings tab, signed in as the demo's owner. 0 WCAG 2.1 A/AA violations. The markup does not
// depend on the store: SQLite only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedDemo, type DemoState } from '../../src/demo/demo.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { axeViolations, focusProblems } from '../helpers/axe.js';
import { ROOT } from '../helpers/server.js';
import { DESKTOP, PHONE, launchChromium, shot } from '../admin/browser.js';

const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-admin-build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('building the admin app failed');

describe('admin app accessibility (axe-core, WCAG 2.1 AA)', () => {
  let ctx: TestContext;
  let browser: Browser;
  let base = '';
  let demo: DemoState;

  before(async () => {
    ctx = await createTestContext('sqlite');
    demo = await seedDemo(ctx.services);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /** The screen has loaded: its heading is there and nothing says "Loading…" any more. */
  async function settled(page: Page): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.waitForFunction(() => !Array.from(document.querySelectorAll('[role="status"]')).some((e) => /Loading/.test(e.textContent ?? '')));
  }

  async function check(page: Page, name: string, found: string[]): Promise<void> {
    await settled(page);
    found.push(...(await axeViolations(page)).map((v) => `${name}: ${v}`));
    found.push(...(await focusProblems(page)).map((v) => `${name}: ${v}`));
    await shot(page, `axe-admin-${name}`, { fullPage: false });
  }

  it("shows times in the org's zone with its label, as its tracking page does, whatever the browser's zone", async () => {
    const context = await browser.newContext({ ...DESKTOP, timezoneId: 'America/New_York' });
    try {
      const page = await context.newPage();
      const links = (demo as DemoState & { links: Record<string, string> }).links;
      await page.goto(base + new URL(links.order).pathname);
      const publicEta = (await page.locator('.eta-at').innerText()).match(/(\d{2}:\d{2}) (CES?T)/);
      assert.ok(publicEta, 'the public page labels its ETA with the zone');
      await page.goto(`${base}/app/`);
      await page.getByLabel('Email').fill(demo.owner_email);
      await page.getByLabel('Password').fill(demo.owner_password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
      await page.goto(`${base}/app/shipments/${demo.shipments.order}`);
      await settled(page);
      const text = await page.locator('main').innerText();
      assert.ok(text.includes(`${publicEta[1]} ${publicEta[2]}`), `the admin shows the ETA as ${publicEta[0]}: ${text.slice(0, 600)}`);
    } finally {
      await context.close();
    }
  });

  for (const [device, options] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`has no WCAG 2.1 AA violation on any screen on a ${device}`, async () => {
      const found: string[] = [];
      const context: BrowserContext = await browser.newContext(options);
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        await page.goto(`${base}/app/`);
        await page.getByRole('heading', { name: 'Sign in to Tracklink' }).waitFor();
        await check(page, `sign-in-${device}`, found);
        await page.getByLabel('Email').fill(demo.owner_email);
        await page.getByLabel('Password').fill(demo.owner_password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();

        const screens = [
          'shipments',
          'shipments/new',
          `shipments/${demo.shipments.order}`,
          `shipments/${demo.shipments.consignment}`,
          'links',
          'partners',
          'notifications/templates',
          'notifications/tasks',
          'notifications/outbox',
          'notifications/webhooks',
          'settings/organization',
          'settings/template',
          'settings/api-keys',
          'settings/users',
          'settings/devices',
        ];
        for (const screen of screens) {
          await page.goto(`${base}/app/${screen}`);
          await check(page, `${screen.replace(/\//g, '-').replace(demo.shipments.order, 'order').replace(demo.shipments.consignment, 'consignment')}-${device}`, found);
        }

        // The Share dialog of the live order, with its link.
        await page.goto(`${base}/app/shipments/${demo.shipments.order}`);
        await settled(page);
        await page.getByRole('button', { name: 'Share tracking' }).click();
        await page.getByRole('dialog').getByTestId('share-url').waitFor();
        await check(page, `share-dialog-${device}`, found);
      } finally {
        await context.close();
      }
      assert.deepEqual(found, []);
    });
  }
});
