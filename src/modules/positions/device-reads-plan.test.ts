// A device's reads on SQLite (PositionsRepository): each seeks (device_id, recorded_at) and checks
// the org on the rows found, on a store that never ran ANALYZE (a server never does). Without
// statistics SQLite used to take (org_id, recorded_at) instead and scan the whole org's positions
// in the window, which grows with the fleet. The org check itself must still hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { PositionsRepository } from './positions.repository.js';

describe("a device's position reads on SQLite without statistics", () => {
  it('seek the device index and still keep to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const insert = handle.prepare(`insert into positions (org_id, device_id, recorded_at, received_at, lat, lon) values (?, ?, ?, 0, ?, ?)`);
    const t0 = 1_700_000_000_000;
    // One org's fleet of 50 devices reporting in turn, and one device of another org.
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run('o1', `d${i % 50}`, t0 + i * 1000, 52, 5);
      insert.run('o2', 'x1', t0, 40, 3);
    })();
    const repo = new PositionsRepository(db, 'sqlite');
    const end = t0 + 5000 * 1000;

    const reads: [string, () => Promise<unknown>][] = [
      ['latestInEach', () => repo.latestInEach('o1', [{ deviceId: 'd7', from: t0, to: end }, { deviceId: 'd8', from: t0, to: end }])],
      ['recentBetween', () => repo.recentBetween('o1', 'd7', t0, end, 60)],
      ['pointsBetween', () => repo.pointsBetween('o1', 'd7', t0, end, 60)],
      ['latestBetween', () => repo.latestBetween('o1', 'd7', t0, end)],
      ['trackBetween', () => repo.trackBetween('o1', 'd7', t0, end, 60)],
      ['recent', () => repo.recent('o1', 'd7', 60)],
      ['countForDevice', () => repo.countForDevice('o1', 'd7')],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      const onPositions = plan.filter((d) => /^(SEARCH|SCAN) (positions|w)\b/.test(d) && !/SUBQUERY|^SCAN w$/.test(d));
      assert.ok(onPositions.length > 0, `${name}: ${plan.join(' | ')}`);
      for (const d of onPositions) assert.match(d, /USING (COVERING )?INDEX positions_device_time \(device_id=\?/, `${name} reads the device's rows by its index: ${plan.join(' | ')}`);
    }

    assert.equal((await repo.recentBetween('o1', 'd7', t0, end, 1000)).length, 100);
    assert.equal(await repo.countForDevice('o1', 'd7'), 100);
    assert.equal((await repo.latestInEach('o1', [{ deviceId: 'd7', from: t0, to: end }]))[0].recorded_at, t0 + 4957 * 1000);
    // Another org's device is out of reach by every read, its id known or not.
    assert.deepEqual(await repo.recentBetween('o1', 'x1', t0, end, 60), []);
    assert.deepEqual(await repo.latestInEach('o1', [{ deviceId: 'x1', from: t0, to: end }]), []);
    assert.equal(await repo.latestBetween('o1', 'x1', t0, end), undefined);
    assert.deepEqual(await repo.trackBetween('o1', 'x1', t0, end, 60), []);
    assert.deepEqual(await repo.recent('o1', 'x1', 60), []);
    assert.equal(await repo.countForDevice('o1', 'x1'), 0);
    assert.equal(await repo.countForDevice('o2', 'x1'), 1);
    await close();
  });
});
