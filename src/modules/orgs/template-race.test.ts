// The link template is stored whole, so a change is merged into it once the org is held
// (OrgsRepository.lockForChange): on PostgreSQL a change merged into the template it read before
// waiting, and wrote back a section another owner had hidden meanwhile, on every link of the org.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';
import { DEFAULT_LINK_TEMPLATE } from '../links/template.js';

await describeStores('the link template changed at the same moment', (ctx) => {
  it('keeps a section hidden by a change that held the org while another section changed', async () => {
    const org = await ctx().newOrg();
    // Another owner's change as the service makes it: the org held first, then the whole template written.
    const hideEta = async (trx: DbTransaction) => {
      await trx.updateTable('orgs').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', org.org_id).execute();
      await trx.updateTable('orgs').set({ link_template: JSON.stringify({ ...DEFAULT_LINK_TEMPLATE, eta: false }), updated_at: Date.now() }).where('id', '=', org.org_id).execute();
    };
    const r = await raceHeldChange(ctx(), hideEta, () => org.api.put('/api/v1/org/link-template', { cargo: false }));
    assert.equal(r.status, 200, r.text);
    const template = (await org.api.get('/api/v1/org/link-template')).body;
    assert.deepEqual([template.eta, template.cargo], [false, false]);
  });
});
