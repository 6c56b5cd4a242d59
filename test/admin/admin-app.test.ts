// The admin app in a real Chromium, used the way a dispatcher and an owner would: sign in,
// create a shipment, share it, check the public page from a stranger's browser, regenerate,
// revoke, change the template, manage settings, and a viewer who cannot share.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeStores, type TestOrg } from '../helpers/context.js';
import { vehiclePicture } from '../../src/demo/images.js';
import { PDF } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/server.js';
import { ConsoleWatch, DESKTOP, PHONE, launchChromium, shot } from './browser.js';

// The app must be built before the server can serve it (same script as `npm start` uses).
const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-admin-build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('building the admin app failed');

describeStores('admin app in a browser', (ctx, kind) => {
  let browser: Browser;
  let base: string;
  let org: TestOrg;
  let owner: BrowserContext;
  let page: Page;
  let shipmentId = '';
  let firstUrl = '';
  let secondUrl = '';
  let thirdUrl = '';
  const watch = new ConsoleWatch();
  const reference = `CN-${kind}-${Date.now().toString(36)}`;
  const viewer = { email: `viewer.${kind}.${Date.now().toString(36)}@example.test`, password: 'viewer-password-123' };
  const tag = (name: string) => `${kind}-${name}`;
  // Link URLs carry PUBLIC_BASE_URL (http://tracklink.test); open them on the test server instead.
  const local = (url: string) => base + new URL(url).pathname;

  async function signIn(p: Page, email: string, password: string, orgName?: string) {
    await p.goto(`${base}/app/`);
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    if (orgName) {
      // The same email and password open an account in another org too: the server asks which.
      await p.getByLabel('Organization').selectOption({ label: orgName });
      await p.getByRole('button', { name: 'Sign in' }).click();
    }
    await p.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
  }

  async function openAsStranger(url: string): Promise<{ status: number; text: string }> {
    const stranger = await browser.newContext(DESKTOP);
    watch.watch(stranger);
    try {
      const p = await stranger.newPage();
      const res = await p.goto(local(url));
      return { status: res?.status() ?? 0, text: await p.locator('body').innerText() };
    } finally {
      await stranger.close();
    }
  }

  before(async () => {
    org = await ctx().newOrg({ name: `Haulage ${kind}`, country: 'GB' });
    await ctx().services.auth.createUser(org.actor, { email: viewer.email, name: 'Vera Viewer', role: 'viewer', password: viewer.password });
    const elsewhere = await ctx().newOrg({ name: `Other firm ${kind}` });
    await ctx().services.auth.createUser(elsewhere.actor, { email: viewer.email, name: 'Vera at another firm', role: 'owner', password: viewer.password });
    await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    owner = await browser.newContext(DESKTOP);
    watch.watch(owner);
    await owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await owner.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
  });

  it('refuses a wrong password with a message, then signs the owner in', async () => {
    await page.goto(`${base}/app/`);
    await page.getByRole('heading', { name: 'Sign in to Tracklink' }).waitFor();
    await shot(page, tag('desktop-sign-in'));
    await page.getByLabel('Email').fill(org.owner_email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong' }).waitFor();
    await page.getByLabel('Password').fill(org.owner_password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count(), 1);
  });

  it('shows API validation errors beside the fields, then creates the shipment', async () => {
    await page.getByRole('link', { name: 'New shipment' }).click();
    const main = page.getByRole('group', { name: 'Shipment', exact: true });
    const stop1 = page.getByRole('group', { name: 'Stop 1' });
    await stop1.getByLabel('Latitude').fill('95');
    await page.getByRole('button', { name: 'Create shipment' }).click();
    // An empty reference and an impossible latitude: each message lands next to its own input.
    await main.locator('.field.has-error', { hasText: 'Reference' }).locator('.field-error').waitFor();
    await stop1.locator('.field.has-error', { hasText: 'Latitude' }).locator('.field-error').waitFor();
    assert.equal(await main.getByLabel('Reference', { exact: true }).getAttribute('aria-invalid'), 'true');
    await shot(page, tag('desktop-shipment-form-errors'));

    await main.getByLabel('Reference', { exact: true }).fill(reference);
    await main.getByLabel('Title', { exact: true }).fill('2019 Toyota Land Cruiser');
    await stop1.getByLabel('Name', { exact: true }).fill('Depot Rotterdam');
    await stop1.getByLabel('Latitude').fill('51.92');
    await stop1.getByLabel('Longitude').fill('4.48');
    await page.getByRole('group', { name: 'Stop 2' }).getByLabel('Name', { exact: true }).fill('Customer Utrecht');
    await page.getByRole('button', { name: 'Add cargo line' }).click();
    await page.getByRole('group', { name: 'Cargo line 1' }).getByLabel('Description').fill('Crates of oranges');
    await page.getByRole('button', { name: 'Create shipment' }).click();
    await page.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    shipmentId = new URL(page.url()).pathname.split('/').pop() ?? '';
    assert.match(shipmentId, /^[0-9a-f-]{20,}$/);
    assert.equal(await page.locator('.badge.public').count(), 0, 'no Public tracking indicator before a link exists');

    // Gallery photos to pick from in the Share dialog.
    for (const colour of [[200, 40, 40], [40, 90, 200]] as [number, number, number][]) {
      const r = await org.api.send('POST', `/api/v1/shipments/${shipmentId}/photos`, vehiclePicture(colour), 'image/png');
      assert.equal(r.status, 201);
    }
    await page.reload();
    await page.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    await shot(page, tag('desktop-shipment'));
  });

  it('creates a link in the Share dialog with a section unticked and a photo picked; a stranger does not see that section', async () => {
    // A contact of the shipment, offered as a recipient in the dialog.
    const people = page.getByRole('form', { name: 'Add a contact' });
    await people.getByLabel('Contact name').fill('Pia');
    await people.getByLabel('Contact email').fill('pia@example.test');
    await people.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('region', { name: 'Contacts' }).getByText('pia@example.test').waitFor();
    // No pasting of organization ids: partners are connected first (test/admin/partners.test.ts).
    await page.getByRole('region', { name: 'Partner organizations' }).getByRole('link', { name: 'Invite one under Partners' }).waitFor();

    await page.getByRole('button', { name: 'Share tracking' }).click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`Share tracking — ${reference}`) });
    await dialog.getByText('No URL exists until you create the link').waitFor();
    await dialog.getByLabel('Cargo details').uncheck();
    await dialog.getByText('Changed from template').waitFor();

    const add = dialog.getByRole('button', { name: /^Add Photo 1 / });
    await add.hover();
    await dialog.locator('.picker-preview img').waitFor();
    await add.click();
    await dialog.getByRole('button', { name: /^Remove Photo 1 / }).waitFor();
    await shot(page, tag('desktop-share-dialog-options'), { fullPage: false });

    await dialog.getByRole('button', { name: 'Create tracking link' }).click();
    const url = dialog.getByTestId('share-url');
    await url.waitFor();
    // The confirmation outlives the form's re-render for the new link, and focus is on Copy (issue 18 items 8-9).
    await dialog.getByTestId('share-flash').getByText('Tracking link created').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Copy link');
    firstUrl = await url.inputValue();
    assert.match(firstUrl, /^http:\/\/tracklink\.test\/t\/[A-Za-z0-9_-]{20,}$/);
    await page.locator('.shipment-head .badge.public', { hasText: 'Public tracking' }).waitFor();

    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByText('Link copied to the clipboard').first().waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), firstUrl);
    await dialog.getByRole('button', { name: 'QR code' }).click();
    await dialog.getByRole('img', { name: /QR code for/ }).waitFor();
    // The element is there before its image has loaded (on a loaded machine, measurably so): wait
    // for the load, or an error, and then look at what was drawn.
    const qrLoaded = await dialog.getByRole('img', { name: /QR code for/ }).evaluate(
      (el) =>
        new Promise<boolean>((resolve) => {
          const img = el as HTMLImageElement;
          if (img.complete) return resolve(img.naturalWidth > 0);
          img.addEventListener('load', () => resolve(img.naturalWidth > 0), { once: true });
          img.addEventListener('error', () => resolve(false), { once: true });
        }),
    );
    assert.ok(qrLoaded, 'the QR code loads');
    await shot(page, tag('desktop-share-dialog-link'), { fullPage: false });

    // A link of its own for one recipient, listed with its state.
    const recipients = dialog.getByRole('form', { name: 'Create a link for a recipient' });
    await recipients.getByLabel('Recipient email').fill('dirk@@example');
    await recipients.getByRole('button', { name: 'Create recipient link' }).click();
    await recipients.locator('.field.has-error', { hasText: 'Recipient email' }).locator('.field-error').waitFor();
    await recipients.getByLabel('Recipient name').fill('Dirk');
    await recipients.getByLabel('Recipient email').fill('dirk@example.test');
    await recipients.getByRole('button', { name: 'Create recipient link' }).click();
    await dialog.locator('.link-list li', { hasText: 'dirk@example.test' }).getByText('Active').waitFor();
    await dialog.getByRole('button', { name: 'Create link for Pia (pia@example.test)' }).click();
    await dialog.locator('.link-list li', { hasText: 'pia@example.test' }).getByText('Active').waitFor();

    const pub = await openAsStranger(firstUrl);
    assert.equal(pub.status, 200);
    assert.match(pub.text, /Land Cruiser/);
    assert.doesNotMatch(pub.text, /Crates of oranges/, 'the unticked cargo section is absent');
  });

  it('regenerates the URL: the old one answers "not available", the new one works', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await page.waitForFunction((old) => (document.querySelector('[data-testid="share-url"]') as HTMLInputElement | null)?.value !== old, firstUrl);
    await dialog.getByTestId('share-flash').getByText('A new URL was issued').waitFor();
    secondUrl = await dialog.getByTestId('share-url').inputValue();
    assert.notEqual(secondUrl, firstUrl);
    const old = await openAsStranger(firstUrl);
    assert.equal(old.status, 404);
    assert.match(old.text, /not available/i);
    const fresh = await openAsStranger(secondUrl);
    assert.equal(fresh.status, 200);
    assert.doesNotMatch(fresh.text, /Crates of oranges/, 'regenerate keeps the options');
  });

  it('revokes only after confirmation; the URL stops working and the indicator goes away', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await dialog.getByText('The URL stops working immediately and forever.').waitFor();
    await dialog.getByRole('button', { name: 'Yes, revoke' }).click();
    await dialog.getByText('No URL exists until you create the link').waitFor();
    await dialog.getByTestId('share-flash').getByText('Link revoked').waitFor();
    const gone = await openAsStranger(secondUrl);
    assert.equal(gone.status, 404);
    // The recipient's own link still works, so the shipment is still publicly tracked until it goes too.
    assert.equal(await page.locator('.shipment-head .badge.public').count(), 1);
    for (const who of ['dirk@example.test', 'pia@example.test']) {
      await dialog.getByRole('button', { name: `Revoke link for ${who}` }).click();
      await dialog.locator('.link-list li', { hasText: who }).waitFor({ state: 'detached' });
    }
    await page.locator('.shipment-head .badge.public').waitFor({ state: 'detached' });

    // A new link made with the template's defaults shows the cargo again.
    await dialog.getByRole('button', { name: 'Create tracking link' }).click();
    await dialog.getByTestId('share-url').waitFor();
    thirdUrl = await dialog.getByTestId('share-url').inputValue();
    const pub = await openAsStranger(thirdUrl);
    assert.equal(pub.status, 200);
    assert.match(pub.text, /Crates of oranges/);
  });

  it('saves options on the same URL, and ticking a section back makes it follow the template again', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Cargo details').uncheck();
    await dialog.getByRole('button', { name: 'Save options' }).click();
    await dialog.getByText(/Options saved/).first().waitFor();
    assert.equal(await dialog.getByTestId('share-url').inputValue(), thirdUrl, 'the URL stays the same');
    const hidden = await openAsStranger(thirdUrl);
    assert.equal(hidden.status, 200);
    assert.doesNotMatch(hidden.text, /Crates of oranges/);

    await dialog.getByLabel('Cargo details').check();
    assert.equal(await dialog.getByText('Changed from template').count(), 0);
    // The first save's "Options saved" is still on screen: wait for this save's own reply.
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/links/'));
    await dialog.getByRole('button', { name: 'Save options' }).click();
    assert.equal((await saved).status(), 200);
    const link = (await org.api.get(`/api/v1/links?shipment_id=${shipmentId}&state=active`)).body.items.find((l: { url: string }) => l.url === thirdUrl);
    assert.equal(link.options.cargo ?? null, null, 'no override is stored once the option equals the template');
    assert.match((await openAsStranger(thirdUrl)).text, /Crates of oranges/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('changes the template with a live preview, and the public page follows', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Link template' }).click();
    // The real public page for the org's shipment, rendered by the server under the edited template.
    const preview = page.frameLocator('[data-testid="template-preview-frame"]').locator('body');
    await preview.getByText('Crates of oranges').waitFor();
    await page.getByRole('form', { name: 'Link template' }).getByLabel('Cargo details').uncheck();
    // The preview follows before anything is saved.
    await preview.getByText('Crates of oranges').waitFor({ state: 'detached' });
    await shot(page, tag('desktop-template-editor'));
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText(/Template saved/).waitFor();

    let text = '';
    for (let i = 0; i < 20; i++) {
      const pub = await openAsStranger(thirdUrl);
      assert.equal(pub.status, 200);
      text = pub.text;
      if (!/Crates of oranges/.test(text)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.doesNotMatch(text, /Crates of oranges/, 'the public page dropped the section the template turned off');
  });

  it('shows validation errors in settings forms and saves organization, keys, users and devices', async () => {
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

  it('lists every link with its state on the Links page and revokes from there', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracking links' }).click();
    await page.getByRole('heading', { name: 'Tracking links' }).waitFor();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 5);
    assert.equal(await page.locator('tbody .badge.link-revoked').count(), 4);
    assert.equal(await page.locator('tbody .badge.link-active').count(), 1);
    await page.locator('tbody tr', { hasText: 'dirk@example.test' }).getByText('Dirk (dirk@example.test)').waitFor();
    await shot(page, tag('desktop-links'));
    const general = page.locator('tbody tr', { hasText: 'General link' }).filter({ has: page.locator('.badge.link-active') });
    await general.getByRole('button', { name: /^Revoke link of/ }).click();
    await general.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText(/revoked$/).first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody .badge.link-revoked').length === 5);
    assert.equal((await openAsStranger(thirdUrl)).status, 404);
  });

  it('signs out back to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tracklink' }).waitFor();
    await page.goto(`${base}/app/shipments`);
    await page.getByRole('heading', { name: 'Sign in to Tracklink' }).waitFor();
  });

  it('raised no page errors, unhandled rejections or console errors on any screen', () => {
    assert.deepEqual(watch.problems, []);
  });
});
