// Computed ETAs arriving together (the ETA service recomputes every shipment whose phones report
// in one turn) are written in one transaction: on SQLite each commit is an fsync that holds the
// event loop. A manual ETA still wins, and another org's shipment is out of reach.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { untilWaitingForALock } from '../../../test/helpers/held-rows.js';
import type { ShipmentsRepository } from './shipments.repository.js';

await describeStores('computed ETAs', (ctx) => {
  it('of one turn are written in one transaction, leaving manual ETAs and other orgs alone', async () => {
    const org = await ctx().newOrg();
    const other = await ctx().newOrg();
    const create = async (api: typeof org.api, manual: boolean) => {
      const r = await api.post('/api/v1/shipments', { ...consignmentBody(), eta: manual ? '2026-12-01T15:30:00.000Z' : undefined });
      assert.equal(r.status, 201, r.text);
      return r.body.id as string;
    };
    const computed = [];
    for (let i = 0; i < 6; i++) computed.push(await create(org.api, false));
    const manual = await create(org.api, true);
    const foreign = await create(other.api, false);

    const shipments = ctx().services.shipments;
    const repo = (shipments as unknown as { repo: ShipmentsRepository }).repo;
    const transaction = repo.transaction;
    let transactions = 0;
    repo.transaction = ((fn: Parameters<typeof transaction>[0]) => {
      transactions++;
      return transaction.call(repo, fn);
    }) as typeof transaction;
    const at = Date.UTC(2026, 11, 1, 12);
    try {
      // The foreign id is asked for under this org's id, as a stale or forged lookup would.
      await Promise.all([...computed, manual, foreign].map((id, i) => shipments.setComputedEta(org.org_id, id, at + i * 60_000, at)));
    } finally {
      repo.transaction = transaction;
    }
    assert.equal(transactions, 1, 'one transaction for the turn');

    for (const [i, id] of computed.entries()) {
      const s = (await org.api.get(`/api/v1/shipments/${id}`)).body;
      assert.equal(s.eta, new Date(at + i * 60_000).toISOString());
      assert.equal(s.eta_source, 'computed');
    }
    const kept = (await org.api.get(`/api/v1/shipments/${manual}`)).body;
    assert.deepEqual([kept.eta, kept.eta_source], ['2026-12-01T15:30:00.000Z', 'manual']);
    const untouched = (await other.api.get(`/api/v1/shipments/${foreign}`)).body;
    assert.deepEqual([untouched.eta, untouched.eta_source], [null, null]);
  });

  it('keep a manual ETA committed while a computed one waits for the row (no lost update on PostgreSQL)', async () => {
    const org = await ctx().newOrg();
    const r = await org.api.post('/api/v1/shipments', { ...consignmentBody(), eta: undefined });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id as string;
    const shipments = ctx().services.shipments;
    const at = Date.UTC(2026, 11, 2, 12);
    await shipments.setComputedEta(org.org_id, id, at, at);
    assert.equal((await org.api.get(`/api/v1/shipments/${id}`)).body.eta_source, 'computed');

    const manual = Date.UTC(2026, 11, 3, 9);
    let computed: Promise<void> | undefined;
    // A dispatcher's change holds the row (as timeline.record does through lockForChange) while
    // the ETA service writes a computed ETA it based on the row as it was before.
    await ctx().store.db.transaction().execute(async (trx) => {
      await trx.updateTable('shipments').set({ eta: manual, eta_source: 'manual', eta_calculated_at: at }).where('org_id', '=', org.org_id).where('id', '=', id).execute();
      computed = shipments.setComputedEta(org.org_id, id, at + 3_600_000, at + 1000);
      if (ctx().kind === 'postgres') await untilWaitingForALock(ctx().store.db);
    });
    await computed;
    const kept = (await org.api.get(`/api/v1/shipments/${id}`)).body;
    assert.deepEqual([kept.eta, kept.eta_source], [new Date(manual).toISOString(), 'manual']);
  });
});
