// A tracking link created while its shipment is deleted: the request found the shipment, then the
// deletion committed, and the link's insert met the foreign key, a 500 on PostgreSQL. Now the 404
// the check would have given a moment later.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('a tracking link created as its shipment is deleted', (ctx) => {
  it('answers 404 and leaves no link', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const create = () => org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'buyer@example.com' } });
    const r = await raceHeldChange(ctx(), (trx: DbTransaction) => trx.deleteFrom('shipments').where('org_id', '=', org.org_id).where('id', '=', s.id).execute(), create);
    assert.equal(r.status, 404, r.text);
    assert.deepEqual((await org.api.get('/api/v1/links')).body.items, []);
  });
});
