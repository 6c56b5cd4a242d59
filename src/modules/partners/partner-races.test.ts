// Partner changes that meet. A shipment is shared with a partner only under the connection held
// (holdConnection): on PostgreSQL a share checked the connection, then a disconnection committed,
// and the share it wrote after was left behind: the former partner still saw the shipment. And
// invitations are counted with the org held (holdInviter): sent at the same moment, each counted
// the same free places, and together they went past the bounds. Two orgs that invited each other
// and accepted at the same moment each held its invitation and waited for the other's (a deadlock,
// 503 on PostgreSQL): an acceptance now takes the pair's turn first. And a partner's positions
// are stored only with the share held: pushed as the shipment was unshared, they went in anyway.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import { connectPartners, shareWithPartner, uniqueHandle } from '../../../test/helpers/partners.js';
import type { DbTransaction } from '../../db/schema.js';
import { newId } from '../../shared/ids.js';
import { MAX_PENDING_INVITATIONS } from './partners.service.js';

await describeStores('partner changes at the same moment', (ctx) => {
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

  it('count an invitation sent at the same moment: never more pending than the bound', async () => {
    const a = await ctx().newOrg();
    for (let i = 0; i < MAX_PENDING_INVITATIONS - 1; i++) assert.equal((await a.api.post('/api/v1/partner-invitations', { handle: `nobody-${i}` })).status, 201);
    // The last free place taken by another admin's invitation as the service sends it: the org held, then the row inserted.
    const lastPlace = async (trx: DbTransaction) => {
      const now = Date.now();
      await trx.updateTable('orgs').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', a.org_id).execute();
      await trx
        .insertInto('partner_invitations')
        .values({ id: newId(), org_id: a.org_id, address: '@nobody-last', target_org_id: null, state: 'pending', invited_by: 'test', created_at: now, expires_at: now + 14 * 86_400_000, responded_at: null })
        .execute();
    };
    const r = await raceHeldChange(ctx(), lastPlace, () => a.api.post('/api/v1/partner-invitations', { handle: 'one-too-many' }));
    assert.equal(r.status, 429, r.text);
    const sent = (await a.api.get('/api/v1/partner-invitations?limit=100')).body.items;
    assert.equal(sent.filter((i: { state: string }) => i.state === 'pending').length, MAX_PENDING_INVITATIONS);
  });

  it('answer a share that waited for its shipment\'s deletion with a 404, never a 500', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    await connectPartners(a, b);
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    // Another dispatcher deletes the shipment, not yet committed: the share found it, then waits.
    const deletion = async (trx: DbTransaction) => {
      await trx.deleteFrom('shipments').where('org_id', '=', a.org_id).where('id', '=', s.id).execute();
    };
    const r = await raceHeldChange(ctx(), deletion, () => a.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: b.org_id }));
    assert.equal(r.status, 404, r.text);
    assert.equal(r.body.error.code, 'not_found');
  });

  it('connect two orgs that invited each other and accept at the same moment: one 204, the other 404, never a deadlock (503)', async () => {
    for (let round = 0; round < 8; round++) {
      const a = await ctx().newOrg();
      const b = await ctx().newOrg();
      const invite = async (from: typeof a, to: typeof b) => {
        const handle = uniqueHandle('crossed');
        assert.equal((await to.api.patch('/api/v1/org', { handle })).status, 200);
        assert.equal((await from.api.post('/api/v1/partner-invitations', { handle })).status, 201);
        return (await to.api.get('/api/v1/partner-invitations/received')).body.items[0].id as string;
      };
      const toB = await invite(a, b);
      const toA = await invite(b, a);
      const answers = await Promise.all([b.api.post(`/api/v1/partner-invitations/${toB}/accept`), a.api.post(`/api/v1/partner-invitations/${toA}/accept`)]);
      // The second finds its invitation answered by the connection the first made, as it would later.
      assert.deepEqual(answers.map((r) => r.status).sort(), [204, 404], `round ${round}: ${answers.map((r) => r.text).join('\n')}`);
      for (const [org, other] of [[a, b], [b, a]] as const) {
        const partners = (await org.api.get('/api/v1/partners')).body.items as { org_id: string }[];
        assert.deepEqual(partners.map((p) => p.org_id), [other.org_id]);
        const sent = (await org.api.get('/api/v1/partner-invitations')).body.items as { state: string }[];
        assert.deepEqual(sent.map((i) => i.state), ['accepted']);
      }
    }
  });

  it('store nothing a partner pushes while the shipment is being unshared: 404, and the shipment gets no position from it', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    await shareWithPartner(a, b, s.id);
    // A ends the share as the service does (PartnersRepository.unshare), not yet committed.
    const unshare = (trx: DbTransaction) => trx.deleteFrom('shipment_partners').where('org_id', '=', a.org_id).where('shipment_id', '=', s.id).where('partner_org_id', '=', b.org_id).execute();
    const fix = { recorded_at: new Date().toISOString(), lat: 52.1, lon: 4.4 };
    const r = await raceHeldChange(ctx(), unshare, () => b.api.post(`/api/v1/shipments/${s.id}/positions`, { positions: [fix] }));
    assert.equal(r.status, 404, r.text);
    const stored = await ctx()
      .store.db.selectFrom('positions')
      .innerJoin('devices', 'devices.id', 'positions.device_id')
      .select('positions.recorded_at')
      .where('devices.org_id', '=', a.org_id)
      .where('devices.name', 'like', `partner:${b.org_id}:%`)
      .execute();
    assert.deepEqual(stored, []);
    // Shared again, the partner's positions go in as before.
    await shareWithPartner(a, b, s.id);
    assert.equal((await b.api.post(`/api/v1/shipments/${s.id}/positions`, { positions: [fix] })).body.accepted, 1);
  });

  it("answer a partner's first push that waited for the shipment's deletion with a 404, never a 500", async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    await shareWithPartner(a, b, s.id);
    // A deletes the shipment (its shares and sources go with it), not yet committed.
    const remove = (trx: DbTransaction) => trx.deleteFrom('shipments').where('org_id', '=', a.org_id).where('id', '=', s.id).execute();
    const fix = { recorded_at: new Date().toISOString(), lat: 52.1, lon: 4.4 };
    const r = await raceHeldChange(ctx(), remove, () => b.api.post(`/api/v1/shipments/${s.id}/positions`, { positions: [fix] }));
    assert.equal(r.status, 404, r.text);
  });
});
