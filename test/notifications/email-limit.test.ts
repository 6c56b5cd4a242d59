// EMAIL_DAILY_LIMIT: contact tasks may address anyone, so each organization sends at most so many
// emails in any 24 hours through the server's SMTP account; the rest wait, visibly, for a place.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeStores, type TestOrg } from '../helpers/context.js';
import { consignmentBody, uniqueRef } from '../helpers/fixtures.js';
import { startSmtpSink } from '../helpers/smtp.js';

const smtp = await startSmtpSink();
after(() => smtp.close());

const LIMIT = 3;
/** tasks.service.ts's MAX_EMAILS_PER_EVENT. */
const MAX_EMAILS_PER_EVENT = 500;
const DAY = 86_400_000;

/** A task emailing `recipients` on every new shipment; returns the new shipment's id. */
async function shipmentEmailing(org: TestOrg, recipients: string[]): Promise<string> {
  const tpl = await org.api.post('/api/v1/email-templates', { name: 'Offer', subject: 'Cheap watches', html: '<p>Buy now</p>', text: 'Buy now' });
  assert.equal(tpl.status, 201, tpl.text);
  const task = await org.api.post('/api/v1/tasks', { name: 'Blast', trigger: 'shipment_created', level: 'shipment', recipients, template_id: tpl.body.id });
  assert.equal(task.status, 201, task.text);
  const s = await org.api.post('/api/v1/shipments', consignmentBody({}));
  assert.equal(s.status, 201, s.text);
  return s.body.id;
}

const addresses = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}.${uniqueRef('x').toLowerCase()}@example.test`);
const delivered = (list: string[]) => list.filter((a) => smtp.to(a).length).length;

await describeStores(
  'daily email limit per organization',
  (ctx) => {
    it('sends an organization at most EMAIL_DAILY_LIMIT emails a day, holds the rest without spending attempts, and sends them once a place frees', async () => {
      const spammer = await ctx().newOrg();
      const victims = addresses(LIMIT + 2, 'v');
      const shipmentId = await shipmentEmailing(spammer, victims);
      const other = await ctx().newOrg();
      const customer = addresses(1, 'c');
      await shipmentEmailing(other, customer);

      const started = Date.now();
      for (let i = 0; i < 3; i++) await ctx().services.notifications.worker.runOnce();
      assert.equal(delivered(victims), LIMIT, 'only the day’s limit went out');
      assert.equal(delivered(customer), 1, 'another organization’s email is not held by it');
      const held = (await spammer.api.get(`/api/v1/outbox?shipment_id=${shipmentId}&status=pending`)).body.items;
      assert.equal(held.length, 2);
      for (const row of held) {
        assert.match(row.last_error, /EMAIL_DAILY_LIMIT/);
        assert.equal(row.attempts, 0, 'holding back is not a failed attempt');
        assert.ok(Date.parse(row.next_attempt_at) >= started + DAY - 60_000, `waits about a day: ${row.next_attempt_at}`);
      }
      // Retrying failed emails is no way around it either: held ones are not failed.
      assert.equal((await spammer.api.post('/api/v1/outbox/retry', {})).body.retried, 0);

      // A day later (the sends moved back 25 hours, the held rows due now) they go out.
      const db = ctx().store.db;
      await db.updateTable('outbox').set({ sent_at: started - DAY - 3_600_000 }).where('org_id', '=', spammer.org_id).where('status', '=', 'sent').execute();
      await db.updateTable('outbox').set({ next_attempt_at: Date.now() }).where('org_id', '=', spammer.org_id).where('status', '=', 'pending').execute();
      for (let i = 0; i < 2; i++) await ctx().services.notifications.worker.runOnce();
      assert.equal(delivered(victims), LIMIT + 2, 'the held emails were sent once a place freed');
      for (const a of victims) assert.equal(smtp.to(a).length, 1, a);
    });

    it('records at most 500 emails for one shipment event, however many tasks and addresses multiply', async () => {
      const org = await ctx().newOrg();
      const tpl = await org.api.post('/api/v1/email-templates', { name: 'Offer', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' });
      for (let t = 0; t < 11; t++) {
        const task = await org.api.post('/api/v1/tasks', { name: `Blast ${t}`, trigger: 'shipment_created', level: 'shipment', recipients: addresses(50, `t${t}-`), template_id: tpl.body.id });
        assert.equal(task.status, 201, task.text);
      }
      const s = await org.api.post('/api/v1/shipments', consignmentBody({}));
      assert.equal(s.status, 201, s.text);
      const recorded = await ctx().repos.notifications.listOutbox(org.org_id, { shipmentId: s.body.id, limit: 1000 });
      assert.equal(recorded.length, MAX_EMAILS_PER_EVENT, '11 tasks of 50 addresses');
    });
  },
  { SMTP_URL: smtp.url, EMAIL_DAILY_LIMIT: String(LIMIT) },
);
