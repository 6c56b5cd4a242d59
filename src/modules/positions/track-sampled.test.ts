// The sampled history read on SQLite (PositionsRepository.trackSampled): per time bucket one seek
// on (device_id, recorded_at) and the row fetched by its rowid, nothing more, whatever the query
// planner would otherwise prefer; and the points are the first of each bucket, oldest first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { createStore } from '../../db/index.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Database } from '../../db/schema.js';
import { PositionsRepository } from './positions.repository.js';

describe('sampled history read on SQLite', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-sampled-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('seeks each bucket once and fetches its row by rowid', async () => {
    const store = createStore({ kind: 'sqlite', file: path.join(dir, 't.db') });
    await migrateToLatest(store);
    const handle = store.sqlite as NonNullable<typeof store.sqlite>;
    // Only positions matter here: the org and device rows they belong to are left out.
    handle.pragma('foreign_keys = OFF');
    const insert = handle.prepare(`insert into positions (org_id, device_id, recorded_at, received_at, lat, lon) values (?, ?, ?, 0, ?, ?)`);
    const t0 = 1_700_000_000_000;
    handle.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        insert.run('o1', 'd1', t0 + i * 10_000, 52 + i / 1e5, 5);
        insert.run('o1', 'd2', t0 + i * 10_000, 50, 4);
      }
    })();
    handle.exec('analyze');
    const queries: CompiledQuery[] = [];
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }), log: (e) => void queries.push(e.query) });
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
    const plan = (handle.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[]).map((r) => r.detail);
    const onPositions = plan.filter((d) => /^(SEARCH|SCAN) (p|q|positions)\b/.test(d));
    assert.deepEqual(
      onPositions.map((d) => d.replace(/ \(.*/, '')),
      ['SEARCH p USING INTEGER PRIMARY KEY', 'SEARCH q USING COVERING INDEX positions_device_time'],
      plan.join('\n'),
    );
    await store.close();
  });
});
