// The admin app in a real Chromium, for an owner's settings and a shipment's day-to-day: settings
// forms (organization, API keys, users, devices), list filters, editing, attaching a device and
// its positions on the map, proof of delivery, a viewer who cannot share, and the phone layout.
// Sharing is in admin-app-sharing.test.ts; this suite starts from a shipment with a general link.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, type TestOrg } from '../helpers/context.js';
import { vehiclePicture } from '../../src/demo/images.js';
import { PDF } from '../helpers/fixtures.js';
import { DESKTOP, PHONE, shot } from './browser.js';
import { useAdminSession } from './admin-session.js';

describeInBrowser('admin app in a browser: settings and shipments', (ctx, kind) => {
  const session = useAdminSession(ctx, kind);
  const { watch, viewer, tag, local, signIn } = session;
  let browser: Browser;
  let base: string;
  let org: TestOrg;
  let owner: BrowserContext;
  let page: Page;
  before(() => ({ browser, base, org, owner, page } = session));
  let shipmentId = '';
  const reference = `CN-${kind}-${Date.now().toString(36)}`;

  before(async () => {
    const created = await org.api.post('/api/v1/shipments', {
      kind: 'vehicle',
      reference,
      title: '2019 Toyota Land Cruiser',
      stops: [
        { type: 'pickup', name: 'Depot Rotterdam', lat: 51.92, lon: 4.48 },
        { type: 'delivery', name: 'Customer Utrecht' },
      ],
      cargo: [{ description: 'Crates of oranges' }],
    });
    assert.equal(created.status, 201, created.text);
    shipmentId = created.body.id;
    const link = await org.api.post(`/api/v1/shipments/${shipmentId}/links`, {});
    assert.equal(link.status, 201, link.text);
    await signIn(page, org.owner_email, org.owner_password);
  });

  it('shows validation errors in settings forms and saves organization, keys, users and devices', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Organization' }).click();
    await page.getByLabel('Brand colour', { exact: true }).fill('red');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#brand-color-err').waitFor();
    await page.getByLabel('Brand colour', { exact: true }).fill('#0a7d5a');
    await page.getByLabel('Link inactivity (days)').fill('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    assert.equal((await org.api.get('/api/v1/org')).body.link_inactivity_days, 45);
    await page.getByLabel('Upload a logo (PNG or JPEG)').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: vehiclePicture([10, 125, 90], 120, 60) });
    await page.getByText('Logo uploaded').waitFor();
    const logo = page.locator('.topbar img.brand-logo');
    await logo.waitFor();
    await page.waitForFunction(() => ((document.querySelector('.topbar img.brand-logo') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    await shot(page, tag('desktop-settings-organization'));

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('TMS integration');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('new-api-key').inputValue();
    assert.ok(key.length > 20, 'the new key is shown once');
    assert.equal((await ctx().client(key).get('/api/v1/org')).status, 200, 'the shown key works');
    await page.getByRole('button', { name: 'Revoke key TMS integration' }).click();
    await page.getByRole('row', { name: /TMS integration/ }).getByText('Revoked').waitFor();
    assert.equal((await ctx().client(key).get('/api/v1/org')).status, 401, 'a revoked key stops working');

    await page.getByRole('link', { name: 'Users and roles' }).click();
    const addUser = page.getByRole('form', { name: 'Add a user' });
    await addUser.getByLabel('Email').fill('not-an-email');
    await addUser.getByRole('button', { name: 'Add user' }).click();
    await addUser.locator('.field.has-error', { hasText: 'Email' }).locator('.field-error').waitFor();
    await addUser.getByLabel('Email').fill(`dispatch.${kind}@example.test`);
    await addUser.getByLabel('Role').selectOption('dispatcher');
    await addUser.getByRole('button', { name: 'Add user' }).click();
    await page.getByTestId('new-user-password').waitFor();
    await page.getByRole('row', { name: new RegExp(`dispatch\\.${kind}@example\\.test`) }).waitFor();
    await shot(page, tag('desktop-settings-users'));

    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByLabel('Device name').fill('Truck 12 phone');
    await page.getByRole('button', { name: 'Register device' }).click();
    assert.match(await page.getByTestId('new-device-token').innerText(), /\S{20,}/);
    await page.getByRole('row', { name: /Truck 12 phone/ }).waitFor();
    // The server URL to paste into Traccar Client carries the token, and works.
    const fix = () => `?lat=52.1&lon=5.1&timestamp=${Math.floor(Date.now() / 1000)}`;
    const deviceUrl = await page.getByTestId('new-device-url').innerText();
    assert.match(deviceUrl, /\/ingest\/osmand\/tld_\S{20,}$/);
    assert.equal((await fetch(local(deviceUrl) + fix(), { method: 'POST' })).status, 200);
    await page.getByRole('button', { name: 'New token for device Truck 12 phone' }).click();
    await page.getByText('has a new token').waitFor();
    const renewedUrl = await page.getByTestId('new-device-url').innerText();
    assert.notEqual(renewedUrl, deviceUrl);
    assert.equal((await fetch(local(deviceUrl) + fix(), { method: 'POST' })).status, 400, 'the old URL stops working');
  });

  it('filters the list by public tracking, and draws positions of an attached device on the shipment map', async () => {
    await page.goto(`${base}/app/shipments?tracked=true`);
    await page.getByRole('link', { name: reference }).waitFor();
    await page.getByRole('row', { name: new RegExp(reference) }).getByText('Public tracking').waitFor();
    assert.equal(await page.getByLabel('Public tracking').inputValue(), 'true');
    await page.getByLabel('Public tracking').selectOption('false');
    await page.getByText('No shipments match.').waitFor();
    await page.getByLabel('Public tracking').selectOption('');
    await page.getByLabel('Search').fill(reference.slice(0, 12));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: new RegExp(reference) }).waitFor();

    // Editing keeps everything else and shows the change at once.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    const main = page.getByRole('group', { name: 'Shipment', exact: true });
    await main.getByLabel('Title', { exact: true }).fill('2019 Toyota Land Cruiser, white');
    await main.getByLabel('Status').selectOption('in_transit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: /Land Cruiser, white/ }).waitFor();
    await page.locator('.shipment-head .badge', { hasText: 'In transit' }).waitFor();
    await page.getByRole('region', { name: 'Cargo' }).getByText('Crates of oranges').waitFor();

    const sources = page.getByRole('form', { name: 'Attach a device' });
    await sources.getByLabel('Device').selectOption({ label: 'Truck 12 phone' });
    await sources.getByLabel('Layer').selectOption('driver');
    await sources.getByRole('button', { name: 'Attach' }).click();
    await page.locator('.sources li', { hasText: 'Truck 12 phone' }).waitFor();
    const device = (await org.api.get('/api/v1/devices')).body.items.find((d: { name: string }) => d.name === 'Truck 12 phone');
    const now = Date.now();
    const positions = [0, 1, 2].map((i) => ({ device_id: device.id, recorded_at: new Date(now - (3 - i) * 60_000).toISOString(), lat: 51.95 + i * 0.05, lon: 4.6 + i * 0.1 }));
    const ingest = await org.api.post('/api/v1/positions', { positions });
    assert.equal(ingest.body.accepted, 3);
    await page.reload();
    await page.locator('.legend', { hasText: 'driver: last seen' }).waitFor();
    assert.equal(await page.locator('svg.minimap circle.now.layer-driver').count(), 1);
    await shot(page, tag('desktop-shipment-map'));
    // Detaching keeps the source listed as detached, with when it carried the shipment.
    await page.locator('.sources li', { hasText: /Truck 12 phone.*from / }).waitFor();
    await page.getByRole('button', { name: 'Detach Truck 12 phone' }).click();
    await page.locator('.sources li[data-detached="true"]', { hasText: /Truck 12 phone.*detached: carried it from .* until / }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Detach Truck 12 phone' }).count(), 0);

    await page.getByLabel('Signed by (optional)').fill('J. Jansen');
    await page.getByLabel('Upload proof of delivery (PDF or photo)').setInputFiles({ name: 'pod.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('region', { name: 'Proof of delivery' }).getByText(/signed by J\. Jansen/).waitFor();
  });

  it('gives a viewer no Share action, and ending their sessions signs them out', async () => {
    const viewerCtx = await browser.newContext(DESKTOP);
    watch.watch(viewerCtx);
    try {
      const v = await viewerCtx.newPage();
      await signIn(v, viewer.email, viewer.password, `Haulage ${kind}`);
      assert.equal(await v.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count(), 0);
      await v.getByRole('link', { name: reference }).click();
      await v.getByRole('heading', { name: new RegExp(reference) }).waitFor();
      await v.locator('.shipment-head .badge.public').waitFor({ state: 'detached', timeout: 2000 }).catch(() => undefined);
      assert.equal(await v.getByRole('button', { name: 'Share tracking' }).count(), 0);
      assert.equal(await v.getByRole('link', { name: 'Edit' }).count(), 0);
      await shot(v, tag('desktop-viewer-shipment'));
      // Partner invitations are the owners' and admins' (the API answers a viewer 403): the page asks for none and shows none.
      await v.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' }).click();
      await v.getByText('No partners yet.').waitFor();
      await v.waitForLoadState('networkidle');
      assert.equal(await v.getByRole('heading', { name: 'Invitations you sent' }).count(), 0);
      assert.equal(await v.getByRole('alert').count(), 0, 'no refused load shown');

      await page.goto(`${base}/app/settings/users`);
      const row = page.getByRole('row', { name: new RegExp(viewer.email.replace(/\./g, '\\.')) });
      await row.getByRole('button', { name: 'Sessions', exact: true }).click();
      await page.getByRole('region', { name: /Signed-in sessions/ }).getByText(/^Started /).waitFor();
      await row.getByRole('button', { name: 'End sessions' }).click();
      await page.getByText('was signed out everywhere').waitFor();
      await row.getByRole('button', { name: 'Sessions', exact: true }).click();
      await row.getByRole('button', { name: 'Sessions', exact: true }).click();
      await page.getByText('No active sessions.').waitFor();
      await v.reload();
      await v.getByRole('heading', { name: 'Sign in to Tracklink' }).waitFor();
    } finally {
      await viewerCtx.close();
    }
  });

  it('lays the main screens out for a phone', async () => {
    const phone = await browser.newContext({ ...PHONE, storageState: await owner.storageState() });
    watch.watch(phone);
    try {
      const p = await phone.newPage();
      await p.goto(`${base}/app/shipments`);
      await p.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
      // The menu collapses behind a button on a narrow screen.
      assert.equal(await p.getByRole('navigation', { name: 'Main' }).isVisible(), false);
      await shot(p, tag('phone-shipments'));
      await p.getByRole('button', { name: 'Menu' }).click();
      await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracking links' }).waitFor();
      await shot(p, tag('phone-menu'));
      await p.goto(`${base}/app/shipments/${shipmentId}`);
      await p.getByRole('heading', { name: new RegExp(reference) }).waitFor();
      await p.locator('.shipment-head .badge.public').waitFor();
      await shot(p, tag('phone-shipment'));
      await p.getByRole('button', { name: 'Share tracking' }).click();
      const shareUrl = p.getByRole('dialog').getByTestId('share-url');
      await shareUrl.waitFor();
      await shot(p, tag('phone-share-dialog'), { fullPage: false });
      // Phones have a system share sheet; this headless Chromium has none, so stand one in and
      // check the dialog hands it the link.
      // A string, not a function: the test transpiler would wrap a function with helpers the page lacks.
      await p.evaluate(`Object.defineProperty(navigator, 'share', { configurable: true, value: async (data) => { window.shared = data; } })`);
      await p.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
      await p.getByRole('button', { name: 'Share tracking' }).click();
      await p.getByRole('dialog').getByRole('button', { name: 'Share…' }).click();
      const shared = await p.evaluate(() => (window as unknown as { shared?: ShareData }).shared);
      assert.equal(shared?.url, await shareUrl.inputValue());
      await p.goto(`${base}/app/links`);
      await p.getByRole('heading', { name: 'Tracking links' }).waitFor();
      await shot(p, tag('phone-links'));
      await p.goto(`${base}/app/settings/template`);
      await p.getByTestId('template-preview-frame').waitFor();
      await shot(p, tag('phone-template'));
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no horizontal scrolling on a phone (page is ${width}px wide)`);
      const signIn = await browser.newContext(PHONE);
      watch.watch(signIn);
      const s = await signIn.newPage();
      await s.goto(`${base}/app/`);
      await s.getByRole('heading', { name: 'Sign in to Tracklink' }).waitFor();
      await shot(s, tag('phone-sign-in'));
      await signIn.close();
    } finally {
      await phone.close();
    }
  });

  it('raised no page errors, unhandled rejections or console errors on any screen', () => {
    assert.deepEqual(watch.problems, []);
  });
});
