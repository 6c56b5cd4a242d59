// When each piece of a shipment that a partner or a tracking link may show last changed, kept in
// shipments.changed_at as {key: ms}. A view's updated_at is the newest of its own times and of the
// change times of the keys it shows (changeTimeOf), so an edit of what it shows moves it and an
// edit of what it hides does not. Keys are the view fields they describe:
//   kind, reference, title, status, stages, current_stage, eta, customer_reference,
//   container_number, transport_service, hero_photo_id   the shipment's own value
//   custom_fields, extra_fields          the part of the list a partner or link shows (sharedFields)
//   stops, cargo, segments               how many there are
//   stops.<field>, cargo.<field>, segments.<field>   that field of every one of them, in order
//   stops.eta.except_destination         the stops' own ETAs but the destination's, which a link
//                                        showing the shipment's ETA replaces with that (public-view.ts)
//   stops.eta.destination, stops.window.destination   the destination's own ETA and window, which
//                                        a link's ETA block shows without the other stops'
//   stops.places.except_waypoints        the pickups' and deliveries' places (type, lat, lon): the
//                                        markers of a link's map that hides the stops (public-map.ts)
//   segments.name.<index>                the name of the segment at that index (missing: none there),
//                                        for a link sharing some segments: segments.name moves
//                                        with every segment's
//   notes.<scope>                        a note of that scope was removed (a new one shows its own time)
//   pallet_scans                         a scan was recorded (its scanned_at may lie in the past)
//   pallet_scans.stop_index              the scans' stop numbers, which adding or removing a stop
//                                        shifts (a link may show the scans and hide the stops)
//   photos.removed.<id>                  that photo was deleted: a link whose options pick it shows
//                                        one photo fewer (photoRemovedKey)
// Only keys whose value differs are moved (an unchanged PATCH moves nothing). Not kept: stop
// arrivals and departures (they are times a view shows itself, and a link hiding them still has
// the field, null), a computed ETA (the ETA coalescer writes it; its time is when a device
// reported, which a link may hide: etaCalculatedAt), internal data and contacts (never shown).
import type { ShipmentRow } from '../../db/schema.js';
import { sharedFields } from '../links/visibility.js';
import { toIso } from '../../shared/time.js';
import type { Db, ShipmentsRepository } from './shipments.repository.js';

export type ChangeTimes = Readonly<Record<string, number>>;
type Children = Pick<Awaited<ReturnType<ShipmentsRepository['children']>>, 'stops' | 'cargo' | 'segments' | 'scans'>;
/** Each tracked key's value, as JSON to compare. */
export type Tracked = ReadonlyMap<string, string>;

const SCALARS = ['kind', 'reference', 'title', 'status', 'stages', 'current_stage', 'eta', 'customer_reference', 'container_number', 'transport_service', 'hero_photo_id'] as const;
const STOP_FIELDS = ['type', 'name', 'address', 'lat', 'lon', 'reference', 'window_start', 'window_end', 'eta'] as const;
const CARGO_FIELDS = ['description', 'quantity', 'packaging', 'weight_kg'] as const;
const SEGMENT_FIELDS = ['name', 'from_stop', 'to_stop'] as const;

export function parseChangeTimes(json: string | null): ChangeTimes {
  try {
    const v: unknown = json ? JSON.parse(json) : {};
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as ChangeTimes) : {};
  } catch {
    return {};
  }
}

function fieldsOf(json: string) {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as { key: string; value: string; shareable: boolean }[]) : [];
  } catch {
    return [];
  }
}

/**
 * The destination of a route: its last delivery stop, or null. Its expected time is the shipment's
 * ETA where a link shows one (public-view.ts), so its own is kept apart (stops.eta.except_destination).
 */
export function destinationOf<S extends { type: string }>(stops: readonly S[]): S | null {
  return [...stops].reverse().find((st) => st.type === 'delivery') ?? null;
}

