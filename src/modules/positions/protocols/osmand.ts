// The OsmAnd protocol as Traccar Client and OsmAnd send it: parameters in the query string (GET or
// POST) or a form body, or the JSON body of newer Traccar Client versions. Speed is in knots in
// the parameter form and m/s in JSON; negative values mean "unknown".
import type { RawPosition } from '../normalize.js';

const KNOT_MPS = 1852 / 3600;

export interface OsmandPosition {
  externalId: string | null;
  raw: RawPosition;
}

type Params = Record<string, unknown>;

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const str = (v: unknown): string | undefined => {
  const x = first(v);
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined;
};

/** Query string and/or form body parameters (the body wins when both name one). */
export function parseOsmandParams(query: Params, body: Params): OsmandPosition | string {
  const p: Params = { ...query, ...body };
  const get = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = str(p[n]);
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  };
  const externalId = get('id', 'deviceid') ?? null;
  let lat: unknown = get('lat');
  let lon: unknown = get('lon');
  const location = get('location');
  if ((lat === undefined || lon === undefined) && location) {
    const parts = location.split(',');
    if (parts.length !== 2) return 'location: expected "lat,lon"';
    [lat, lon] = parts;
  }
  if (lat === undefined || lon === undefined) return 'lat and lon (or location) are required';
  const speed = get('speed');
  const knots = speed === undefined ? undefined : Number(speed);
  return {
    externalId,
    raw: {
      // Traccar Client always sends a timestamp; a bare OsmAnd URL may not: then "now".
      recorded_at: get('timestamp') ?? Date.now(),
      lat,
      lon,
      speed_mps: knots === undefined ? undefined : Number.isFinite(knots) && knots >= 0 ? Math.round(knots * KNOT_MPS * 1000) / 1000 : Number.isFinite(knots) ? null : speed,
      heading_deg: get('bearing', 'heading'),
      altitude_m: get('altitude'),
      accuracy_m: get('accuracy'),
      battery_pct: get('batt', 'battery'),
    },
  };
}

interface TraccarJson {
  device_id?: unknown;
  location?: {
    timestamp?: unknown;
    coords?: { latitude?: unknown; longitude?: unknown; accuracy?: unknown; speed?: unknown; heading?: unknown; altitude?: unknown };
    battery?: { level?: unknown };
  };
}

/** `{"device_id","location":{"timestamp","coords":{…},"battery":{"level":0..1}}}`. */
export function parseTraccarJson(body: unknown): OsmandPosition | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object';
  const b = body as TraccarJson;
  const externalId = typeof b.device_id === 'string' || typeof b.device_id === 'number' ? String(b.device_id) : null;
  const loc = b.location;
  if (typeof loc !== 'object' || loc === null) return 'location: required';
  const c = loc.coords;
  if (typeof c !== 'object' || c === null) return 'location.coords: required';
  const level = typeof loc.battery?.level === 'number' ? loc.battery.level : null;
  return {
    externalId,
    raw: {
      recorded_at: loc.timestamp,
      lat: c.latitude,
      lon: c.longitude,
      accuracy_m: c.accuracy,
      speed_mps: c.speed,
      heading_deg: c.heading,
      altitude_m: c.altitude,
      battery_pct: level === null || level < 0 ? null : Math.round(level * 100),
    },
  };
}
