// A note, photo, pallet scan or contact added while its shipment is deleted: the request found the
// shipment, then the deletion committed, and the insert met the foreign key, a 500 on PostgreSQL.
// Now the 404 the check would have given a moment later, and nothing written. A proof of delivery
// met no foreign key (an update of no row) but answered its 404 only after keeping the upload's
// file and auditing a capture that never happened.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody, PDF, PNG } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

await describeStores('a shipment child added as the shipment is deleted', (ctx) => {
  async function raceDeletion(add: (org: Awaited<ReturnType<ReturnType<typeof ctx>['newOrg']>>, id: string) => Promise<{ status: number; text: string }>) {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const r = await raceHeldChange(ctx(), (trx: DbTransaction) => trx.deleteFrom('shipments').where('org_id', '=', org.org_id).where('id', '=', s.id).execute(), () => add(org, s.id));
    assert.equal(r.status, 404, r.text);
    assert.equal((await org.api.get(`/api/v1/shipments/${s.id}`)).status, 404);
  }

  it('a note answers 404', () => raceDeletion((org, id) => org.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'customer', body: 'Gate 4' })));
  it('a photo answers 404', () => raceDeletion((org, id) => org.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png')));
  it('a pallet scan answers 404', () => raceDeletion((org, id) => org.api.post(`/api/v1/shipments/${id}/pallet-scans`, { event: 'loaded', code: 'PAL-1' })));
  it('a contact answers 404', () => raceDeletion((org, id) => org.api.post(`/api/v1/shipments/${id}/contacts`, { email: 'ops@example.com' })));

  it('a proof of delivery answers 404, keeps no file and audits nothing', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const upload = () => org.api.send('PUT', `/api/v1/shipments/${s.id}/proof-of-delivery`, PDF, 'application/pdf');
    const r = await raceHeldChange(ctx(), (trx: DbTransaction) => trx.deleteFrom('shipments').where('org_id', '=', org.org_id).where('id', '=', s.id).execute(), upload);
    assert.equal(r.status, 404, r.text);
    const dir = path.join(ctx().dataDir, 'uploads', org.org_id);
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
    const audited = (await org.api.get('/api/v1/audit-log?action=shipment.proof_of_delivery')).body.items;
    assert.deepEqual(audited, []);
  });
});
