// A shipment is shared with a partner only under the connection held (holdConnection): on
// PostgreSQL a share checked the connection, then a disconnection committed, and the share it
// wrote after was left behind: the former partner still saw the shipment.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import { connectPartners } from '../../../test/helpers/partners.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('partners disconnected at the same moment', (ctx) => {
  it('keep no shipment shared by a share that waited for the disconnection', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    await connectPartners(a, b);
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;

    // B ends the partnership as the service does (PartnersRepository.disconnect), not yet committed.
    const disconnect = async (trx: DbTransaction) => {
      for (const table of ['org_partners', 'shipment_partners'] as const) {
        await trx
          .deleteFrom(table)
          .where((eb) => eb.or([eb.and([eb('org_id', '=', a.org_id), eb('partner_org_id', '=', b.org_id)]), eb.and([eb('org_id', '=', b.org_id), eb('partner_org_id', '=', a.org_id)])]))
          .execute();
      }
    };
    const r = await raceHeldChange(ctx(), disconnect, () => a.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: b.org_id }));
    assert.equal(r.status, 400, r.text);
    assert.deepEqual((await a.api.get(`/api/v1/shipments/${s.id}/partners`)).body.items, []);
    assert.equal((await b.api.get(`/api/v1/shipments/${s.id}`)).status, 404, 'the former partner does not see it');
  });
});
