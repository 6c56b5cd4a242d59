// Traccar server's position forwarding with JSON (PositionForwarderJson): one PositionData per
// request, `{"position":{…},"device":{…}}` as Jackson writes Traccar's models. Speed is in knots;
// times are ISO 8601 strings (older versions may write epoch milliseconds); an accuracy of 0 is
// Traccar's "not reported"; attributes hold protocol extras such as batteryLevel (percent).
import type { RawPosition } from '../normalize.js';

const KNOT_MPS = 1852 / 3600;

export interface TraccarForward {
  /** device.uniqueId: the device's identifier in Traccar, a Tracklink device's external_id. */
  uniqueId: string;
  /** position.valid false: the device had no GPS fix (Traccar often repeats the last coordinates). */
  valid: boolean;
  /** position.outdated true: Traccar filled in the last known location for a message without one. */
  outdated: boolean;
  raw: RawPosition;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The forwarded body, or why it is not one (a configuration mistake such as forward.type=url). */
export function parseTraccarForward(body: unknown): TraccarForward | string {
  if (!isObject(body)) return 'expected the JSON object Traccar forwards: {"position":{…},"device":{…}} (forward.type json)';
  const { position: p, device: d } = body;
  if (!isObject(p)) return 'position: required (an object)';
  if (!isObject(d)) return 'device: required (an object)';
  const uniqueId = typeof d.uniqueId === 'string' ? d.uniqueId.trim() : typeof d.uniqueId === 'number' ? String(d.uniqueId) : '';
  if (!uniqueId || uniqueId.length > 200) return 'device.uniqueId: required, at most 200 characters';
  const knots = finite(p.speed);
  const accuracy = finite(p.accuracy);
  const attributes = isObject(p.attributes) ? p.attributes : {};
  const battery = finite(attributes.batteryLevel);
  return {
    uniqueId,
    valid: p.valid !== false,
    outdated: p.outdated === true,
    raw: {
      recorded_at: p.fixTime ?? p.deviceTime,
      lat: p.latitude,
      lon: p.longitude,
      altitude_m: p.altitude,
      heading_deg: p.course,
      speed_mps: knots === null ? p.speed : knots >= 0 ? Math.round(knots * KNOT_MPS * 1000) / 1000 : null,
      accuracy_m: accuracy === 0 ? null : p.accuracy,
      // Some protocols report a voltage or a raw level here; only a percentage is a battery level.
      battery_pct: battery !== null && battery >= 0 && battery <= 100 ? battery : null,
    },
  };
}
