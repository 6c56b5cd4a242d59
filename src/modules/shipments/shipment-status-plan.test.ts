// The shipments of one status on SQLite (ShipmentsRepository.list with a status filter, the list
// behind GET /api/v1/shipments?status=): it seeks (org_id, status, created_at, id) newest first,
// on a store that never ran ANALYZE (a server never does). The status index was (org_id, status),
// which gives no page order, so SQLite read the org's every shipment through
// (org_id, created_at, id) and checked each for the status: a rare status (cancelled, exception)
// cost a walk of every shipment the org ever had.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { ShipmentsRepository } from './shipments.repository.js';

describe("one status's shipments on SQLite without statistics", () => {
  it('seeks the org and status in page order and keeps to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const row = handle.prepare(
      `insert into shipments (id, org_id, kind, reference, status, stages, custom_fields, extra_fields, internal, created_at, updated_at) values (?, ?, ?, ?, ?, '[]', '{}', '{}', '{}', ?, ?)`,
    );
    // One org's 5,000 shipments, one in 1,000 cancelled, two of those created at the same instant
    // (the id breaks the tie); another org's cancelled shipments, the newest of all among them.
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const t = t0 + (i === 2008 ? 2007 : i) * 1000;
        const status = i % 1000 === 7 || i === 2008 ? 'cancelled' : i % 4 ? 'delivered' : 'in_transit';
        row.run(`s${String(i).padStart(5, '0')}`, 'o1', i % 2 ? 'road' : 'parcel', `R${i}`, status, t, t);
      }
      row.run('x1', 'o2', 'road', 'X1', 'cancelled', t0 + 9_999_000, t0 + 9_999_000);
      row.run('x2', 'o2', 'road', 'X2', 'cancelled', t0, t0);
    })();
    const repo = new ShipmentsRepository(db);

    const reads: [string, () => Promise<unknown>][] = [
      ['list of a status', () => repo.list('o1', { status: 'cancelled', limit: 20 })],
      ['list of a status and kind', () => repo.list('o1', { status: 'cancelled', kind: 'road', limit: 20 })],
      ['list of a status, next page', () => repo.list('o1', { status: 'cancelled', before: { at: t0 + 3007 * 1000, id: 's03007' }, limit: 2 })],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      assert.equal(plan.length, 1, `${name} needs no sort: ${plan.join(' | ')}`);
      assert.match(plan[0], /^SEARCH shipments USING INDEX shipments_org_status_created \(org_id=\? AND status=\?/, `${name} reads the status's rows by its index: ${plan.join(' | ')}`);
    }
    // The org's list without a status keeps (org_id, created_at, id).
    assert.match((await planOfRead('list of the org', () => repo.list('o1', { limit: 20 })))[0], /USING INDEX shipments_org_created \(org_id=\?\)/);

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    assert.deepEqual(ids(await repo.list('o1', { status: 'cancelled', limit: 20 })), ['s04007', 's03007', 's02008', 's02007', 's01007', 's00007']);
    assert.deepEqual(ids(await repo.list('o1', { status: 'cancelled', limit: 2 })), ['s04007', 's03007', 's02008']);
    assert.deepEqual(ids(await repo.list('o1', { status: 'cancelled', before: { at: t0 + 2007 * 1000, id: 's02008' }, limit: 1 })), ['s02007', 's01007']);
    assert.deepEqual(ids(await repo.list('o1', { status: 'cancelled', kind: 'road', limit: 20 })), ['s04007', 's03007', 's02007', 's01007', 's00007']);
    // Another org's cancelled shipments (x1 newest of all) are not in the first org's lists above,
    // and its own list is its own.
    assert.deepEqual(ids(await repo.list('o2', { status: 'cancelled', limit: 20 })), ['x1', 'x2']);
    await close();
  });
});
