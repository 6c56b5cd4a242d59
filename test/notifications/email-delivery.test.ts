// Contact tasks end to end: a shipment event records emails in the outbox, the worker sends them
// over real SMTP, each recipient gets their own working link, and nothing is ever sent twice.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { createStore } from '../../src/db/index.js';
import { createServices } from '../../src/services.js';
import { describeStores, type TestContext, type TestOrg } from '../helpers/context.js';
import { consignmentBody, uniqueRef } from '../helpers/fixtures.js';
import { drainOutbox, startSmtpSink, waitFor } from '../helpers/smtp.js';

const smtp = await startSmtpSink();
after(() => smtp.close());

/**
 * OUTBOX_LEASE_MS of these tests: short, so a claim that is not renewed runs out within the test,
 * and long enough that a busy machine stalling this process for a second between two renewals
 * (every third of it) does not let the claim run out under a worker that is still sending.
 */
const LEASE_MS = 1500;

const LINK = /http:\/\/tracklink\.test\/t\/[A-Za-z0-9_-]+/;

async function setup(org: TestOrg, recipients: string[], overrides: Record<string, unknown> = {}) {
  const tpl = await org.api.post('/api/v1/email-templates', {
    name: 'On its way',
    subject: '{{shipment.reference}} is on its way, {{recipient.name}}',
    html: '<p>Hello {{recipient.name}},</p><p>{{org.name}} ships <b>{{shipment.reference}}</b>. <a href="{{shipment.tracking_link}}">Track it</a></p>',
    text: 'Hello {{recipient.name}}, track {{shipment.reference}} at {{shipment.tracking_link}}',
  });
  assert.equal(tpl.status, 201, tpl.text);
  const task = await org.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients, template_id: tpl.body.id, enabled: true, ...overrides });
  assert.equal(task.status, 201, task.text);
  return { template: tpl.body, task: task.body };
}

async function shipmentWith(ctx: TestContext, org: TestOrg, body: Record<string, unknown>) {
  const r = await org.api.post('/api/v1/shipments', consignmentBody(body));
  assert.equal(r.status, 201, r.text);
  void ctx;
  return r.body as { id: string; reference: string };
}

