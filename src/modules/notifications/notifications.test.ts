import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody, uniqueRef } from '../../../test/helpers/fixtures.js';
import { backoffMs } from './outbox.worker.js';
import { deliveriesFor, taskFires } from './recipients.js';
import { checkTemplate, MAX_TAGS, renderTemplate, TEMPLATE_VARIABLES, type TemplateValues } from './render.js';

const ISSUE_VARIABLES = ['shipment.tracking_link', 'shipment.reference', 'shipment.title', 'shipment.status', 'shipment.eta', 'stop.name', 'stop.eta', 'recipient.name', 'org.name'];

const values = Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v.name, ''])) as TemplateValues;

it('renders values escaped in HTML, literal in text, and on one line in the subject', () => {
  const out = renderTemplate(
    { subject: 'About {{ shipment.reference }}', html: '<p title="{{shipment.reference}}">{{shipment.reference}}</p>', text: '{{shipment.reference}}' },
    { ...values, 'shipment.reference': `A&B <i>"x"</i>\r\nBcc: evil@example.test` },
  );
  assert.equal(out.html, '<p title="A&amp;B &lt;i&gt;&quot;x&quot;&lt;/i&gt;\r\nBcc: evil@example.test">A&amp;B &lt;i&gt;&quot;x&quot;&lt;/i&gt;\r\nBcc: evil@example.test</p>');
  assert.equal(out.text, `A&B <i>"x"</i>\r\nBcc: evil@example.test`);
  assert.equal(out.subject, 'About A&B <i>"x"</i> Bcc: evil@example.test');
});

it('never expands variables that appear inside a value', () => {
  const out = renderTemplate({ subject: '{{shipment.reference}}', html: '{{shipment.reference}}', text: '{{shipment.reference}}' }, { ...values, 'shipment.reference': '{{org.name}}', 'org.name': 'SECRET' });
  assert.deepEqual(out, { subject: '{{org.name}}', html: '{{org.name}}', text: '{{org.name}}' });
});

it('refuses unknown and unclosed variables, naming each one', () => {
  assert.throws(() => checkTemplate({ subject: '{{shipment.ref}}', html: '{{ org.name }} {{stop.nope}}', text: 'Hi {{recipient.name' }), (err: { details: { path: string; message: string }[] }) => {
    const messages = err.details.map((d) => `${d.path}: ${d.message}`);
    assert.deepEqual(messages, ['body/subject: unknown variable {{shipment.ref}}', 'body/html: unknown variable {{stop.nope}}', 'body/text: a "{{" is never closed with "}}"']);
    return true;
  });
  assert.doesNotThrow(() => checkTemplate({ subject: ISSUE_VARIABLES.map((v) => `{{${v}}}`).join(' ') }));
});

it('refuses a part with more than MAX_TAGS "{{" before scanning it, and never lets a tag span another "{{"', () => {
  // A dispatcher's draft preview of 200,000 characters of "{{" held the event loop for 22 s on the
  // old lazy pattern (one scan to the end per "{{"): now it is refused by a count, and the pattern
  // itself cannot span a brace.
  const refused = (parts: Parameters<typeof checkTemplate>[0]) => {
    try {
      checkTemplate(parts);
    } catch (err) {
      return (err as { details: { path: string; message: string }[] }).details;
    }
    return [];
  };
  assert.deepEqual(refused({ subject: '{{'.repeat(250), html: '{{'.repeat(100_000), text: '{{shipment.reference}} '.repeat(MAX_TAGS + 1) }).slice(1), [
    { path: 'body/html', message: `more than ${MAX_TAGS} "{{" in one part` },
    { path: 'body/text', message: `more than ${MAX_TAGS} "{{" in one part` },
  ]);
  assert.deepEqual(refused({ text: '{{shipment.reference}} '.repeat(MAX_TAGS) }), [], 'exactly MAX_TAGS known variables are fine');
  assert.deepEqual(refused({ html: '{{ {{shipment.reference}}' }).map((d) => d.message), ['a "{{" is never closed with "}}"'], 'a tag never spans another "{{"');
});

