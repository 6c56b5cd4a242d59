// OwnTracks HTTP mode: a JSON message per POST, authenticated with HTTP Basic (user = device
// external id, password = device token). Only `_type: "location"` carries a position.
import type { RawPosition } from '../normalize.js';

export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  // The last colon: an external id may hold colons (`fleet:van-7`) and OwnTracks sends it as the
  // user as it is, while the password, a device token, never holds one.
  const i = decoded.lastIndexOf(':');
  if (i < 0) return null;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

interface OwnTracksLocation {
  _type?: unknown;
  tst?: unknown;
  lat?: unknown;
  lon?: unknown;
  acc?: unknown;
  alt?: unknown;
  vel?: unknown;
  cog?: unknown;
  batt?: unknown;
}

/** A position for `_type: "location"`, null for every other message type. */
export function parseOwnTracks(body: unknown): RawPosition | null | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object';
  const m = body as OwnTracksLocation;
  if (m._type !== 'location') return null;
  const vel = typeof m.vel === 'number' ? m.vel : null;
  return {
    recorded_at: typeof m.tst === 'number' ? m.tst * 1000 : m.tst,
    lat: m.lat,
    lon: m.lon,
    accuracy_m: m.acc,
    altitude_m: m.alt,
    speed_mps: vel === null ? m.vel : vel < 0 ? null : vel / 3.6,
    heading_deg: m.cog,
    battery_pct: m.batt,
  };
}