await describeStores(
  'contact task emails',
  (ctx) => {
    it('emails each shipment contact the right subject and their own link, and revoking one link leaves the other working', async () => {
      const org = await ctx().newOrg({ name: 'Acme Haulage' });
      await setup(org, ['shipment_contacts']);
      const ann = `ann.${uniqueRef('a').toLowerCase()}@example.test`;
      const bob = `bob.${uniqueRef('b').toLowerCase()}@example.test`;
      const title = `Tiles ${uniqueRef('T')}`;
      const s = await shipmentWith(ctx(), org, { title, contacts: [{ name: 'Ann', email: ann }, { name: 'Bob', email: bob }] });
      await drainOutbox(ctx().services, org, s.id);

      const [toAnn, toBob] = [smtp.to(ann), smtp.to(bob)];
      assert.equal(toAnn.length, 1);
      assert.equal(toBob.length, 1);
      assert.equal(toAnn[0].subject, `${s.reference} is on its way, Ann`);
      assert.equal(toBob[0].subject, `${s.reference} is on its way, Bob`);
      assert.match(toAnn[0].html, /Acme Haulage ships/);
      const annUrl = LINK.exec(toAnn[0].text)?.[0];
      const bobUrl = LINK.exec(toBob[0].text)?.[0];
      assert.ok(annUrl && bobUrl, 'both emails carry a tracking link');
      assert.notEqual(annUrl, bobUrl, 'each recipient has their own link');
      assert.ok(toAnn[0].html.includes(`href="${annUrl}"`), 'the HTML body links to the same URL');

      for (const url of [annUrl, bobUrl]) {
        const page = await ctx().anon.get(new URL(url).pathname);
        assert.equal(page.status, 200, 'the link opens the public page');
        assert.ok(page.text.includes(title), 'the page is this shipment’s');
      }
      const sent = await org.api.get(`/api/v1/outbox?shipment_id=${s.id}&status=sent`);
      assert.equal(sent.body.items.length, 2);
      const [annRow] = (await org.api.get(`/api/v1/outbox?recipient=${encodeURIComponent(ann.toUpperCase())}`)).body.items;
      assert.equal(annRow.subject, `${s.reference} is on its way, Ann`);
      const links = await org.api.get(`/api/v1/links?shipment_id=${s.id}`);
      assert.equal(links.status, 200, links.text);
      const annLink = links.body.items.find((l: { id: string }) => l.id === annRow.link_id);
      assert.ok(annLink, 'the outbox names the link it sent');
      assert.equal((await org.api.post(`/api/v1/links/${annRow.link_id}/revoke`, {})).status, 200);
      assert.equal((await ctx().anon.get(new URL(annUrl).pathname)).status, 404, 'the revoked link is dead');
      const bobPage = await ctx().anon.get(new URL(bobUrl).pathname);
      assert.equal(bobPage.status, 200, 'the other recipient’s link still works');
      assert.ok(bobPage.text.includes(title));
    });

    it('reuses a recipient’s link for later emails about the same shipment', async () => {
      const org = await ctx().newOrg();
      const { template } = await setup(org, ['shipment_contacts']);
      await org.api.post('/api/v1/tasks', { name: 'Delivered', trigger: 'status_changed', status: 'delivered', level: 'shipment', recipients: ['shipment_contacts'], template_id: template.id });
      const cy = `cy.${uniqueRef('c').toLowerCase()}@example.test`;
      const s = await shipmentWith(ctx(), org, { contacts: [{ name: 'Cy', email: cy }] });
      await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'delivered' });
      await drainOutbox(ctx().services, org, s.id);
      const mails = smtp.to(cy);
      assert.equal(mails.length, 2);
      assert.equal(LINK.exec(mails[0].text)?.[0], LINK.exec(mails[1].text)?.[0]);
    });

    it('escapes a shipment reference containing HTML and script in the HTML body, and keeps it literal in the text', async () => {
      const org = await ctx().newOrg();
      const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>&${uniqueRef('R')}`;
      const to = `eve.${uniqueRef('e').toLowerCase()}@example.test`;
      await setup(org, [to]);
      const s = await shipmentWith(ctx(), org, { reference: evil });
      await drainOutbox(ctx().services, org, s.id);
      const [mail] = smtp.to(to);
      assert.ok(mail, 'the email was sent');
      assert.ok(!mail.html.includes('<script>'), 'no script tag reaches the HTML body');
      assert.ok(!mail.html.includes('<img src=x'), 'no injected element reaches the HTML body');
      assert.ok(mail.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'), mail.html);
      assert.ok(mail.text.includes(evil), 'the text body shows the reference as it is');
      assert.ok(mail.subject.startsWith(evil), 'the subject is plain text');
    });

    it('sends once after the SMTP server refused with 451 and then 554', async () => {
      const org = await ctx().newOrg();
      const to = `retry.${uniqueRef('r').toLowerCase()}@example.test`;
      await setup(org, [to]);
      smtp.refuse([451, 554]);
      const before = smtp.refused();
      const s = await shipmentWith(ctx(), org, {});
      await ctx().services.notifications.worker.runOnce();
      const failing = await waitFor(async () => (await org.api.get(`/api/v1/outbox?shipment_id=${s.id}`)).body.items.find((o: { last_error: string | null }) => o.last_error), 'first failure recorded');
      assert.equal(failing.status, 'pending', 'a refused email waits for its retry');
      assert.match(failing.last_error, /451/);
      await drainOutbox(ctx().services, org, s.id);
      assert.equal(smtp.refused() - before, 2);
      assert.equal(smtp.to(to).length, 1);
      const [row] = (await org.api.get(`/api/v1/outbox?shipment_id=${s.id}`)).body.items;
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 3);
      assert.equal(row.last_error, null);
    });

    it('marks an email failed with its last error after the last attempt, and sends it once when retried', async () => {
      const org = await ctx().newOrg();
      const to = `fail.${uniqueRef('f').toLowerCase()}@example.test`;
      await setup(org, [to]);
      smtp.refuse([550, 550, 550]);
      const s = await shipmentWith(ctx(), org, {});
      const failed = await waitFor(async () => {
        await ctx().services.notifications.worker.runOnce();
        return (await org.api.get(`/api/v1/outbox?shipment_id=${s.id}&status=failed`)).body.items[0];
      }, 'email marked failed');
      assert.equal(failed.attempts, 3);
      assert.match(failed.last_error, /550/);
      assert.equal(smtp.to(to).length, 0);
      const retried = await org.api.post('/api/v1/outbox/retry', { ids: [failed.id] });
      assert.deepEqual(retried.body, { retried: 1 });
      await drainOutbox(ctx().services, org, s.id);
      assert.equal(smtp.to(to).length, 1);
    });

    it('sends no link while sharing is off, and recalculating after sharing is turned on sends it once', async () => {
      const org = await ctx().newOrg();
      const to = `later.${uniqueRef('l').toLowerCase()}@example.test`;
      await setup(org, [to]);
      assert.equal((await org.api.patch('/api/v1/org', { sharing_enabled: false })).status, 200);
      const s = await shipmentWith(ctx(), org, {});
      const failed = await waitFor(async () => {
        await ctx().services.notifications.worker.runOnce();
        return (await org.api.get(`/api/v1/outbox?shipment_id=${s.id}&status=failed`)).body.items[0];
      }, 'email held back');
      assert.match(failed.last_error, /Sharing is turned off/);
      assert.equal(smtp.to(to).length, 0);
      await org.api.patch('/api/v1/org', { sharing_enabled: true });
      const recalc = await org.api.post('/api/v1/tasks/recalculate', { shipment_id: s.id });
      assert.equal(recalc.body.emails_queued, 1);
      await drainOutbox(ctx().services, org, s.id);
      assert.equal((await org.api.post('/api/v1/tasks/recalculate', { shipment_id: s.id })).body.emails_queued, 0);
      await drainOutbox(ctx().services, org, s.id);
      assert.equal(smtp.to(to).length, 1);
      assert.ok(LINK.test(smtp.to(to)[0].text));
    });

    it('sends an email whose worker died after claiming it, once its claim has run out', async () => {
      const org = await ctx().newOrg();
      const to = `crash.${uniqueRef('k').toLowerCase()}@example.test`;
      await setup(org, [to]);
      const s = await shipmentWith(ctx(), org, {});
      // A worker claims the row and dies: its lease (already over here) is all that is left of it.
      const claimed = await ctx().repos.notifications.claim(Date.now(), Date.now() - 1, 100, ['email'], 'dead-worker');
      assert.ok(claimed.some((r) => r.recipient === to));
      assert.equal((await org.api.get(`/api/v1/outbox?shipment_id=${s.id}`)).body.items[0].status, 'sending');
      await drainOutbox(ctx().services, org, s.id);
      assert.equal(smtp.to(to).length, 1);
      const [row] = (await org.api.get(`/api/v1/outbox?shipment_id=${s.id}`)).body.items;
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 2, 'the dead claim counts as an attempt');
    });

    it('keeps its claim while a slow SMTP server takes several leases to answer: another instance never sends the email too', async () => {
      const org = await ctx().newOrg();
      const to = `slow.${uniqueRef('w').toLowerCase()}@example.test`;
      await setup(org, [to]);
      const s = await shipmentWith(ctx(), org, {});
      const store = createStore(ctx().config.database);
      const other = createServices(ctx().config, store);
      smtp.stall(4 * LEASE_MS);
      try {
        const sending = ctx().services.notifications.worker.runOnce();
        await waitFor(() => smtp.to(to).length === 1, 'the SMTP server has the message');
        let taken = 0;
        for (const until = Date.now() + 2.5 * LEASE_MS; Date.now() < until; await new Promise((r) => setTimeout(r, LEASE_MS / 6))) {
          taken += await other.notifications.worker.runOnce();
        }
        assert.equal(taken, 0, 'the sending worker renewed its claim');
        assert.equal(await sending, 1);
      } finally {
        smtp.stall(0);
        await other.stop();
        await store.close();
      }
      const [row] = (await org.api.get(`/api/v1/outbox?shipment_id=${s.id}`)).body.items;
      assert.deepEqual([row.status, row.attempts], ['sent', 1]);
      assert.equal(smtp.to(to).length, 1);
      assert.equal(smtp.to(to)[0].messageId, `<${row.id}.outbox@localhost>`, 'the Message-ID names the outbox row, so every attempt carries the same');
    });

    it('sends exactly once when the service restarts between recording and sending, and when two instances drain together', async () => {
      const org = await ctx().newOrg();
      const first = `restart.${uniqueRef('s').toLowerCase()}@example.test`;
      const many = Array.from({ length: 8 }, (_, i) => `many${i}.${uniqueRef('m').toLowerCase()}@example.test`);
      await setup(org, [first, ...many]);
      const s = await shipmentWith(ctx(), org, {});
      // The recording instance stops before its worker ever ran.
      await ctx().services.notifications.stop();
      const queued = await org.api.get(`/api/v1/outbox?shipment_id=${s.id}&status=pending`);
      assert.equal(queued.body.items.length, 9, 'recorded with the event, before any sending');

      const instances = [0, 1].map(() => {
        const store = createStore(ctx().config.database);
        return { store, services: createServices(ctx().config, store) };
      });
      try {
        const handled = await Promise.all(instances.map((i) => i.services.notifications.worker.runOnce()));
        assert.equal(handled[0] + handled[1], 9, 'the two instances split the work without overlap');
        for (const i of instances) assert.equal(await i.services.notifications.worker.runOnce(), 0, 'nothing is left to send');
      } finally {
        for (const i of instances) {
          await i.services.stop();
          await i.store.close();
        }
      }
      assert.equal(smtp.to(first).length, 1);
      for (const m of many) assert.equal(smtp.to(m).length, 1, m);
    });
  },
  { SMTP_URL: smtp.url, OUTBOX_RETRY_BASE_MS: '10', OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_LEASE_MS: String(LEASE_MS) },
);