it('fires status tasks on their status only, and ETA tasks only beyond their threshold and level', () => {
  const statusTask = { trigger: 'status_changed' as const, status: 'delivered', eta_change_minutes: null, level: 'shipment' as const };
  assert.equal(taskFires(statusTask, 'status_changed', { from: 'in_transit', to: 'delivered' }), true);
  assert.equal(taskFires(statusTask, 'status_changed', { from: 'planned', to: 'in_transit' }), false);
  assert.equal(taskFires(statusTask, 'eta_changed', { minutes: 90 }), false);
  const eta = { trigger: 'eta_changed' as const, status: null, eta_change_minutes: 30, level: 'shipment' as const };
  assert.equal(taskFires(eta, 'eta_changed', { minutes: -45 }), true);
  assert.equal(taskFires(eta, 'eta_changed', { minutes: 30 }), false);
  assert.equal(taskFires(eta, 'eta_changed', { minutes: 45, stop_index: 1 }), false, 'a stop ETA is not the shipment ETA');
  assert.equal(taskFires({ ...eta, level: 'stop' }, 'eta_changed', { minutes: 45, stop_index: 1 }), true);
  assert.equal(taskFires(eta, 'eta_changed', { minutes: null }), false, 'an ETA set for the first time did not move');
});

it('gives a stop-level task one email per concerned stop and a shipment-level task one per address', () => {
  const stops = [
    { seq: 0, contact_name: 'Pia', contact_email: 'Pia@Example.test' },
    { seq: 1, contact_name: 'Dirk', contact_email: 'dirk@example.test' },
  ];
  const contacts = [{ name: 'Ann', email: 'ann@example.test' }];
  const stopTask = { id: 't1', level: 'stop' as const, recipients: JSON.stringify(['stop_contact', 'ops@example.test']) };
  const arrived = deliveriesFor(stopTask, 'e1', 1, stops, contacts);
  assert.deepEqual(arrived.map((d) => [d.stopIndex, d.email]), [[1, 'dirk@example.test'], [1, 'ops@example.test']]);
  const created = deliveriesFor(stopTask, 'e2', null, stops, contacts);
  assert.equal(created.length, 4, 'both stops, each with its contact and the fixed address');
  const shipmentTask = { id: 't2', level: 'shipment' as const, recipients: JSON.stringify(['stop_contact', 'shipment_contacts', 'ann@example.test']) };
  const once = deliveriesFor(shipmentTask, 'e3', null, stops, contacts);
  assert.deepEqual(once.map((d) => d.email).sort(), ['ann@example.test', 'dirk@example.test', 'pia@example.test']);
  assert.equal(new Set(once.map((d) => d.dedupeKey)).size, 3);
});

it('backs off exponentially from the base delay, capped at one hour', () => {
  const mid = () => 0.5;
  assert.equal(backoffMs(1, 1000, mid), 1000);
  assert.equal(backoffMs(4, 1000, mid), 8000);
  assert.equal(backoffMs(40, 1000, mid), 3600_000);
});

async function template(org: TestOrg) {
  const r = await org.api.post('/api/v1/email-templates', { name: 'Status', subject: '{{shipment.reference}}: {{shipment.status}}', html: '<p>{{stop.name}} {{shipment.tracking_link}}</p>', text: '{{shipment.tracking_link}}' });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string };
}

