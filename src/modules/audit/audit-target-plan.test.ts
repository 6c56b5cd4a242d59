// The audit log of one target on SQLite (AuditRepository.list with a target filter, the list
// behind GET /api/v1/audit-log?target_id=): it seeks (target_id, created_at, id) newest first and
// checks the org on the rows found, on a store that never ran ANALYZE (a server never does). It
// used to read through (org_id, created_at): the org's whole history (the audit log is never
// purged), checked one by one for the target. The org check must still hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { AuditRepository } from './audit.repository.js';

describe("a target's audit log on SQLite without statistics", () => {
  it('seeks the target index in page order and still keeps to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const row = handle.prepare(
      `insert into audit_log (id, org_id, actor_type, actor_id, actor_label, action, target_type, target_id, data, created_at) values (?, ?, 'api_key', 'k1', 'key', ?, ?, ?, '{}', ?)`,
    );
    const actions = ['link.revoke', 'link.create', 'link.update'];
    // One org's 5,000 entries over 500 targets and three actions, some with no target (settings);
    // and another org's entries, one of them newest of all on a target id the first org also has.
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const t = t0 + i * 1000;
        row.run(`a${String(i).padStart(5, '0')}`, 'o1', actions[i % 3], 'link', i % 50 === 49 ? null : `t${i % 500}`, t);
      }
      row.run('x1', 'o2', 'link.create', 'link', 'tx', t0);
      row.run('x2', 'o2', 'link.create', 'link', 't7', t0 + 9_999_000);
    })();
    const repo = new AuditRepository(db, 'sqlite');

    const reads: [string, () => Promise<unknown>][] = [
      ['list of a target', () => repo.list('o1', { targetId: 't7', limit: 20 })],
      ['list of a target, one action', () => repo.list('o1', { targetId: 't7', action: 'link.revoke', limit: 20 })],
      ['list of a target, next page', () => repo.list('o1', { targetId: 't7', before: { at: t0 + 3000 * 1000, id: 'z' }, limit: 2 })],
      ['list of a target, one action, next page', () => repo.list('o1', { targetId: 't7', action: 'link.revoke', before: { at: t0 + 3000 * 1000, id: 'z' }, limit: 2 })],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      assert.equal(plan.length, 1, `${name} needs no sort: ${plan.join(' | ')}`);
      assert.match(plan[0], /^SEARCH audit_log USING INDEX audit_log_target_created \(target_id=\?/, `${name} reads the target's rows by its index: ${plan.join(' | ')}`);
    }
    // The org's list without a target keeps (org_id, created_at).
    assert.match((await planOfRead('list of the org', () => repo.list('o1', { limit: 20 })))[0], /USING INDEX audit_log_org_time \(org_id=\?\)/);

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    assert.deepEqual(ids(await repo.list('o1', { targetId: 't7', limit: 3 })), ['a04507', 'a04007', 'a03507', 'a03007']);
    assert.deepEqual(ids(await repo.list('o1', { targetId: 't7', before: { at: t0 + 3007 * 1000, id: 'a03007' }, limit: 1 })), ['a02507', 'a02007']);
    assert.deepEqual(ids(await repo.list('o1', { targetId: 't7', action: 'link.revoke', limit: 20 })), ['a03507', 'a02007', 'a00507']);
    assert.deepEqual(ids(await repo.list('o1', { limit: 2 })), ['a04999', 'a04998', 'a04997']);
    // Another org's entries are out of reach, their target id known, shared or not.
    assert.deepEqual(await repo.list('o1', { targetId: 'tx', limit: 20 }), []);
    assert.deepEqual(ids(await repo.list('o2', { targetId: 't7', limit: 20 })), ['x2']);
    assert.deepEqual(ids(await repo.list('o2', { targetId: 'tx', limit: 20 })), ['x1']);
    await close();
  });
});
