// Changes of one link that meet: each holds the link (lockActiveForChange, or the revocation) and
// reads it only then, so none is based on options another change replaced meanwhile. On
// PostgreSQL an options change merged into the options it read before waiting, and wrote over
// an option hidden meanwhile; a regenerated link copied the options as they were before it waited;
// the expiry sweep announced a link extended while it waited as expired; and a new link revoked
// the expired one it replaces although it was extended meanwhile.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';

// No background sweep: the test runs the sweep itself, at the moment it means to.
await describeStores('tracking links changed at the same moment', (ctx) => {
  async function newLink(org: TestOrg): Promise<string> {
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const l = await org.api.post(`/api/v1/shipments/${s.id}/links`, {});
    assert.equal(l.status, 201, l.text);
    return l.body.id as string;
  }

  /** Another dispatcher's options change as the service makes it: the link held first, then its options written. */
  const otherOptionsChange = (orgId: string, id: string, options: Record<string, unknown>) => async (trx: DbTransaction) => {
    const at = Date.now();
    await trx.updateTable('tracking_links').set({ updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).where('state', '=', 'active').execute();
    await trx.updateTable('tracking_links').set({ options: JSON.stringify(options), updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
  };

  /** A dispatcher extends a link by a day as the service does: the link held first, then its new expiry written. */
  const extendLink = (orgId: string, id: string) => async (trx: DbTransaction) => {
    const at = Date.now();
    await trx.updateTable('tracking_links').set({ updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).where('state', '=', 'active').execute();
    await trx.updateTable('tracking_links').set({ expires_at: at + 86_400_000, expired_notified_at: null, updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
  };

  it('keep an option hidden by a change that held the link while another option changed', async () => {
    const org = await ctx().newOrg();
    const id = await newLink(org);
    const r = await raceHeldChange(ctx(), otherOptionsChange(org.org_id, id, { eta: false }), () => org.api.patch(`/api/v1/links/${id}`, { options: { cargo: false } }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual((await org.api.get(`/api/v1/links/${id}`)).body.options, { eta: false, cargo: false });
  });

  it('give a regenerated link the options a change committed while the regeneration waited', async () => {
    const org = await ctx().newOrg();
    const id = await newLink(org);
    const r = await raceHeldChange(ctx(), otherOptionsChange(org.org_id, id, { eta: false }), () => org.api.post(`/api/v1/links/${id}/regenerate`));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.options, { eta: false });
    assert.deepEqual((await org.api.get(`/api/v1/links/${r.body.id}`)).body.options, { eta: false });
  });

  it('refuse an options change of a link revoked while it waited (its replacement would not have it)', async () => {
    const org = await ctx().newOrg();
    const id = await newLink(org);
    const revoke = async (trx: DbTransaction) => {
      const at = Date.now();
      await trx.updateTable('tracking_links').set({ state: 'revoked', revoked_by: 'test', revoked_at: at, updated_at: at }).where('org_id', '=', org.org_id).where('id', '=', id).where('state', '=', 'active').execute();
    };
    const r = await raceHeldChange(ctx(), revoke, () => org.api.patch(`/api/v1/links/${id}`, { options: { eta: false } }));
    assert.equal(r.status, 409, r.text);
    const after = (await org.api.get(`/api/v1/links/${id}`)).body;
    assert.deepEqual([after.state, after.options], ['revoked', {}]);
  });

  it('announce no expiry for a link extended while the sweep waited for it', async () => {
    const org = await ctx().newOrg();
    const id = await newLink(org);
    await ctx().store.db.updateTable('tracking_links').set({ expires_at: Date.now() - 1000 }).where('id', '=', id).execute();
    const seen: string[] = [];
    ctx().services.links.onChange((e) => {
      if (e.linkId === id) seen.push(e.type);
    });
    await raceHeldChange(ctx(), extendLink(org.org_id, id), () => ctx().services.publicLinks.sweepExpired());
    assert.deepEqual(seen, []);
    const after = (await org.api.get(`/api/v1/links/${id}`)).body;
    assert.equal(after.state, 'active');
    // Its real expiry, later, is still announced.
    await ctx().store.db.updateTable('tracking_links').set({ expires_at: Date.now() - 1000 }).where('id', '=', id).execute();
    await ctx().services.publicLinks.sweepExpired();
    assert.deepEqual(seen, ['expired']);
  });

  it('leave an expired link extended while a new link waited to replace it: the new one is refused', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const old = await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { eta: false } });
    assert.equal(old.status, 201, old.text);
    await ctx().store.db.updateTable('tracking_links').set({ expires_at: Date.now() - 1000 }).where('id', '=', old.body.id).execute();
    const r = await raceHeldChange(ctx(), extendLink(org.org_id, old.body.id), () => org.api.post(`/api/v1/shipments/${s.id}/links`, {}));
    assert.equal(r.status, 409, r.text);
    const after = (await org.api.get(`/api/v1/links/${old.body.id}`)).body;
    assert.deepEqual([after.state, after.options], ['active', { eta: false }]);
  });
}, {}, { background: [] });
