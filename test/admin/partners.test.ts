// Partner organizations in a real Chromium, as two companies would use them: B's owner picks a
// handle, A's owner invites B by it, one of B's admins accepts in the admin app, A shares a
// shipment with B, and B follows it in its own shipment list and page — live position and ETA —
// with no share action (and the app never calls an owner-only route for it) and none of A's
// private data, while A's shipment that was not shared stays unknown to B. Then A's template editor says why the tracking link
// variable is unavailable while sharing is off (Qargo 15).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, type TestOrg } from '../helpers/context.js';
import { uniqueHandle } from '../helpers/partners.js';
import { ROOT } from '../helpers/server.js';
import { ConsoleWatch, DESKTOP, launchChromium, shot } from './browser.js';

const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-admin-build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('building the admin app failed');

describeInBrowser('partner organizations in the admin app', (ctx, kind) => {
  let browser: Browser;
  let base: string;
  let a: TestOrg;
  let b: TestOrg;
  let pageA: Page;
  let pageB: Page;
  let shipmentId = '';
  let notSharedId = '';
  // Every 403 B's browser got: the app must never offer, or try, what only the owner may do.
  const refusedForB: string[] = [];
  let deviceId = '';
  const watch = new ConsoleWatch();
  const handle = uniqueHandle('courier');
  const reference = `PRT-${kind}-${Date.now().toString(36)}`;
  const secret = { customerRef: `CUSTREF${kind}${Date.now().toString(36)}`, contact: `Stopcontact${kind}`, vin: `VIN${kind}SECRET` };
  const tag = (name: string) => `${kind}-partners-${name}`;

  async function signIn(org: Pick<TestOrg, 'owner_email' | 'owner_password'>): Promise<Page> {
    const context = await browser.newContext(DESKTOP);
    watch.watch(context);
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    // A controllable clock, so the page's periodic refresh can be run without waiting for it.
    await p.clock.install();
    await p.goto(`${base}/app/`);
    await p.getByLabel('Email').fill(org.owner_email);
    await p.getByLabel('Password').fill(org.owner_password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
    return p;
  }
  const openPartners = async (p: Page) => {
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' }).click();
    await p.getByRole('heading', { name: 'Partners', level: 1 }).waitFor();
  };

  before(async () => {
    a = await ctx().newOrg({ name: `Shipper ${kind}`, country: 'NL' });
    b = await ctx().newOrg({ name: `Courier ${kind}`, country: 'NL' });
    await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    [pageA, pageB] = await Promise.all([signIn(a), signIn(b)]);
    pageB.on('response', (r) => {
      if (r.status() === 403) refusedForB.push(r.url());
    });
  });

  after(async () => {
    await browser?.close();
  });

  it('B’s owner sets a handle; A’s owner invites B by it and learns nothing until B accepts', async () => {
    await pageB.goto(`${base}/app/settings/organization`);
    await pageB.getByLabel('Public handle').fill(handle);
    await pageB.getByRole('button', { name: 'Save settings' }).click();
    await pageB.getByText('Settings saved').waitFor();

    await openPartners(pageA);
    const form = pageA.getByRole('form', { name: 'Invite a partner organization' });
    // An address that names nobody and B's handle get the same answer.
    await form.getByLabel('Their handle or an admin’s email').fill('@nobody-uses-this-handle');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await pageA.getByRole('status').filter({ hasText: 'if such an organization exists' }).waitFor();
    await form.getByLabel('Their handle or an admin’s email').fill(`@${handle}`);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    const sent = pageA.getByRole('region', { name: 'Invitations you sent' });
    await sent.getByRole('row', { name: new RegExp(`@${handle}`) }).getByText('Pending').waitFor();
    assert.equal(await sent.getByRole('row', { name: /@nobody-uses-this-handle/ }).getByText('Pending').count(), 1);
    assert.ok(!(await sent.innerText()).includes(`Courier ${kind}`), 'the inviter does not see who the handle belongs to');
    await shot(pageA, tag('invite-sent'));
  });

  it('one of B’s admins accepts the invitation; both see each other as partners', async () => {
    const email = `admin.${kind}.${Date.now().toString(36)}@courier.example`;
    const password = `Admin-${Math.random().toString(36).slice(2)}-pass`;
    assert.equal((await b.api.post('/api/v1/users', { email, role: 'admin', password })).status, 201);
    const adminB = await signIn({ owner_email: email, owner_password: password });
    await openPartners(adminB);
    const inbox = adminB.getByRole('region', { name: 'Invitations for you' });
    await inbox.getByText(`Shipper ${kind}`).waitFor();
    await shot(adminB, tag('invitation-received'));
    await inbox.getByRole('button', { name: `Accept the invitation from Shipper ${kind}` }).click();
    await adminB.getByRole('status').filter({ hasText: `You are now partners with Shipper ${kind}` }).waitFor();
    await adminB.getByRole('region', { name: 'Connected partners' }).getByRole('row', { name: new RegExp(`Shipper ${kind}`) }).waitFor();
    // The inbox and the partner list reload independently: wait for the inbox to go rather than
    // assuming it went before the partner row appeared.
    await inbox.waitFor({ state: 'detached' });
    assert.equal(await adminB.getByRole('region', { name: 'Invitations for you' }).count(), 0);
    await adminB.context().close();

    await pageA.reload();
    await pageA.getByRole('region', { name: 'Connected partners' }).getByRole('row', { name: new RegExp(`Courier ${kind}.*@${handle}`) }).waitFor();
    await pageA.getByRole('region', { name: 'Invitations you sent' }).getByRole('row', { name: new RegExp(`@${handle}`) }).getByText('Accepted').waitFor();
  });

  it('A shares a shipment with B from the shipment page', async () => {
    const now = Date.now();
    const created = await a.api.post('/api/v1/shipments', {
      kind: 'consignment',
      reference,
      title: 'Tiles for Utrecht',
      status: 'in_transit',
      eta: new Date(now + 3 * 3600_000).toISOString(),
      customer_reference: secret.customerRef,
      internal: { vin: secret.vin },
      stops: [
        { type: 'pickup', name: 'Depot Rotterdam', lat: 51.92, lon: 4.48, contact: { name: secret.contact } },
        { type: 'delivery', name: 'Site Utrecht', lat: 52.09, lon: 5.12 },
      ],
      cargo: [{ description: 'Pallets of tiles', quantity: 12 }],
    });
    assert.equal(created.status, 201, created.text);
    shipmentId = created.body.id;
    deviceId = (await a.api.post('/api/v1/devices', { name: 'Truck 7', external_id: `truck7-${kind}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}` })).body.id;
    assert.equal((await a.api.post(`/api/v1/shipments/${shipmentId}/sources`, { device_id: deviceId, layer: 'driver' })).status, 201);
    const fix = await a.api.post('/api/v1/positions', { positions: [{ device_id: deviceId, recorded_at: new Date().toISOString(), lat: 51.98, lon: 4.7 }] });
    assert.equal(fix.body.accepted, 1);

    notSharedId = (await a.api.post('/api/v1/shipments', { kind: 'consignment', reference: `${reference}-NS`, title: 'Not for partners', stops: [{ type: 'delivery', name: 'Elsewhere', lat: 52, lon: 5 }] })).body.id;
    assert.ok(notSharedId);

    await pageA.goto(`${base}/app/shipments/${shipmentId}`);
    // The owner has the share action (so its absence for B below means something).
    await pageA.getByRole('button', { name: 'Share tracking' }).waitFor();
    const card = pageA.getByRole('region', { name: 'Partner organizations' });
    await card.getByLabel('Partner', { exact: true }).selectOption({ label: `Courier ${kind} (@${handle})` });
    await card.getByRole('button', { name: 'Share with partner' }).click();
    await card.getByRole('button', { name: `Stop sharing with Courier ${kind}` }).waitFor();
  });

  it('B lists the shipment beside its own and follows its live position and ETA, with no share action', async () => {
    await pageB.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shipments' }).click();
    const row = pageB.getByRole('row', { name: new RegExp(`${reference}(?!-NS)`) });
    await row.getByText(`Shared by Shipper ${kind}`).waitFor();
    assert.equal(await pageB.getByRole('row', { name: new RegExp(`${reference}-NS`) }).count(), 0, 'a shipment not shared is not listed');
    await shot(pageB, tag('list'));
    await row.getByRole('link', { name: reference }).click();
    await pageB.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    await pageB.getByText(`Shared with you by Shipper ${kind}`).waitFor();
    const legend = pageB.locator('.legend', { hasText: 'driver: last seen' });
    await legend.waitFor();
    assert.equal(await pageB.locator('svg.minimap circle.now.layer-driver').count(), 1);
    const eta = pageB.locator('dt', { hasText: 'ETA' }).locator('xpath=following-sibling::dd[1]');
    const etaBefore = await eta.innerText();
    assert.notEqual(etaBefore.trim(), '—');
    await shot(pageB, tag('shipment'));

    // No share action, no editing, none of A's private data.
    assert.equal(await pageB.getByRole('button', { name: 'Share tracking' }).count(), 0);
    assert.equal(await pageB.getByRole('button', { name: 'Create tracking link' }).count(), 0);
    assert.equal(await pageB.getByRole('link', { name: 'Edit', exact: true }).count(), 0);
    assert.equal(await pageB.getByRole('region', { name: 'Contacts' }).count(), 0);
    assert.equal(await pageB.getByRole('region', { name: 'Partner organizations' }).count(), 0);
    const text = await pageB.locator('main').innerText();
    for (const s of Object.values(secret)) assert.ok(!text.includes(s), `${s} shown to the partner`);

    // The truck moves and the ETA changes: the open page follows on its next refresh.
    const later = new Date(Date.now() + 1000).toISOString();
    assert.equal((await a.api.post('/api/v1/positions', { positions: [{ device_id: deviceId, recorded_at: later, lat: 52.03, lon: 4.9 }] })).body.accepted, 1);
    assert.equal((await a.api.patch(`/api/v1/shipments/${shipmentId}`, { eta: new Date(Date.now() + 5 * 3600_000).toISOString() })).status, 200);
    const legendBefore = await legend.innerText();
    await pageB.clock.runFor(31_000);
    await pageB.waitForFunction((old) => {
      const dd = Array.from(document.querySelectorAll('dt')).find((d) => d.textContent === 'ETA')?.nextElementSibling;
      return dd && dd.textContent !== old;
    }, etaBefore);
    assert.notEqual(await eta.innerText(), etaBefore, 'the ETA follows');
    await pageB.waitForFunction((old) => document.querySelector('.legend')?.textContent !== old, legendBefore);
    assert.equal(((await b.api.get(`/api/v1/shipments/${shipmentId}/positions`)).body.items as { lat: number }[]).at(-1)?.lat, 52.03);
    assert.deepEqual(refusedForB, [], 'the app called an owner-only route for the partner');
    // The server refuses the share action outright, whatever the app shows.
    assert.equal((await b.api.post(`/api/v1/shipments/${shipmentId}/links`, {})).status, 403);
  });

  it('A’s shipment that was not shared stays unknown to B, in the app and the API', async () => {
    await pageB.goto(`${base}/app/shipments/${notSharedId}`);
    await pageB.getByRole('alert').getByText('Shipment not found').waitFor();
    assert.ok(!(await pageB.locator('main').innerText()).includes('Not for partners'));
    assert.equal((await b.api.get(`/api/v1/shipments/${notSharedId}`)).status, 404);
    assert.equal((await b.api.post(`/api/v1/shipments/${notSharedId}/links`, {})).status, 404);
  });

  it('A’s template editor says why the tracking link variable is unavailable while sharing is off', async () => {
    assert.equal((await a.api.patch('/api/v1/org', { sharing_enabled: false })).status, 200);
    try {
      await pageA.goto(`${base}/app/notifications/templates`);
      await pageA.getByRole('button', { name: 'New template' }).click();
      const note = pageA.getByRole('note', { name: 'Variables not available' });
      await note.getByText(/tracking links are turned off/).waitFor();
      const form = pageA.getByRole('form', { name: 'New email template' });
      assert.ok(!(await form.getByLabel('Text body').inputValue()).includes('tracking_link'), 'the starter leaves the link out');
      await form.getByLabel('Template name').fill('With link');
      await form.getByLabel('Text body').fill('Follow it: {{shipment.tracking_link}}');
      await form.getByRole('button', { name: 'Create template' }).click();
      await form.locator('.field.has-error', { hasText: 'Text body' }).getByText(/is not available: .*turned off/).waitFor();
      await shot(pageA, tag('template-link-unavailable'));
    } finally {
      await a.api.patch('/api/v1/org', { sharing_enabled: true });
    }
  });

  it('raised no page errors or console errors on any screen', () => {
    assert.deepEqual(watch.problems, []);
  });
});
