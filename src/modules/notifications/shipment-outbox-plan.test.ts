// A shipment's outbox on SQLite (NotificationsRepository.listOutbox with a shipment filter, the
// list behind GET /api/v1/outbox?shipment_id=): it seeks (shipment_id, created_at, id) newest
// first and checks the org on the rows found, on a store that never ran ANALYZE (a server never
// does). It used to read through (org_id, created_at): every email and webhook the org ever sent
// (the outbox is never purged), checked one by one for the shipment. The org check must still hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { NotificationsRepository } from './notifications.repository.js';

describe("a shipment's outbox on SQLite without statistics", () => {
  it('seeks the shipment index in page order and still keeps to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const row = handle.prepare(
      `insert into outbox (id, org_id, dedupe_key, kind, shipment_id, recipient, payload, status, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
    );
    // One org's 5,000 notifications over 500 shipments, emails and webhooks, sent and failed;
    // and one shipment of another org.
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const t = t0 + i * 1000;
        row.run(`n${String(i).padStart(5, '0')}`, 'o1', `k${i}`, i % 2 ? 'webhook' : 'email', `s${i % 500}`, 'a@example.com', i % 3 ? 'sent' : 'failed', t, t);
      }
      row.run('x1', 'o2', 'kx1', 'email', 'sx', 'b@example.com', 'sent', t0, t0);
    })();
    const repo = new NotificationsRepository(db, 'sqlite');

    const reads: [string, () => Promise<unknown>][] = [
      ['list of a shipment', () => repo.listOutbox('o1', { shipmentId: 's7', limit: 20 })],
      ['list of a shipment, failed', () => repo.listOutbox('o1', { shipmentId: 's7', status: 'failed', limit: 20 })],
      ['list of a shipment, webhooks', () => repo.listOutbox('o1', { shipmentId: 's7', kind: 'webhook', limit: 20 })],
      ['list of a shipment, next page', () => repo.listOutbox('o1', { shipmentId: 's7', before: { at: t0 + 3000 * 1000, id: 'z' }, limit: 2 })],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      assert.equal(plan.length, 1, `${name} needs no sort: ${plan.join(' | ')}`);
      assert.match(plan[0], /^SEARCH outbox USING INDEX outbox_shipment_created \(shipment_id=\?/, `${name} reads the shipment's rows by its index: ${plan.join(' | ')}`);
    }
    // The org's list without a shipment keeps (org_id, created_at).
    assert.match((await planOfRead('list of the org', () => repo.listOutbox('o1', { limit: 20 })))[0], /USING INDEX outbox_org_created \(org_id=\?\)/);

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    assert.deepEqual(ids(await repo.listOutbox('o1', { shipmentId: 's7', limit: 3 })), ['n04507', 'n04007', 'n03507', 'n03007']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { shipmentId: 's7', before: { at: t0 + 3007 * 1000, id: 'n03007' }, limit: 1 })), ['n02507', 'n02007']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { shipmentId: 's7', status: 'failed', limit: 20 })), ['n03507', 'n02007', 'n00507']);
    // Another org's shipment is out of reach, its id known or not.
    assert.deepEqual(await repo.listOutbox('o1', { shipmentId: 'sx', limit: 20 }), []);
    assert.deepEqual(ids(await repo.listOutbox('o2', { shipmentId: 'sx', limit: 20 })), ['x1']);
    await close();
  });
});
