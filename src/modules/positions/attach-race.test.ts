// A device attached to a shipment while the shipment or the device is being deleted: the request
// found both, then the deletion committed, and the attachment's insert met the foreign key, a 500
// on PostgreSQL. Now the answer the checks would have given a moment later: 404 for the shipment,
// 400 for the device. (A partner's first push attaches its device the same way.)
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('a device attached as its shipment or itself is deleted', (ctx) => {
  async function setup() {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const device = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
    const attach = () => org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device, layer: 'driver' });
    return { org, s, device, attach };
  }

  it('answers 404 when the shipment went meanwhile', async () => {
    const { org, s, attach } = await setup();
    const r = await raceHeldChange(ctx(), (trx: DbTransaction) => trx.deleteFrom('shipments').where('org_id', '=', org.org_id).where('id', '=', s.id).execute(), attach);
    assert.equal(r.status, 404, r.text);
  });

  it('answers 400 when the device went meanwhile, and attaches nothing', async () => {
    const { org, s, device, attach } = await setup();
    const r = await raceHeldChange(ctx(), (trx: DbTransaction) => trx.deleteFrom('devices').where('org_id', '=', org.org_id).where('id', '=', device).execute(), attach);
    assert.equal(r.status, 400, r.text);
    assert.deepEqual((await org.api.get(`/api/v1/shipments/${s.id}/sources`)).body.items, []);
  });
});
