// A recalculation going through a page of shipments while one of them is deleted: the page held
// it, then the deletion committed, and making its recipient's link met the foreign key (a 500 on
// PostgreSQL), or, once that is a 404, failed the whole page. A shipment gone is skipped, as the
// link backfill skips it, and the others are done.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('a contact task recalculation as one of its shipments is deleted', (ctx) => {
  it('skips the deleted shipment and does the others', async () => {
    const org = await ctx().newOrg();
    const kept = (await org.api.post('/api/v1/shipments', consignmentBody({ contacts: [{ name: 'Ann', email: 'ann@example.test' }] }))).body;
    const gone = (await org.api.post('/api/v1/shipments', consignmentBody({ contacts: [{ name: 'Bob', email: 'bob@example.test' }] }))).body;
    const t = await org.api.post('/api/v1/email-templates', { name: 'Hi', subject: 'Hi', html: '<p>{{shipment.tracking_link}}</p>', text: '{{shipment.tracking_link}}' });
    assert.equal((await org.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients: ['shipment_contacts'], template_id: t.body.id })).status, 201);
    const r = await raceHeldChange(ctx(), (trx: DbTransaction) => trx.deleteFrom('shipments').where('org_id', '=', org.org_id).where('id', '=', gone.id).execute(), () => org.api.post('/api/v1/tasks/recalculate', {}));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.links_ensured, 1, r.text);
    assert.equal(r.body.remaining, 0, r.text);
    const recipients = (await org.api.get(`/api/v1/shipments/${kept.id}/links`)).body.items.map((l: { recipient: { email: string } | null }) => l.recipient?.email);
    assert.ok(recipients.includes('ann@example.test'), JSON.stringify(recipients));
  });
});