/** The tracked values of a shipment as stored (row and children), to compare before and after a change. */
export function tracked(s: ShipmentRow, c: Children): Tracked {
  const out = new Map<string, string>();
  const put = (key: string, value: unknown) => out.set(key, JSON.stringify(value ?? null));
  for (const k of SCALARS) put(k, s[k]);
  put('custom_fields', sharedFields(fieldsOf(s.custom_fields)));
  put('extra_fields', sharedFields(fieldsOf(s.extra_fields)));
  const list = <R, F extends keyof R & string>(name: string, rows: R[], fields: readonly F[]) => {
    put(name, rows.length);
    for (const f of fields) put(`${name}.${f}`, rows.map((r) => r[f]));
  };
  list('stops', c.stops, STOP_FIELDS);
  const destination = destinationOf(c.stops);
  put('stops.eta.except_destination', c.stops.filter((st) => st !== destination).map((st) => st.eta));
  put('stops.eta.destination', destination?.eta);
  put('stops.window.destination', destination ? [destination.window_start, destination.window_end] : null);
  put(
    'stops.places.except_waypoints',
    c.stops.filter((st) => st.type !== 'waypoint' && st.lat !== null && st.lon !== null).map((st) => [st.type, st.lat, st.lon]),
  );
  list('cargo', c.cargo, CARGO_FIELDS);
  list('segments', c.segments, SEGMENT_FIELDS);
  for (const g of c.segments) put(segmentNameKey(g.seq), g.name);
  put('pallet_scans.stop_index', c.scans.map((x) => x.stop_index));
  return out;
}

/** The key of the name of the segment at `index` (a link sharing that segment shows it). */
export function segmentNameKey(index: number): string {
  return `segments.name.${index}`;
}

/** The key moved when photo `id` is deleted: a link picking it shows one photo fewer. */
export function photoRemovedKey(id: string): string {
  return `photos.removed.${id}`;
}

/** The keys whose value differs (one missing on either side differs too). */
export function changedKeys(before: Tracked, after: Tracked): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
}

/** The stored record with `keys` moved to `at`. */
export function withChangeTimes(json: string | null, keys: readonly string[], at: number): string {
  const times: Record<string, number> = { ...parseChangeTimes(json) };
  for (const k of keys) times[k] = at;
  return JSON.stringify(times);
}

/**
 * The part of an update of `row` that moves `keys` to `at` (none when no key moved), for a change
 * that knows what it changed; `row` read locked in the same transaction (lockForChange).
 */
export function movedTimes(row: Pick<ShipmentRow, 'changed_at'>, keys: readonly string[], at: number): { changed_at?: string } {
  return keys.length ? { changed_at: withChangeTimes(row.changed_at, keys, at) } : {};
}

/** Reads the shipment as it is in `trx` (after a change) and moves the keys that differ from `before`. */
export async function recordChanges(repo: ShipmentsRepository, trx: Db, orgId: string, id: string, before: Tracked, at: number): Promise<void> {
  const row = await repo.find(orgId, id, trx);
  if (!row) return;
  const keys = changedKeys(before, tracked(row, await repo.children(orgId, id, trx)));
  if (keys.length) await repo.update(trx, orgId, id, { changed_at: withChangeTimes(row.changed_at, keys, at) });
}

/**
 * The keys a view's output shows, read from the output itself: each field present, and for a
 * list of objects (stops, cargo, segments…) `<list>.<field>` for each field its items have. A view
 * adds the keys its output names otherwise (an alias) itself. A key nothing tracks is ignored.
 */
export function keysShownIn(out: object): string[] {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined) continue;
    keys.push(k);
    if (Array.isArray(v)) for (const item of v) if (item && typeof item === 'object') for (const f of Object.keys(item)) keys.push(itemKey(k, f));
  }
  return keys;
}

// "<list>.<field>", made once per pair (the views' field names: a bounded set): made anew for
// every item of every list on each view's first render, each new string was then hashed again
// where changeTimeOf looked it up.
const MAX_ITEM_KEYS = 200;
const itemKeys = new Map<string, Map<string, string>>();
function itemKey(list: string, field: string): string {
  let byField = itemKeys.get(list);
  if (!byField) {
    if (itemKeys.size >= MAX_ITEM_KEYS) itemKeys.clear();
    byField = new Map();
    itemKeys.set(list, byField);
  }
  let key = byField.get(field);
  if (key === undefined) {
    key = `${list}.${field}`;
    if (byField.size >= MAX_ITEM_KEYS) byField.clear();
    byField.set(field, key);
  }
  return key;
}

/** The newest change time of `keys`, as ISO, or null when none of them was recorded. */
export function changeTimeOf(times: ChangeTimes, keys: Iterable<string>): string | null {
  // The newest number, made ISO once: every public view's first render asks this for its twenty
  // or so keys, and making each one ISO and parsing it back was a tenth of building the view.
  let latest = -Infinity;
  for (const k of keys) {
    const at = times[k];
    if (typeof at === 'number' && at > latest) latest = at;
  }
  return latest === -Infinity ? null : toIso(latest);
}
