import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataBody, dataHead } from './data-json.js';

describe('the /data body in two parts', () => {
  it('is byte for byte JSON.stringify({ ...view, positions }), for an empty view, nested values and non-Latin-1 text', () => {
    const positions = [{ layer: 'driver', recorded_at: '2026-12-01T06:00:00.000Z', lat: 52.1, lon: 4.9, speed_mps: null, heading_deg: 90, accuracy_m: 5 }];
    const views: object[] = [
      {},
      { reference: 'ÖBB-Łódź 東京 🚚', stops: [{ name: 'A "quoted" \\ stop', at: null }], map: { layers: ['driver'], next_stop: null } },
      { status: 'in_transit', eta: { at: '2026-12-01T08:00:00.000Z' } },
    ];
    for (const view of views) {
      for (const p of [[], positions]) {
        const body = dataBody(Buffer.from(dataHead(view)), p);
        assert.deepEqual(body, Buffer.from(JSON.stringify({ ...view, positions: p })), JSON.stringify(view));
        assert.deepEqual(JSON.parse(body.toString('utf8')), { ...view, positions: p });
      }
    }
  });
});
