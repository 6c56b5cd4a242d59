// A link changed while its shipment is deleted. The deletion takes the shipment, then its links
// (ON DELETE CASCADE); a link change that took the link first and the shipment after (its
// foreign key's check, which a second write of the row in one transaction makes PostgreSQL run)
// waited for the deletion that waited for it: a deadlock, one of the two answered 500.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { untilWaitingForALock } from '../../../test/helpers/held-rows.js';
import type { ApiResponse } from '../../../test/helpers/context.js';

await describeStores('a tracking link changed while its shipment is deleted', (ctx) => {
  /**
   * Deletes the shipment while `change` runs on its link, the two meeting as on a busy instance:
   * another transaction holds the shipment until the deletion waits for it and the change is
   * under way (on PostgreSQL, until both wait). SQLite runs one at a time: the deletion, then the change.
   */
  async function deleteWhileChanging(org: TestOrg, shipmentId: string, change: () => Promise<ApiResponse>) {
    let deletion: Promise<ApiResponse> | undefined;
    let changed: Promise<ApiResponse> | undefined;
    if (ctx().kind === 'postgres') {
      await ctx().store.db.transaction().execute(async (trx) => {
        await sql`select id from shipments where id = ${shipmentId} for update`.execute(trx);
        deletion = org.api.delete(`/api/v1/shipments/${shipmentId}`);
        await untilWaitingForALock(ctx().store.db, deletion);
        changed = change();
        await untilWaitingForALock(ctx().store.db, changed, 2);
      });
    } else {
      deletion = org.api.delete(`/api/v1/shipments/${shipmentId}`);
      await deletion;
      changed = change();
    }
    return { deletion: await (deletion as Promise<ApiResponse>), change: await (changed as Promise<ApiResponse>) };
  }

  async function shipmentWithLink(org: TestOrg) {
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const l = await org.api.post(`/api/v1/shipments/${s.id}/links`, {});
    assert.equal(l.status, 201, l.text);
    return { shipmentId: s.id as string, linkId: l.body.id as string };
  }

  it('let an options change wait for the deletion and answer 404', async () => {
    const org = await ctx().newOrg();
    const { shipmentId, linkId } = await shipmentWithLink(org);
    const r = await deleteWhileChanging(org, shipmentId, () => org.api.patch(`/api/v1/links/${linkId}`, { options: { eta: false } }));
    assert.equal(r.deletion.status, 204, r.deletion.text);
    assert.equal(r.change.status, 404, r.change.text);
  });

  it('let a regeneration wait for the deletion and answer 404', async () => {
    const org = await ctx().newOrg();
    const { shipmentId, linkId } = await shipmentWithLink(org);
    const r = await deleteWhileChanging(org, shipmentId, () => org.api.post(`/api/v1/links/${linkId}/regenerate`));
    assert.equal(r.deletion.status, 204, r.deletion.text);
    assert.equal(r.change.status, 404, r.change.text);
  });

  it('let a new link that replaces an expired one wait for the deletion and answer 404', async () => {
    const org = await ctx().newOrg();
    const { shipmentId, linkId } = await shipmentWithLink(org);
    await ctx().store.db.updateTable('tracking_links').set({ expires_at: Date.now() - 1000 }).where('id', '=', linkId).execute();
    const r = await deleteWhileChanging(org, shipmentId, () => org.api.post(`/api/v1/shipments/${shipmentId}/links`, {}));
    assert.equal(r.deletion.status, 204, r.deletion.text);
    assert.equal(r.change.status, 404, r.change.text);
  });
}, {}, { background: [] });
