// A long history is read as a time-bucketed sample of real positions before downsampling:
// what the reply shows must still be the track's own points, its ends and its true size.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';
import { MAX_HISTORY_POINTS } from './positions.service.js';

const iso = (ms: number) => new Date(ms).toISOString();
const STEP = 10_000;
const COUNT = 9_000;

describeStores('long position histories', (ctx) => {
  it('downsamples a track too long to read whole from its own points, keeping both ends and the true total', async () => {
    const org = await ctx().newOrg();
    const t0 = Date.now() - (COUNT + 10) * STEP;
    const s = await org.api.post('/api/v1/shipments', {
      kind: 'order',
      reference: uniqueRef('LONG'),
      status: 'in_transit',
      stops: [
        { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(t0 - 60_000) },
        { type: 'delivery', lat: 52.1, lon: 5.1 },
      ],
      segments: [{ name: 'Main', from_stop: 0, to_stop: 1 }],
    });
    assert.equal(s.status, 201, s.text);
    const device = (await org.api.post('/api/v1/devices', { name: 'Truck' })).body.id as string;
    await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: device, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    const stored = new Map<number, [number, number]>();
    for (let b = 0; b < COUNT; b += 1000) {
      const batch = [];
      for (let i = b; i < Math.min(COUNT, b + 1000); i++) {
        const t = t0 + i * STEP;
        // A zig-zag, so a wrong pairing of time and place shows.
        const lat = 51.9 + i / 100_000;
        const lon = 4.4 + (i % 50) / 1000;
        stored.set(t, [lat, lon]);
        batch.push({ device_id: device, recorded_at: iso(t), lat, lon });
      }
      const r = await ctx().services.positions.ingestBatch({ kind: 'org', orgId: org.org_id }, batch);
      assert.equal(r.accepted, batch.length);
    }
    const h = await ctx().services.positions.history(
      { orgId: org.org_id, shipmentId: s.body.id, layers: ['driver'], segments: [0], driverPosition: 'always', history: true },
      {},
    );
    assert.equal(h.layers.length, 1);
    const { points, total, downsampled } = h.layers[0];
    assert.equal(total, COUNT);
    assert.equal(downsampled, true);
    assert.ok(points.length <= MAX_HISTORY_POINTS && points.length >= MAX_HISTORY_POINTS / 2, `${points.length} points`);
    assert.equal(points[0][0], t0);
    assert.equal(points.at(-1)?.[0], t0 + (COUNT - 1) * STEP);
    for (let i = 0; i < points.length; i++) {
      const [t, lat, lon] = points[i];
      assert.deepEqual([lat, lon], stored.get(t), `point ${i} is a stored position`);
      if (i > 0) assert.ok(t > points[i - 1][0], 'oldest first, no repeats');
    }
  });
});
