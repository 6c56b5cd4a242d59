// POST /api/v1/tasks/recalculate does a bounded part of an organization's shipments per request
// (it made every recipient link and email of every shipment in one request) and says how many
// remain and where to go on; walking next_cursor to its end does all of it, once.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { RECALCULATE_SHIPMENTS, RECALCULATE_WORK } from './tasks.service.js';

async function task(org: TestOrg, recipients: string[]) {
  const t = await org.api.post('/api/v1/email-templates', { name: 'Hi', subject: 'Hi', html: '<p>{{shipment.tracking_link}}</p>', text: '{{shipment.tracking_link}}' });
  assert.equal(t.status, 201, t.text);
  const r = await org.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients, template_id: t.body.id });
  assert.equal(r.status, 201, r.text);
}

async function shipments(org: TestOrg, n: number) {
  for (let i = 0; i < n; i++) {
    const r = await org.api.post('/api/v1/shipments', consignmentBody({ contacts: [{ name: `Ann ${i}`, email: `ann${i}@example.test` }] }));
    assert.equal(r.status, 201, r.text);
  }
}

await describeStores('contact task recalculation in parts', (ctx) => {
  it(`recalculates at most ${RECALCULATE_SHIPMENTS} shipments a request, says how many remain, and goes on from next_cursor`, async () => {
    const org = await ctx().newOrg();
    await shipments(org, RECALCULATE_SHIPMENTS + 1);
    await task(org, ['shipment_contacts']);
    const first = await org.api.post('/api/v1/tasks/recalculate', {});
    assert.equal(first.status, 200, first.text);
    const { next_cursor: cursor, ...counts } = first.body;
    assert.deepEqual(counts, { shipments: RECALCULATE_SHIPMENTS, links_ensured: RECALCULATE_SHIPMENTS, emails_queued: RECALCULATE_SHIPMENTS, remaining: 1 }, 'old code: every shipment at once, no remaining');
    assert.equal(typeof cursor, 'string');
    const second = await org.api.post('/api/v1/tasks/recalculate', { cursor });
    assert.deepEqual(second.body, { shipments: 1, links_ensured: 1, emails_queued: 1, remaining: 0, next_cursor: null });
    const queued = (await org.api.get('/api/v1/outbox?kind=email&limit=500')).body.items.map((o: { recipient: string }) => o.recipient);
    assert.equal(new Set(queued).size, RECALCULATE_SHIPMENTS + 1, 'every shipment once, none twice');
  });

  it(`starts no further shipment once ${RECALCULATE_WORK} links and emails are done`, async () => {
    const org = await ctx().newOrg();
    // 50 addresses: each shipment makes 50 links and records 50 emails.
    const perShipment = 100;
    const n = RECALCULATE_WORK / perShipment + 1;
    await shipments(org, n);
    await task(org, Array.from({ length: 50 }, (_, i) => `ops${i}@example.test`));
    const first = await org.api.post('/api/v1/tasks/recalculate', {});
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.shipments, n - 1);
    assert.equal(first.body.links_ensured + first.body.emails_queued, RECALCULATE_WORK);
    assert.equal(first.body.remaining, 1);
    const second = await org.api.post('/api/v1/tasks/recalculate', { cursor: first.body.next_cursor });
    assert.deepEqual(second.body, { shipments: 1, links_ensured: 50, emails_queued: 50, remaining: 0, next_cursor: null });
  });

  it('refuses a malformed cursor, and a cursor with shipment_id, with 400 and does nothing', async () => {
    const org = await ctx().newOrg();
    await shipments(org, 1);
    await task(org, ['shipment_contacts']);
    const s = (await org.api.get('/api/v1/shipments')).body.items[0];
    const bad = await org.api.post('/api/v1/tasks/recalculate', { cursor: 'not-a-cursor' });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.details[0].path, 'body/cursor');
    const both = await org.api.post('/api/v1/tasks/recalculate', { shipment_id: s.id, cursor: 'WzEsIngiXQ' });
    assert.equal(both.status, 400, both.text);
    assert.equal((await org.api.get('/api/v1/outbox')).body.items.length, 0);
  });
});
