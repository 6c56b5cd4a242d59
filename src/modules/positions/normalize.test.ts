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

  it('reads the UTC form clients send (toISOString, with or without milliseconds) as the general path reads it', () => {
    // A leading space takes the general path (trim, regexes, Date.parse); the bare text the
    // digit-by-digit one. Real instants from year 100 to 9999, and every field out of range.
    const texts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(Date.UTC(100, 0, 1) + Math.floor(((i * 7919) % 2000) / 2000 * (Date.UTC(9999, 11, 31) - Date.UTC(100, 0, 1))) + i * 37).toISOString();
      texts.push(iso, iso.replace(/\.\d{3}Z$/, 'Z'));
    }
    for (const y of ['0099', '0100', '1900', '2000', '2024', '2026', '2100']) {
      for (const [mo, d] of [['01', '31'], ['02', '28'], ['02', '29'], ['02', '30'], ['04', '30'], ['04', '31'], ['12', '31'], ['12', '32'], ['00', '10'], ['13', '01'], ['06', '00']]) {
        for (const time of ['00:00:00', '23:59:59', '24:00:00', '10:60:00', '10:00:60', '1a:00:00']) texts.push(`${y}-${mo}-${d}T${time}.250Z`, `${y}-${mo}-${d}T${time}Z`);
      }
    }
    texts.push('2026-12-01T10:00:00.12Z', '2026-12-01T10:00:00,123Z', '2026-12-01T10:00:00.123z', '2026-12-01 10:00:00.123Z', '2026-12-01T10:00:00.1234Z');
    let fast = 0;
    for (const t of texts) {
      assert.equal(parseTimestamp(t), parseTimestamp(` ${t}`), t);
      if (parseTimestamp(t) !== null) fast++;
    }
    assert.equal(parseTimestamp('2026-12-01T10:00:00.123Z'), Date.UTC(2026, 11, 1, 10, 0, 0, 123));
    assert.equal(parseTimestamp('2026-02-29T10:00:00Z'), null);
    assert.equal(parseTimestamp('2000-02-29T10:00:00Z'), Date.UTC(2000, 1, 29, 10));
    assert.ok(fast > 4000, `${fast} of ${texts.length} readable`);
  });
});
