// Emails follow the recipient's link policy (issue 15 §2): a variable whose part the recipient's
// own tracking link does not show renders empty, over real SMTP; the link's own options count,
// not only the org's template; and the template preview names the variables that render empty.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody, uniqueRef } from '../helpers/fixtures.js';
import { drainOutbox, startSmtpSink } from '../helpers/smtp.js';

const smtp = await startSmtpSink();
after(() => smtp.close());

/** One line per variable whose visibility depends on the link, so each can be read back alone. */
const TEXT = 'status=[{{shipment.status}}] eta=[{{shipment.eta}}] stop=[{{stop.name}}] addr=[{{stop.address}}] stopeta=[{{stop.eta}}] ref=[{{shipment.reference}}] title=[{{shipment.title}}]';
const ETA = '2026-12-01T14:00:00.000Z';

const field = (text: string, name: string) => new RegExp(`${name}=\\[([^\\]]*)\\]`).exec(text)?.[1];

await describeStores(
  'emails follow the link policy',
  (ctx) => {
    it("renders a variable empty where the recipient's link hides its section, and filled where that link shows it", async () => {
      const org = await ctx().newOrg();
      const tpl = await org.api.post('/api/v1/email-templates', { name: 'Policy', subject: 'About {{shipment.title}}', html: `<p>${TEXT}</p>`, text: TEXT });
      assert.equal(tpl.status, 201, tpl.text);
      for (const [name, trigger] of [
        ['Created', { trigger: 'shipment_created' }],
        ['Delivered', { trigger: 'status_changed', status: 'delivered' }],
      ] as const) {
        const task = await org.api.post('/api/v1/tasks', { name, ...trigger, level: 'shipment', recipients: ['shipment_contacts'], template_id: tpl.body.id, enabled: true });
        assert.equal(task.status, 201, task.text);
      }
      // The org's template hides status, ETA, stops and the reference.
      const t = await org.api.put('/api/v1/org/link-template', { status: false, eta: false, stops: false, reference: false });
      assert.equal(t.status, 200, t.text);
      const to = `rae.${uniqueRef('r').toLowerCase()}@example.test`;
      const s = (await org.api.post('/api/v1/shipments', consignmentBody({ title: 'Visible title', eta: ETA, contacts: [{ name: 'Rae', email: to }] }))).body as { id: string; reference: string };
      await drainOutbox(ctx().services, org, s.id);
      const [first] = smtp.to(to);
      assert.ok(first, 'the email was sent');
      for (const name of ['status', 'eta', 'stop', 'addr', 'stopeta', 'ref']) assert.equal(field(first.text, name), '', `${name} renders empty in the text`);
      for (const name of ['status', 'eta', 'stop', 'addr', 'stopeta', 'ref']) assert.equal(field(first.html, name), '', `${name} renders empty in the HTML`);
      assert.equal(field(first.text, 'title'), 'Visible title', 'what every page shows is there');
      assert.ok(!first.text.includes(s.reference) && !first.html.includes(s.reference), 'the hidden reference is nowhere');

      // The recipient's own link shows them: the next email says them.
      const links = await org.api.get(`/api/v1/links?shipment_id=${s.id}`);
      const own = links.body.items.find((l: { recipient: { email: string } | null }) => l.recipient?.email === to);
      assert.ok(own, 'the recipient has their own link');
      const patched = await org.api.patch(`/api/v1/links/${own.id}`, { options: { status: true, eta: true, stops: true, reference: true } });
      assert.equal(patched.status, 200, patched.text);
      assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'delivered' })).status, 200);
      await drainOutbox(ctx().services, org, s.id);
      const second = smtp.to(to)[1];
      assert.ok(second, 'the second email was sent');
      assert.equal(field(second.text, 'status'), 'Delivered');
      assert.equal(field(second.text, 'eta'), '1 Dec 2026, 14:00 UTC');
      assert.equal(field(second.text, 'ref'), s.reference);
      assert.equal(field(second.text, 'stop'), 'Depot', 'the next stop not reached');
      assert.equal(field(second.text, 'addr'), 'Main St 1');
    });

    it('warns in the preview which variables render empty for the link template, and renders them empty there too', async () => {
      const org = await ctx().newOrg();
      const s = (await org.api.post('/api/v1/shipments', consignmentBody({ eta: ETA }))).body as { id: string };
      const draft = { subject: 'x', html: '', text: TEXT, shipment_id: s.id };
      const shown = await org.api.post('/api/v1/email-templates/preview', draft);
      assert.equal(shown.status, 200, shown.text);
      assert.deepEqual(shown.body.warnings, [], 'nothing is hidden by the default template');
      assert.equal(field(shown.body.text, 'eta'), '1 Dec 2026, 14:00 UTC');

      await org.api.put('/api/v1/org/link-template', { eta: false, estimated_times: false });
      const hidden = await org.api.post('/api/v1/email-templates/preview', draft);
      assert.equal(hidden.status, 200, hidden.text);
      assert.deepEqual(
        hidden.body.warnings.map((w: { variable: string }) => w.variable),
        ['shipment.eta', 'stop.eta'],
      );
      assert.match(hidden.body.warnings[0].message, /renders empty/);
      assert.equal(field(hidden.body.text, 'eta'), '');
      assert.equal(field(hidden.body.text, 'stopeta'), '');
      assert.equal(field(hidden.body.text, 'stop'), 'Depot', 'stops are still shown');
    });
  },
  { SMTP_URL: smtp.url, OUTBOX_RETRY_BASE_MS: '10' },
);
