// The checks every protocol's positions go through: the stored shape, and which message a client
// gets first when several values are wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalize, parseTimestamp } from './normalize.js';

const now = Date.UTC(2026, 11, 1, 12);
const good = { recorded_at: '2026-12-01T11:00:00Z', lat: '52.1', lon: 5.1 };

describe('normalize', () => {
  it('stores numbers, unknown (negative or absent) measurements as null', () => {
    assert.deepEqual(normalize({ ...good, accuracy_m: 5, speed_mps: '-1', heading_deg: 360, altitude_m: '-12.5', battery_pct: '' }, now), {
      recorded_at: Date.UTC(2026, 11, 1, 11),
      lat: 52.1,
      lon: 5.1,
      accuracy_m: 5,
      speed_mps: null,
      heading_deg: 360,
      altitude_m: -12.5,
      battery_pct: null,
    });
  });

  it('names the first wrong value: time, lat, lon, then altitude, then the others in column order', () => {
    assert.equal(normalize({ ...good, lat: 91, lon: 'x' }, now), 'lat: expected a number from -90 to 90');
    assert.equal(normalize({ ...good, accuracy_m: 'x', altitude_m: 'y' }, now), 'altitude_m: expected a number of metres');
    assert.equal(normalize({ ...good, accuracy_m: 'x', speed_mps: 500 }, now), 'accuracy_m: not a number');
    assert.equal(normalize({ ...good, speed_mps: 500, heading_deg: 361 }, now), 'speed_mps: above 400');
    assert.equal(normalize({ ...good, heading_deg: 361, battery_pct: 101 }, now), 'heading_deg: above 360');
    assert.equal(normalize({ ...good, battery_pct: 101 }, now), 'battery_pct: above 100');
    assert.equal(normalize({ ...good, lat: 0, lon: 0 }, now), 'lat/lon: 0,0 is not a position fix');
  });

  it('refuses a date or time that does not exist instead of rolling it over into another day', () => {
    for (const t of ['2026-11-31 10:00:00', '2026-11-31T10:00:00Z', '2026-02-29T10:00:00+01:00', '2026-11-30 24:00:00', '2026-11-30T24:00:00Z', '2026-00-10 10:00:00', '2026-13-01 10:00:00', '2026-11-30 10:60:00', '2026-11-30 10:00:60']) {
      assert.equal(parseTimestamp(t), null, t);
    }
    assert.equal(parseTimestamp('2024-02-29 10:00:00'), Date.UTC(2024, 1, 29, 10), 'a leap day exists');
    assert.equal(parseTimestamp('2026-11-30T23:59:59.5-01:00'), Date.UTC(2026, 11, 1, 0, 59, 59, 500));
    assert.equal(parseTimestamp('2026-12-01T10:00:00'), Date.UTC(2026, 11, 1, 10), 'without an offset: UTC');
  });
});