async function outbox(org: TestOrg, shipmentId: string) {
  const r = await org.api.get(`/api/v1/outbox?shipment_id=${shipmentId}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items as { id: string; recipient: string; event_type: string; status: string; task_id: string }[];
}

await describeStores('notifications API', (ctx) => {
  it('lists every template variable for an editor, including all the issue names', async () => {
    const { api } = await ctx().newOrg();
    const r = await api.get('/api/v1/email-templates/variables');
    assert.equal(r.status, 200);
    const names = r.body.items.map((v: { name: string }) => v.name);
    for (const v of ISSUE_VARIABLES) assert.ok(names.includes(v), v);
    assert.equal(r.body.items[0].token, '{{shipment.tracking_link}}');
  });

  it('rejects a template with an unknown variable with 400 and saves nothing', async () => {
    const org = await ctx().newOrg();
    const bad = await org.api.post('/api/v1/email-templates', { name: 'x', subject: 'Hi {{recipient.nmae}}', html: '<p/>', text: 't' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.deepEqual(bad.body.error.details[0], { path: 'body/subject', message: 'unknown variable {{recipient.nmae}}', variable: 'recipient.nmae' });
    assert.equal((await org.api.get('/api/v1/email-templates')).body.items.length, 0);
    const t = await template(org);
    const patch = await org.api.patch(`/api/v1/email-templates/${t.id}`, { html: '{{shipment.secret}}' });
    assert.equal(patch.status, 400);
    assert.equal((await org.api.get(`/api/v1/email-templates/${t.id}`)).body.html, '<p>{{stop.name}} {{shipment.tracking_link}}</p>');
  });

  it('previews a template against a shipment with the reference escaped, and another org’s shipment is not found', async () => {
    const org = await ctx().newOrg({ name: 'Preview & Co' });
    const other = await ctx().newOrg();
    const t = await template(org);
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ reference: `<b>${uniqueRef('P')}</b>`, status: 'in_transit' }))).body;
    const r = await org.api.post(`/api/v1/email-templates/${t.id}/preview`, { shipment_id: s.id, stop_index: 1 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.subject, `${s.reference}: In transit`);
    assert.match(r.body.html, /^<p>Customer http:\/\/tracklink\.test\/t\//);
    const draft = await org.api.post('/api/v1/email-templates/preview', { subject: '{{org.name}}', html: '{{shipment.reference}}', text: '', shipment_id: s.id });
    assert.equal(draft.body.html, s.reference.replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;'));
    assert.equal(draft.body.subject, 'Preview & Co');
    const foreign = (await other.api.post('/api/v1/shipments', consignmentBody())).body;
    assert.equal((await org.api.post(`/api/v1/email-templates/${t.id}/preview`, { shipment_id: foreign.id })).status, 404);
  });

  it('validates tasks: the template must be the org’s own, and trigger parameters must match the trigger', async () => {
    const org = await ctx().newOrg();
    const other = await ctx().newOrg();
    const foreign = await template(other);
    const r = await org.api.post('/api/v1/tasks', { name: 'x', trigger: 'shipment_created', level: 'shipment', recipients: ['a@example.test'], template_id: foreign.id });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.details[0].path, 'body/template_id');
    const t = await template(org);
    const mixed = await org.api.post('/api/v1/tasks', { name: 'x', trigger: 'shipment_created', status: 'delivered', level: 'shipment', recipients: ['a@example.test'], template_id: t.id });
    assert.equal(mixed.status, 400);
    const badRecipient = await org.api.post('/api/v1/tasks', { name: 'x', trigger: 'shipment_created', level: 'shipment', recipients: ['everyone'], template_id: t.id });
    assert.equal(badRecipient.status, 400);
    const ok = await org.api.post('/api/v1/tasks', { name: 'x', trigger: 'eta_changed', eta_change_minutes: 30, level: 'shipment', recipients: ['A@Example.test'], template_id: t.id });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.body.recipients, ['a@example.test']);
    assert.equal(ok.body.enabled, true);
    const del = await org.api.delete(`/api/v1/email-templates/${t.id}`);
    assert.equal(del.status, 409, 'a template in use cannot be deleted');
    const viewer = await org.withRole('viewer');
    assert.equal((await viewer.post('/api/v1/email-templates', { name: 'v', subject: 's', html: 'h', text: 't' })).status, 403);
  });

  it('keeps a disabled task disabled through a change that leaves enabled out', async () => {
    const org = await ctx().newOrg();
    const t = await template(org);
    const r = await org.api.post('/api/v1/tasks', { name: 'Off', trigger: 'shipment_created', level: 'shipment', recipients: ['off@example.test'], template_id: t.id, enabled: false });
    assert.equal(r.status, 201, r.text);
    const renamed = await org.api.patch(`/api/v1/tasks/${r.body.id}`, { name: 'Still off' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual([renamed.body.name, renamed.body.enabled], ['Still off', false]);
    assert.equal((await org.api.get(`/api/v1/tasks/${r.body.id}`)).body.enabled, false);
  });

  it('records emails only for matching triggers: the task’s status, ETA moves beyond N minutes, and the arrived stop’s contact', async () => {
    const org = await ctx().newOrg();
    const t = await template(org);
    const task = (body: Record<string, unknown>) => org.api.post('/api/v1/tasks', { level: 'shipment', template_id: t.id, ...body }).then((r) => (assert.equal(r.status, 201, r.text), r.body));
    const delivered = await task({ name: 'Delivered', trigger: 'status_changed', status: 'delivered', recipients: ['shipment_contacts'] });
    const late = await task({ name: 'Late', trigger: 'eta_changed', eta_change_minutes: 30, recipients: ['ops@example.test'] });
    const arrival = await task({ name: 'Arrived', trigger: 'stop_arrived', level: 'stop', recipients: ['stop_contact'] });
    await task({ name: 'Off', trigger: 'shipment_created', recipients: ['off@example.test'], enabled: false });
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ contacts: [{ name: 'Ann', email: 'ann@example.test' }] }))).body;
    assert.deepEqual(await outbox(org, s.id), [], 'a disabled task records nothing');

    await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'in_transit' });
    await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'eta_changed', eta: '2026-12-01T14:10:00.000Z' });
    assert.deepEqual(await outbox(org, s.id), [], 'another status and a 10-minute move record nothing');

    await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'eta_changed', eta: '2026-12-01T16:00:00.000Z' });
    await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'stop_arrived', stop_index: 1 });
    await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'delivered' });
    const rows = await outbox(org, s.id);
    const byTask = (id: string) => rows.filter((r) => r.task_id === id).map((r) => r.recipient);
    assert.deepEqual(byTask(late.id), ['ops@example.test']);
    assert.deepEqual(byTask(arrival.id), ['dirk@example.test'], 'only the contact of the stop that was reached');
    assert.deepEqual(byTask(delivered.id), ['ann@example.test']);
    // Filtered by task or recipient, the org's list is those rows; another org's is empty.
    const listed = async (o: TestOrg, q: string) => ((await o.api.get(`/api/v1/outbox?${q}`)).body.items as { id: string }[]).map((r) => r.id);
    const ids = (id: string) => rows.filter((r) => r.task_id === id).map((r) => r.id);
    assert.deepEqual(await listed(org, `task_id=${late.id}`), ids(late.id));
    assert.deepEqual(await listed(org, `recipient=dirk@example.test`), ids(arrival.id));
    assert.deepEqual(await listed(org, `task_id=${arrival.id}&recipient=dirk@example.test`), ids(arrival.id));
    const other = await ctx().newOrg();
    assert.deepEqual(await listed(other, `task_id=${late.id}`), []);
    assert.deepEqual(await listed(other, `recipient=ops@example.test`), []);
    assert.ok(rows.every((r) => r.status === 'pending'));
    await ctx().services.notifications.worker.runOnce();
    const waiting = (await outbox(org, s.id)) as unknown as { status: string; attempts: number }[];
    assert.ok(waiting.every((r) => r.status === 'pending' && r.attempts === 0), 'without SMTP_URL, emails wait instead of burning their attempts');
  });

  it('recalculates for shipments created before the task: makes the links and records each fired trigger once', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ contacts: [{ name: 'Ann', email: 'ann@example.test' }] }))).body;
    const old = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'cancelled', contacts: [{ name: 'Old', email: 'old@example.test' }] }))).body;
    const t = await template(org);
    await org.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients: ['shipment_contacts'], template_id: t.id });
    await org.api.post('/api/v1/tasks', { name: 'Planned', trigger: 'status_changed', status: 'planned', level: 'shipment', recipients: ['stop_contact'], template_id: t.id });
    const first = await org.api.post('/api/v1/tasks/recalculate', {});
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, { shipments: 2, links_ensured: 3, emails_queued: 1, remaining: 0, next_cursor: null }, 'Ann and the two stop contacts; nothing for the cancelled shipment');
    assert.deepEqual((await outbox(org, s.id)).map((r) => r.recipient), ['ann@example.test']);
    assert.deepEqual(await outbox(org, old.id), []);
    const links = (await org.api.get(`/api/v1/links?shipment_id=${s.id}`)).body.items;
    assert.ok(links.some((l: { recipient: { email: string } | null }) => l.recipient?.email === 'ann@example.test'), JSON.stringify(links));
    const again = await org.api.post('/api/v1/tasks/recalculate', { shipment_id: s.id });
    assert.equal(again.body.emails_queued, 0, 'nothing is recorded twice');
    assert.equal((await outbox(org, s.id)).length, 1);
  });
});
