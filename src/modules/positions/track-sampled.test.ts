// The sampled history read on SQLite (PositionsRepository.trackSampled): per time bucket one seek
// on (device_id, recorded_at) and the row fetched by its rowid, nothing more, whatever the query
// planner would otherwise prefer; and the points are the first of each bucket, oldest first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { PositionsRepository } from './positions.repository.js';

describe('sampled history read on SQLite', () => {
  it('seeks each bucket once and fetches its row by rowid', async () => {
    const { handle, db, queries, planOf, close } = await openPlanStore();
    const insert = handle.prepare(`insert into positions (org_id, device_id, recorded_at, received_at, lat, lon) values (?, ?, ?, 0, ?, ?)`);
    const t0 = 1_700_000_000_000;
    handle.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        insert.run('o1', 'd1', t0 + i * 10_000, 52 + i / 1e5, 5);
        insert.run('o1', 'd2', t0 + i * 10_000, 50, 4);
      }
    })();
    handle.exec('analyze');
    const repo = new PositionsRepository(db, 'sqlite');
    const width = 100_000; // ten points a bucket
    const track = await repo.trackSampled('o1', 'd1', t0, t0 + 2999 * 10_000, width);
    assert.deepEqual(
      track.map((p) => p[0]),
      Array.from({ length: 300 }, (_, k) => t0 + k * width),
    );
    assert.deepEqual(track[1], [t0 + width, 52 + 10 / 1e5, 5]);
    assert.deepEqual(await repo.trackSampled('o2', 'd1', t0, t0 + 2999 * 10_000, width), [], 'another org sees nothing');
    const q = queries[0];
    const plan = planOf(q);
    const onPositions = plan.filter((d) => /^(SEARCH|SCAN) (p|q|positions)\b/.test(d));
    assert.deepEqual(
      onPositions.map((d) => d.replace(/ \(.*/, '')),
      ['SEARCH p USING INTEGER PRIMARY KEY', 'SEARCH q USING COVERING INDEX positions_device_time'],
      plan.join('\n'),
    );
    await close();
  });
});
