// The outbox of one contact task or one recipient on SQLite (NotificationsRepository.listOutbox
// with a task or recipient filter, the lists behind GET /api/v1/outbox?task_id= and ?recipient=),
// on a store that never ran ANALYZE (a server never does): a task's rows are sought by
// (task_id, created_at, id) and checked for the org, a recipient's by (org_id, recipient,
// created_at, id), both newest first. Both used to read through (org_id, created_at): every email
// and webhook the org ever sent (the outbox is never purged), checked one by one and sorted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { NotificationsRepository } from './notifications.repository.js';

describe("a task's or recipient's outbox on SQLite without statistics", () => {
  it('seeks the task or recipient index in page order and keeps to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const row = handle.prepare(
      `insert into outbox (id, org_id, dedupe_key, kind, task_id, shipment_id, recipient, payload, status, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
    );
    // One org's 5,000 notifications of 100 tasks to 250 addresses over 500 shipments, emails and
    // webhooks, sent and failed. Another org's rows, newest of all, with a task id the first org
    // does not have and the same address as the first org's.
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const t = t0 + i * 1000;
        row.run(`n${String(i).padStart(5, '0')}`, 'o1', `k${i}`, i % 2 ? 'webhook' : 'email', `task${i % 100}`, `s${i % 500}`, `r${i % 250}@example.com`, i % 3 ? 'sent' : 'failed', t, t);
      }
      row.run('x1', 'o2', 'kx1', 'email', 'taskx', 'sx', 'r8@example.com', 'sent', t0, t0 + 9_999_000);
      row.run('x2', 'o2', 'kx2', 'email', 'taskx', 'sx', 'r8@example.com', 'sent', t0, t0 + 9_998_000);
    })();
    const repo = new NotificationsRepository(db, 'sqlite');

    const byTask: [string, () => Promise<unknown>][] = [
      ['list of a task', () => repo.listOutbox('o1', { taskId: 'task7', limit: 20 })],
      ['list of a task, failed', () => repo.listOutbox('o1', { taskId: 'task7', status: 'failed', limit: 20 })],
      ['list of a task, emails', () => repo.listOutbox('o1', { taskId: 'task8', kind: 'email', limit: 20 })],
      ['list of a task and a recipient', () => repo.listOutbox('o1', { taskId: 'task8', recipient: 'r8@example.com', limit: 20 })],
      ['list of a task, next page', () => repo.listOutbox('o1', { taskId: 'task7', before: { at: t0 + 3000 * 1000, id: 'z' }, limit: 2 })],
    ];
    const byRecipient: [string, () => Promise<unknown>][] = [
      ['list of a recipient', () => repo.listOutbox('o1', { recipient: 'r8@example.com', limit: 20 })],
      ['list of a recipient, emails', () => repo.listOutbox('o1', { recipient: 'r8@example.com', kind: 'email', limit: 20 })],
      ['list of a recipient, failed', () => repo.listOutbox('o1', { recipient: 'r8@example.com', status: 'failed', limit: 20 })],
      ['list of a recipient, next page', () => repo.listOutbox('o1', { recipient: 'r8@example.com', before: { at: t0 + 3000 * 1000, id: 'z' }, limit: 2 })],
    ];
    for (const [reads, index] of [[byTask, /^SEARCH outbox USING INDEX outbox_task_created \(task_id=\?/], [byRecipient, /^SEARCH outbox USING INDEX outbox_org_recipient_created \(org_id=\? AND recipient=\?/]] as const) {
      for (const [name, read] of reads) {
        const plan = await planOfRead(name, read);
        assert.equal(plan.length, 1, `${name} needs no sort: ${plan.join(' | ')}`);
        assert.match(plan[0], index, `${name} reads its rows by their index: ${plan.join(' | ')}`);
      }
    }
    // A shipment's list keeps its own index; the org's list without filters keeps (org_id, created_at).
    assert.match((await planOfRead('list of a shipment', () => repo.listOutbox('o1', { shipmentId: 's7', limit: 20 })))[0], /USING INDEX outbox_shipment_created \(shipment_id=\?/);
    assert.match((await planOfRead('list of the org', () => repo.listOutbox('o1', { limit: 20 })))[0], /USING INDEX outbox_org_created \(org_id=\?\)/);

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    assert.deepEqual(ids(await repo.listOutbox('o1', { taskId: 'task7', limit: 3 })), ['n04907', 'n04807', 'n04707', 'n04607']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { taskId: 'task7', before: { at: t0 + 4707 * 1000, id: 'n04707' }, limit: 1 })), ['n04607', 'n04507']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { taskId: 'task7', status: 'failed', limit: 2 })), ['n04707', 'n04407', 'n04107']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { recipient: 'r8@example.com', limit: 3 })), ['n04758', 'n04508', 'n04258', 'n04008']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { recipient: 'r8@example.com', before: { at: t0 + 4258 * 1000, id: 'n04258' }, limit: 1 })), ['n04008', 'n03758']);
    assert.deepEqual(ids(await repo.listOutbox('o1', { taskId: 'task8', recipient: 'r8@example.com', limit: 20 })), ['n04508', 'n04008', 'n03508', 'n03008', 'n02508', 'n02008', 'n01508', 'n01008', 'n00508', 'n00008']);
    // Another org's rows are out of reach by task (its id known) and by a shared address.
    assert.deepEqual(await repo.listOutbox('o1', { taskId: 'taskx', limit: 20 }), []);
    assert.deepEqual(ids(await repo.listOutbox('o2', { taskId: 'taskx', limit: 20 })), ['x1', 'x2']);
    assert.deepEqual(ids(await repo.listOutbox('o2', { recipient: 'r8@example.com', limit: 20 })), ['x1', 'x2']);
    await close();
  });
});
