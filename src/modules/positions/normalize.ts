// One incoming position, checked on its own: every protocol ends here, so the rules (ranges,
// the future limit, unknown values) are the same for the API, OsmAnd and OwnTracks.
import type { NewPosition, PositionRow } from '../../db/schema.js';

export interface RawPosition {
  recorded_at: unknown;
  lat: unknown;
  lon: unknown;
  accuracy_m?: unknown;
  speed_mps?: unknown;
  heading_deg?: unknown;
  altitude_m?: unknown;
  battery_pct?: unknown;
}

/** The measured part of a stored position: what the device said, checked. */
export type CleanPosition = Omit<PositionRow, 'id' | 'org_id' | 'device_id' | 'received_at'>;

/**
 * How far ahead of the server's clock a position may be (ms). GPS and network time put a working
 * device within seconds; a time zone sent as UTC is hours off and a broken clock more. Ten minutes,
 * not the day it used to be, because a position is shown on whichever shipment the device carries
 * at its recorded time: one dated hours ahead stayed the device's newest until then, and once the
 * device was handed to another shipment it showed there, a place the device was while carrying
 * the first one, to the second one's recipients.
 */
export const MAX_FUTURE_MS = 10 * 60_000;
/** Older than this is a broken clock too (GPS week rollover sends 1999 dates). */
const MIN_TIME = Date.UTC(2000, 0, 1);

const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};

/** Optional measurement: absent or negative ("unknown" in Traccar/OsmAnd) becomes null. */
function optional(v: unknown, max: number): number | null | string {
  const n = num(v);
  if (n === null) return null;
  if (Number.isNaN(n)) return 'not a number';
  if (n < 0) return null;
  if (n > max) return `above ${max}`;
  return n;
}

/** Epoch seconds, epoch ms, ISO 8601 (with offset or Z) or `yyyy-MM-dd HH:mm:ss` (UTC). */
export function parseTimestamp(v: unknown): number | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  }
  if (typeof v !== 'string') return null;
  const utc = isoUtc(v);
  if (utc !== undefined) return utc;
  if (!v.trim()) return null;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return parseTimestamp(Number(s));
  const plain = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(s);
  if (plain) {
    const [, y, mo, d, h, mi, se, frac] = plain;
    if (!exists(+y, +mo, +d, +h, +mi, +se)) return null;
    return Date.UTC(+y, +mo - 1, +d, +h, +mi, +se, frac ? Math.round(Number(frac) * 1000) : 0);
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(s);
  if (!iso || !exists(+iso[1], +iso[2], +iso[3], +iso[4], +iso[5], Number(iso[6] ?? 0))) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * `yyyy-MM-ddTHH:mm:ss.sssZ` and `yyyy-MM-ddTHH:mm:ssZ` (what toISOString and most clients send),
 * read digit by digit: the regexes, the Date made by exists() and Date.parse took most of a
 * batch's validation. The same answer as the general path below (null for a date or time that
 * does not exist); undefined for any other form, which that path reads. Years from 100 on only:
 * Date.UTC reads 0 to 99 as 1900 to 1999.
 */
function isoUtc(s: string): number | null | undefined {
  const n = s.length;
  if ((n !== 24 && n !== 20) || s.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  if (n === 24 && s.charCodeAt(19) !== 46 /* . */) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  const ms = n === 24 ? digits(s, 20, 3) : 0;
  if (y < 100 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0 || ms < 0) return undefined;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59 || d > daysIn(y, mo)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, se, ms);
}

/** The number written by `count` decimal digits of `s` from `at`, or -1 if one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days in month `mo` (1 to 12) of year `y` of the Gregorian calendar. */
function daysIn(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/**
 * Whether the date and time are on the calendar and the clock: Date.UTC and Date.parse roll
 * 31 November or 24:00 over into the next day, which would store a position at a time the device
 * never sent.
 */
function exists(y: number, mo: number, d: number, h: number, mi: number, se: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function normalize(raw: RawPosition, now: number): CleanPosition | string {
  const at = parseTimestamp(raw.recorded_at);
  if (at === null) return 'recorded_at: expected an ISO 8601 time or epoch seconds/milliseconds';
  if (at > now + MAX_FUTURE_MS) return 'recorded_at: more than 10 minutes in the future';
  if (at < MIN_TIME) return 'recorded_at: before the year 2000';
  const lat = num(raw.lat);
  const lon = num(raw.lon);
  if (lat === null || Number.isNaN(lat) || lat < -90 || lat > 90) return 'lat: expected a number from -90 to 90';
  if (lon === null || Number.isNaN(lon) || lon < -180 || lon > 180) return 'lon: expected a number from -180 to 180';
  // 0,0 is what phones report without a fix; nothing we track sails through Null Island.
  if (lat === 0 && lon === 0) return 'lat/lon: 0,0 is not a position fix';
  // Altitude is refused first, then the others in column order (the messages a client sees).
  const altitude_m = num(raw.altitude_m);
  if (altitude_m !== null && (Number.isNaN(altitude_m) || Math.abs(altitude_m) > 100_000)) return 'altitude_m: expected a number of metres';
  const accuracy_m = optional(raw.accuracy_m, 1_000_000);
  if (typeof accuracy_m === 'string') return `accuracy_m: ${accuracy_m}`;
  const speed_mps = optional(raw.speed_mps, 400);
  if (typeof speed_mps === 'string') return `speed_mps: ${speed_mps}`;
  const heading_deg = optional(raw.heading_deg, 360);
  if (typeof heading_deg === 'string') return `heading_deg: ${heading_deg}`;
  const battery_pct = optional(raw.battery_pct, 100);
  if (typeof battery_pct === 'string') return `battery_pct: ${battery_pct}`;
  return { recorded_at: at, lat, lon, accuracy_m, speed_mps, heading_deg, altitude_m, battery_pct };
}

/**
 * The row of a checked position, every field written out: a literal of known shape costs a
 * fraction of `{ ...clean }`, which copies the fields one by one, for each of a batch's rows. The
 * return type names every column, so a column added to positions cannot be left out here.
 */
export function positionRow(orgId: string, deviceId: string, receivedAt: number, clean: CleanPosition): Required<Omit<NewPosition, 'id'>> {
  return {
    org_id: orgId,
    device_id: deviceId,
    recorded_at: clean.recorded_at,
    received_at: receivedAt,
    lat: clean.lat,
    lon: clean.lon,
    accuracy_m: clean.accuracy_m,
    speed_mps: clean.speed_mps,
    heading_deg: clean.heading_deg,
    altitude_m: clean.altitude_m,
    battery_pct: clean.battery_pct,
  };
}
