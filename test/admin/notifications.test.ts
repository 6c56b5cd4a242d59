// The Notifications area of the admin app in a real Chromium: an owner writes an email template
// with the variable picker, sees an unknown variable refused at its field, previews the email
// against a shipment, sets up a contact task, and adds a webhook whose secret is shown once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, type TestOrg } from '../helpers/context.js';
import { ROOT } from '../helpers/server.js';
import { recordSecret } from '../helpers/test-output.js';
import { ConsoleWatch, DESKTOP, PHONE, launchChromium, shot } from './browser.js';

const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-admin-build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('building the admin app failed');

/** Polls until the condition holds (the UI saves in the background). */
async function waitFor(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeInBrowser('admin app notifications in a browser', (ctx, kind) => {
  let browser: Browser;
  let base: string;
  let org: TestOrg;
  let page: Page;
  const watch = new ConsoleWatch();
  const stamp = Date.now().toString(36);
  const reference = `NT-${kind}-${stamp}`;
  const templateName = `On its way ${kind}`;
  const tag = (name: string) => `${kind}-notifications-${name}`;

  async function signIn(p: Page) {
    await p.goto(`${base}/app/`);
    await p.getByLabel('Email').fill(org.owner_email);
    await p.getByLabel('Password').fill(org.owner_password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
  }

  before(async () => {
    org = await ctx().newOrg({ name: `Notify Haulage ${kind}`, country: 'GB' });
    const created = await org.api.post('/api/v1/shipments', {
      kind: 'consignment',
      reference,
      title: 'Crates of oranges',
      stops: [
        { type: 'pickup', name: 'Depot Rotterdam' },
        { type: 'delivery', name: 'Customer Utrecht', contact: { name: 'Dirk', email: `dirk.${stamp}@example.test` } },
      ],
    });
    assert.equal(created.status, 201, created.text);
    await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const context = await browser.newContext(DESKTOP);
    watch.watch(context);
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page);
  });

  after(async () => {
    await browser?.close();
  });

  it('writes a template with the variable picker, refuses an unknown variable at its field and previews it against a shipment', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New template' }).click();
    const form = page.getByRole('form', { name: 'New email template' });
    await form.getByLabel('Template name').fill(templateName);

    // Typing "{{" in the subject opens the picker; searching and Enter inserts the variable at the cursor.
    const subject = form.getByLabel('Subject', { exact: true });
    await subject.fill('Update on ');
    await subject.press('End');
    await subject.pressSequentially('{{');
    const search = form.getByRole('combobox', { name: 'Search variables' });
    await search.waitFor();
    await search.fill('reference');
    assert.equal(await form.getByRole('option').count(), 1, 'the search narrows the list to one variable');
    await search.press('Enter');
    assert.equal(await subject.inputValue(), 'Update on {{shipment.reference}}');

    // The button inserts at the caret of the HTML body; an unknown variable is refused on save.
    const html = form.getByLabel('HTML body', { exact: true });
    await html.fill('<p>Shipment {{shipment.reference}} for {{shipment.customer}}: ');
    await html.press('End');
    await form.getByRole('button', { name: 'Insert variable into HTML body' }).click();
    await form.getByRole('option', { name: /shipment\.tracking_link/ }).click();
    assert.equal(await html.inputValue(), '<p>Shipment {{shipment.reference}} for {{shipment.customer}}: {{shipment.tracking_link}}');
    await form.getByRole('button', { name: 'Create template' }).click();
    const htmlField = form.locator('.field.has-error', { has: page.getByLabel('HTML body', { exact: true }) });
    await htmlField.locator('.field-error', { hasText: 'unknown variable {{shipment.customer}}' }).waitFor();
    assert.equal(await html.getAttribute('aria-invalid'), 'true');
    assert.equal(await form.locator('.field.has-error').count(), 1, 'only the HTML body is marked');
    await shot(page, tag('desktop-template-error'));

    // Email-style markup: inline and embedded styles, a remote image and a script. Under the
    // app's CSP the preview shows the styles, loads nothing remote and runs nothing (no console errors).
    await html.fill(
      '<style>strong { text-decoration: underline; }</style><p style="color: rgb(200, 0, 0)">Shipment <strong>{{shipment.reference}}</strong> for {{recipient.name}}: {{shipment.tracking_link}}</p>' +
        '<img src="https://images.example.test/logo.png" alt="Logo"><script>document.title = "ran"</script>',
    );
    await page.getByLabel('Shipment', { exact: true }).selectOption({ label: `${reference} — Crates of oranges` });
    await page.getByLabel('Stop', { exact: true }).selectOption({ label: '2. Customer Utrecht' });
    await page.getByLabel('Recipient name').fill('Dirk');
    await page.getByRole('button', { name: 'Preview email' }).click();
    await page.getByTestId('preview-subject').filter({ hasText: `Update on ${reference}` }).waitFor();
    const text = await page.getByTestId('preview-text').innerText();
    assert.match(text, new RegExp(`Hello Dirk,[\\s\\S]*${reference}`));
    // The HTML body renders in a sandboxed frame (scripts off, opaque origin).
    const frame = page.frameLocator('iframe.email-frame');
    await frame.locator('strong', { hasText: reference }).waitFor();
    assert.match(await frame.locator('body').innerText(), /for Dirk: http/);
    assert.equal(await page.locator('iframe.email-frame').getAttribute('sandbox'), 'allow-same-origin', 'scripts stay off in the frame');
    assert.equal(await frame.locator('p').first().evaluate((e) => getComputedStyle(e).color), 'rgb(200, 0, 0)');
    assert.match(await frame.locator('strong').evaluate((e) => getComputedStyle(e).textDecorationLine), /underline/);
    assert.equal(await frame.locator('script').count(), 0);
    assert.equal(await frame.locator('img').getAttribute('src'), null, 'the remote image is not loaded');
    await page.getByText('1 remote image is not loaded in the preview').waitFor();
    await shot(page, tag('desktop-template-preview'));

    await form.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('row', { name: new RegExp(templateName) }).waitFor();
    const saved = (await org.api.get('/api/v1/email-templates')).body.items as { name: string; subject: string }[];
    assert.deepEqual(saved.map((t) => [t.name, t.subject]), [[templateName, 'Update on {{shipment.reference}}']]);
  });

  it('creates a contact task that is listed with its trigger, recipients and template, and recalculates', async () => {
    await page.getByRole('navigation', { name: 'Notifications sections' }).getByRole('link', { name: 'Contact tasks' }).click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.getByRole('form', { name: 'New contact task' });
    await form.getByLabel('Task name').fill('Delivered notice');
    await form.getByLabel('Trigger').selectOption('status_changed');
    await form.getByLabel('New status').selectOption('delivered');
    await form.getByLabel('The shipment’s contacts').check();
    await form.getByLabel('Fixed addresses').fill('not-an-address');
    await form.getByRole('button', { name: 'Create task' }).click();
    // A bad fixed address is reported at the recipients group, not lost.
    await form.locator('fieldset.has-error .field-error').waitFor();
    await form.getByLabel('Fixed addresses').fill(`ops.${stamp}@example.test`);
    await form.getByLabel('Email template').selectOption({ label: templateName });
    await form.getByRole('button', { name: 'Create task' }).click();
    const row = page.getByRole('row', { name: /Delivered notice/ });
    await row.waitFor();
    const text = await row.innerText();
    for (const part of ['Status changed to Delivered', 'Stop contact', 'Shipment contacts', `ops.${stamp}@example.test`, templateName]) assert.ok(text.includes(part), `${part} in ${text}`);
    assert.equal(await row.getByRole('checkbox', { name: 'Task Delivered notice enabled' }).isChecked(), true);

    await row.getByRole('checkbox', { name: 'Task Delivered notice enabled' }).uncheck();
    await waitFor(async () => (await org.api.get('/api/v1/tasks')).body.items[0].enabled === false);
    await row.getByRole('checkbox', { name: 'Task Delivered notice enabled' }).check();
    await waitFor(async () => (await org.api.get('/api/v1/tasks')).body.items[0].enabled === true);

    await page.getByRole('button', { name: 'Recalculate' }).click();
    await page.getByRole('button', { name: 'Yes, recalculate' }).click();
    const report = await page.getByTestId('recalculate-report').innerText();
    assert.match(report, /Recalculated 1 shipment: \d+ recipient links? checked or created, 0 emails queued/);
    await shot(page, tag('desktop-tasks'));
  });

  it('adds a webhook whose signing secret is shown once, sends a test ping and lists it in the outbox', async () => {
    await page.getByRole('navigation', { name: 'Notifications sections' }).getByRole('link', { name: 'Webhooks' }).click();
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('Endpoint URL').fill('not a url');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await form.locator('.field.has-error', { has: page.getByLabel('Endpoint URL') }).locator('.field-error').waitFor();
    await form.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/tracklink-hook');
    await form.getByLabel('Link first viewed').uncheck();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').inputValue();
    recordSecret(secret);
    assert.match(secret, /^whsec_/);
    const hooks = (await org.api.get('/api/v1/webhooks')).body.items as { url: string; events: string[]; secret?: string }[];
    assert.equal(hooks.length, 1);
    assert.deepEqual([...hooks[0].events].sort(), ['link.created', 'link.expired', 'link.revoked']);
    assert.equal(hooks[0].secret, undefined, 'the list never returns the secret');
    await shot(page, tag('desktop-webhook-secret'));

    await page.reload();
    await page.getByText('http://127.0.0.1:9/tracklink-hook', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('webhook-secret').count(), 0, 'the secret is gone after a reload');
    assert.ok(!(await page.locator('body').innerText()).includes(secret));

    await page.getByRole('button', { name: 'Send test ping' }).click();
    await page.getByRole('table', { name: 'Recent deliveries' }).getByRole('row', { name: /ping/ }).waitFor();

    await page.getByRole('navigation', { name: 'Notifications sections' }).getByRole('link', { name: 'Outbox' }).click();
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByRole('table', { name: 'Outbox' }).getByRole('row', { name: /127\.0\.0\.1:9\/tracklink-hook/ }).waitFor();
    await shot(page, tag('desktop-outbox'));
  });

  it('deletes a contact task and a template only after "Yes, delete"; Keep leaves them', async () => {
    const spare = `Spare ${stamp}`;
    const tpl = await org.api.post('/api/v1/email-templates', { name: spare, subject: 'Spare', html: '<p>Spare</p>', text: 'Spare' });
    assert.equal(tpl.status, 201, tpl.text);
    const task = await org.api.post('/api/v1/tasks', { name: spare, trigger: 'shipment_created', level: 'shipment', recipients: ['shipment_contacts'], template_id: tpl.body.id, enabled: false });
    assert.equal(task.status, 201, task.text);
    const sections = page.getByRole('navigation', { name: 'Notifications sections' });
    // The task first: a template a task uses is not deleted.
    for (const [tab, what, path] of [
      ['Contact tasks', 'task', '/api/v1/tasks'],
      ['Email templates', 'template', '/api/v1/email-templates'],
    ] as const) {
      await sections.getByRole('link', { name: tab }).click();
      await page.reload();
      const row = page.getByRole('row', { name: new RegExp(spare) });
      const names = async () => ((await org.api.get(path)).body.items as { name: string }[]).map((i) => i.name);
      await row.getByRole('button', { name: `Delete ${what} ${spare}` }).click();
      await row.getByRole('group', { name: `Confirm deleting ${spare}` }).getByRole('button', { name: 'Keep' }).click();
      assert.ok((await names()).includes(spare), `Keep leaves the ${what}`);
      await row.getByRole('button', { name: `Delete ${what} ${spare}` }).click();
      await row.getByRole('group', { name: `Confirm deleting ${spare}` }).getByRole('button', { name: 'Yes, delete' }).click();
      await row.waitFor({ state: 'detached' });
      assert.ok(!(await names()).includes(spare), `the ${what} is deleted`);
    }
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newContext(PHONE);
    watch.watch(phone);
    try {
      const p = await phone.newPage();
      p.setDefaultTimeout(30_000);
      await signIn(p);
      await p.goto(`${base}/app/notifications/tasks`);
      await p.getByRole('row', { name: /Delivered notice/ }).waitFor();
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no sideways scrolling (overflow ${overflow}px)`);
      await shot(p, tag('phone-tasks'));
      await p.goto(`${base}/app/notifications/templates`);
      await p.getByRole('button', { name: /Edit template/ }).click();
      await p.getByRole('button', { name: 'Insert variable into Subject' }).click();
      await p.getByRole('combobox', { name: 'Search variables' }).waitFor();
      await shot(p, tag('phone-template-picker'));
    } finally {
      await phone.close();
    }
  });

  it('shows a viewer templates and tasks read-only, without the outbox or webhooks', async () => {
    const viewer = { email: `viewer.${kind}.${stamp}@example.test`, password: 'viewer-password-123' };
    await ctx().services.auth.createUser(org.actor, { email: viewer.email, name: 'Vera Viewer', role: 'viewer', password: viewer.password });
    const context = await browser.newContext(DESKTOP);
    watch.watch(context);
    try {
      const p = await context.newPage();
      p.setDefaultTimeout(30_000);
      await p.goto(`${base}/app/`);
      await p.getByLabel('Email').fill(viewer.email);
      await p.getByLabel('Password').fill(viewer.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
      await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
      await p.getByText('you can look').waitFor();
      const tabs = await p.getByRole('navigation', { name: 'Notifications sections' }).getByRole('link').allInnerTexts();
      assert.deepEqual(tabs, ['Email templates', 'Contact tasks']);
      await p.getByRole('row', { name: new RegExp(templateName) }).waitFor();
      assert.equal(await p.getByRole('button', { name: 'New template' }).count(), 0);
      await p.getByRole('button', { name: `View template ${templateName}` }).click();
      assert.equal(await p.getByLabel('Subject', { exact: true }).isDisabled(), true);
      assert.equal(await p.getByRole('button', { name: /Insert variable/ }).count(), 0);
      assert.equal(await p.getByRole('button', { name: 'Save template' }).count(), 0);
      await p.goto(`${base}/app/notifications/tasks`);
      const row = p.getByRole('row', { name: /Delivered notice/ });
      await row.waitFor();
      assert.equal(await row.getByRole('checkbox').isDisabled(), true);
      assert.equal(await p.getByRole('button', { name: 'Recalculate' }).count(), 0);
      await p.goto(`${base}/app/notifications/webhooks`);
      await p.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      assert.equal(await p.getByRole('form', { name: 'Add a webhook' }).count(), 0, 'a tab the role may not see falls back to the first');
    } finally {
      await context.close();
    }
  });

  it('logged no errors in any page', () => {
    assert.deepEqual(watch.problems, []);
  });
  },
  // The form is filled in with a loopback receiver's URL, which only such a server accepts.
  { WEBHOOK_ALLOW_PRIVATE: 'true' },
);
