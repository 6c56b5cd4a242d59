// The hero photo is looked for with the shipment held (lockForChange), as a photo's deletion holds
// it: on PostgreSQL the photo was found before the hold, a deletion committed meanwhile, and the
// deleted photo's id became the hero, naming nothing.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody, PNG } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('a photo deleted while it is chosen as the hero', (ctx) => {
  it('is refused as the hero once its deletion, which held the shipment, committed', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const photo = await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png');
    assert.equal(photo.status, 201, photo.text);

    // Another dispatcher deletes it as the service does: the shipment held first, then the photo deleted.
    const deletePhoto = async (trx: DbTransaction) => {
      await trx.updateTable('shipments').set({ updated_at: Date.now() }).where('org_id', '=', org.org_id).where('id', '=', s.id).execute();
      await trx.deleteFrom('photos').where('org_id', '=', org.org_id).where('id', '=', photo.body.id).execute();
    };
    const r = await raceHeldChange(ctx(), deletePhoto, () => org.api.put(`/api/v1/shipments/${s.id}/hero-photo`, { photo_id: photo.body.id }));
    assert.equal(r.status, 400, r.text);
    const after = (await org.api.get(`/api/v1/shipments/${s.id}`)).body;
    assert.deepEqual([after.hero_photo_id, after.photos], [null, []]);
  });
});
