// One incoming position, checked on its own: every protocol ends here, so the rules (ranges,
// the future limit, unknown values) are the same for the API, OsmAnd and OwnTracks.
import type { PositionRow } from '../../db/schema.js';

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
  if (typeof v !== 'string' || !v.trim()) return null;
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
