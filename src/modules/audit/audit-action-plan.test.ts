// The audit log of one action on SQLite (AuditRepository.list with an action filter, the list
// behind GET /api/v1/audit-log?action=): it seeks (org_id, action, created_at, id) newest first,
// on a store that never ran ANALYZE (a server never does). It used to read through
// (org_id, created_at): the org's whole history (the audit log is never purged), checked one by
// one for the action and sorted, so a rare action cost a walk of everything the org ever did.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { AuditRepository } from './audit.repository.js';

describe("one action's audit log on SQLite without statistics", () => {
  it('seeks the org and action in page order and keeps to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const row = handle.prepare(
      `insert into audit_log (id, org_id, actor_type, actor_id, actor_label, action, target_type, target_id, data, created_at) values (?, ?, 'api_key', 'k1', 'key', ?, 'link', ?, '{}', ?)`,
    );
    // One org's 5,000 entries, a rare action every 1,000th; two of them at the same instant (the
    // id breaks the tie). Another org's entries of the same action, the newest of all among them.
    const actions = ['link.create', 'link.update', 'shipment.update'];
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const rare = i % 1000 === 7;
        row.run(`a${String(i).padStart(5, '0')}`, 'o1', rare ? 'webhook.delete' : actions[i % 3], `t${i % 500}`, t0 + (i === 2008 ? 2007 : i) * 1000);
      }
      row.run('a02008b', 'o1', 'webhook.delete', 't1', t0 + 2007 * 1000);
      row.run('x1', 'o2', 'webhook.delete', 't7', t0 + 9_999_000);
      row.run('x2', 'o2', 'webhook.delete', 't7', t0);
    })();
    const repo = new AuditRepository(db, 'sqlite');

    const reads: [string, () => Promise<unknown>][] = [
      ['list of an action', () => repo.list('o1', { action: 'webhook.delete', limit: 20 })],
      ['list of an action, next page', () => repo.list('o1', { action: 'webhook.delete', before: { at: t0 + 3007 * 1000, id: 'a03007' }, limit: 2 })],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      assert.equal(plan.length, 1, `${name} needs no sort: ${plan.join(' | ')}`);
      assert.match(plan[0], /^SEARCH audit_log USING INDEX audit_log_org_action_created \(org_id=\? AND action=\?/, `${name} reads the action's rows by its index: ${plan.join(' | ')}`);
    }
    // A target's list keeps its own index; the org's list without filters keeps (org_id, created_at).
    assert.match((await planOfRead('list of a target, one action', () => repo.list('o1', { targetId: 't7', action: 'webhook.delete', limit: 20 })))[0], /USING INDEX audit_log_target_created \(target_id=\?/);
    assert.match((await planOfRead('list of the org', () => repo.list('o1', { limit: 20 })))[0], /USING INDEX audit_log_org_time \(org_id=\?\)/);

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    assert.deepEqual(ids(await repo.list('o1', { action: 'webhook.delete', limit: 20 })), ['a04007', 'a03007', 'a02008b', 'a02007', 'a01007', 'a00007']);
    assert.deepEqual(ids(await repo.list('o1', { action: 'webhook.delete', limit: 2 })), ['a04007', 'a03007', 'a02008b']);
    assert.deepEqual(ids(await repo.list('o1', { action: 'webhook.delete', before: { at: t0 + 2007 * 1000, id: 'a02008b' }, limit: 1 })), ['a02007', 'a01007']);
    // Another org's entries of the same action (x1 newest of all) are not in the first org's list
    // above, and its own list is its own.
    assert.deepEqual(ids(await repo.list('o2', { action: 'webhook.delete', limit: 20 })), ['x1', 'x2']);
    await close();
  });
});
