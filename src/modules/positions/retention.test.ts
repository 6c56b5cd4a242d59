// The row-by-row purge of retention, in small steps: exactly the expired positions no shipment
// needs go, and each step reads only its own key range of the org's positions.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionJob, retentionCutoff } from './retention.js';

const at = (s: string) => Date.parse(s);
const HOUR = 3600_000;

/** Records the key range of every step. */
class RecordingRetention extends RetentionRepository {
  ranges: { from: number | null; to: number }[] = [];
  override purge(orgId: string, cutoff: number, range: { from: number | null; to: number }): Promise<number> {
    this.ranges.push(range);
    return super.purge(orgId, cutoff, range);
  }
}

describeStores('retention purge in steps', (ctx) => {
  it('deletes exactly the expired positions no shipment needs, each step over its own range of at most a step of positions, the last one too', async () => {
    const o = await ctx().newOrg();
    assert.equal((await o.api.patch('/api/v1/org', { position_retention_days: 30 })).status, 200);
    const device = async (name: string) => (await o.api.post('/api/v1/devices', { name })).body.id as string;
    const [loose, other, needed] = [await device('Van'), await device('Bike'), await device('Truck on its way')];
    const s = await o.api.post('/api/v1/shipments', { kind: 'order', reference: uniqueRef('RET'), status: 'in_transit' });
    assert.equal(s.status, 201, s.text);
    assert.equal((await o.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: needed, layer: 'driver' })).status, 201);

    const now = at('2030-06-15T12:00:00Z');
    const cutoff = retentionCutoff(now, 30);
    // Ten expired hours, each with a position of all three devices at the same instant (ties
    // across a step's bound), and three positions of the van that have not expired.
    const expired = Array.from({ length: 10 }, (_, i) => at('2030-05-01T00:00:00Z') + i * HOUR);
    const recent = [cutoff, cutoff + HOUR, now];
    const row = (device_id: string, recorded_at: number) => ({ org_id: o.org_id, device_id, recorded_at, received_at: now, lat: 52, lon: 5 });
    const rows = [...expired.flatMap((t) => [row(loose, t), row(other, t), row(needed, t)]), ...recent.map((t) => row(loose, t))];
    assert.equal((await ctx().repos.positions.insertPositions(rows)).length, rows.length);

    const repo = new RecordingRetention(ctx().store.db);
    const run = await new RetentionJob(repo, undefined, undefined, null, 4).runOnce(now);

    assert.deepEqual(run, { deleted: 20, dropped: [] });
    const left = await ctx().store.db.selectFrom('positions').select(['device_id', 'recorded_at']).where('org_id', '=', o.org_id).orderBy('recorded_at').orderBy('device_id').execute();
    const expected = [...expired.map((t) => ({ device_id: needed, recorded_at: t })), ...recent.map((t) => ({ device_id: loose, recorded_at: t }))].sort(
      (a, b) => a.recorded_at - b.recorded_at || (a.device_id < b.device_id ? -1 : 1),
    );
    assert.deepEqual(left.map((r) => ({ device_id: r.device_id, recorded_at: Number(r.recorded_at) })), expected);

    // The steps tile the expired range: the first from the start, each from where the last ended,
    // the last up to the cutoff. None reads more than a step (4) of the 33 positions before it,
    // so the last one, which deletes nothing new, does not read again what the others deleted.
    const ranges = repo.ranges;
    assert.equal(ranges[0].from, null);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i].from, ranges[i - 1].to);
    assert.equal(ranges.at(-1)?.to, cutoff);
    for (const r of ranges) {
      const inRange = rows.filter((p) => p.recorded_at < r.to && (r.from === null || p.recorded_at >= r.from)).length;
      assert.ok(inRange <= 4, `step ${JSON.stringify(r)} covers ${inRange} positions`);
    }
    assert.ok(ranges.length >= 30 / 4, `${ranges.length} steps`);
  });
});
