// Looking up an org's devices by id or external id on SQLite (DevicesRepository.findDevices, an
// ingest batch's device_id values): each ref is sought by the primary key and by the external-id
// index and the org is checked on the rows found, on a store that never ran ANALYZE (a server
// never does). Without statistics SQLite read two refs or more through (org_id, external_id):
// every device of the org, which grows with the fleet. The org check itself must still hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { DevicesRepository } from './devices.repository.js';

describe("an org's device look-ups on SQLite without statistics", () => {
  it('seek each ref by its index and still keep to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const insert = handle.prepare(`insert into devices (id, org_id, name, external_id, token_hash, created_at, external_id_generated) values (?, ?, ?, ?, ?, ?, 0)`);
    const t0 = 1_700_000_000_000;
    // One org's fleet of 500 devices, and another org's device that uses one of its external ids.
    handle.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run(`d${i}`, 'o1', `D${i}`, `ext${i}`, `h${i}`, t0 + i);
      insert.run('x1', 'o2', 'X', 'ext7', 'hx', t0);
    })();
    const repo = new DevicesRepository(db, 'sqlite');

    const reads: [string, () => Promise<unknown>][] = [
      ['findDevice', () => repo.findDevice('o1', 'ext7')],
      ['findDevices of 2', () => repo.findDevices('o1', ['ext7', 'd9'])],
      ['findDevices of 20', () => repo.findDevices('o1', Array.from({ length: 20 }, (_, i) => `ext${i * 3}`))],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      const onDevices = plan.filter((d) => /^(SEARCH|SCAN) devices\b/.test(d));
      assert.ok(onDevices.length > 0, `${name}: ${plan.join(' | ')}`);
      for (const d of onDevices) assert.match(d, /USING (COVERING )?INDEX (sqlite_autoindex_devices_1 \(id=\?\)|devices_external_id \(external_id=\?\)|devices_org_external_id \(org_id=\? AND external_id=\?\))/, `${name} seeks each ref: ${plan.join(' | ')}`);
    }

    assert.equal((await repo.findDevice('o1', 'ext7'))?.id, 'd7');
    assert.equal((await repo.findDevice('o1', 'd7'))?.id, 'd7');
    assert.deepEqual((await repo.findDevices('o1', ['ext7', 'd9', 'nope'])).map((d) => d.id).sort(), ['d7', 'd9']);
    // Another org's device is out of reach, by id or by an external id both orgs use.
    assert.equal(await repo.findDevice('o1', 'x1'), undefined);
    assert.deepEqual(await repo.findDevices('o1', ['x1', 'hx']), []);
    assert.deepEqual((await repo.findDevices('o2', ['ext7', 'd7', 'd9'])).map((d) => d.id), ['x1']);
    await close();
  });
});
