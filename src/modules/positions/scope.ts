// Turns a link's PositionScope plus the shipment's stops, segments and sources into plain time
// windows per device and layer. Everything the public sees of positions goes through visibleLayers,
// so the live stream can filter in memory without a query per event.
import type { Layer } from '../../db/schema.js';
import type { PositionScope } from './positions.contract.js';
import type { ShipmentShape } from './positions.repository.js';

/** [from, to] in epoch ms, inclusive; Infinity bounds mean "open". */
export type Window = [number, number];

export interface ScopeEntry {
  deviceId: string;
  layer: Layer;
  windows: Window[];
  /** True for the cargo layer inferred from the driver's device. */
  inferred: boolean;
}

export interface ScopeRuntime {
  orgId: string;
  shipmentId: string;
  history: boolean;
  entries: ScopeEntry[];
}

const ALWAYS: Window[] = [[-Infinity, Infinity]];

function intersect(a: Window[], b: Window[]): Window[] {
  const out: Window[] = [];
  for (const [af, at] of a) {
    for (const [bf, bt] of b) {
      const f = Math.max(af, bf);
      const t = Math.min(at, bt);
      if (f <= t) out.push([f, t]);
    }
  }
  return out;
}

/** A segment runs from the departure at its from stop to the arrival at its to stop. */
function segmentWindow(shape: ShipmentShape, seq: number): Window | null {
  const seg = shape.segments.find((s) => s.seq === seq);
  if (!seg) return null;
  let from = -Infinity;
  if (seg.from_stop !== null) {
    const stop = shape.stops.find((s) => s.seq === seg.from_stop);
    if (!stop || stop.departed_at === null) return null; // not started yet
    from = stop.departed_at;
  }
  let to = Infinity;
  if (seg.to_stop !== null) {
    const stop = shape.stops.find((s) => s.seq === seg.to_stop);
    if (stop?.arrived_at != null) to = stop.arrived_at;
  }
  return from <= to ? [from, to] : null;
}

/** Legs heading to a delivery stop: departure of the stop before it → arrival at it. */
function legsToDelivery(shape: ShipmentShape): Window[] {
  const stops = shape.stops;
  if (!stops.some((s) => s.type === 'delivery')) {
    // No stops to reason about: the vehicle is "en route" while the shipment is in transit.
    return shape.status === 'in_transit' ? ALWAYS : [];
  }
  const out: Window[] = [];
  for (let i = 1; i < stops.length; i++) {
    if (stops[i].type !== 'delivery') continue;
    const dep = stops[i - 1].departed_at;
    if (dep === null) continue;
    const arr = stops[i].arrived_at ?? Infinity;
    if (dep <= arr) out.push([dep, arr]);
  }
  return out;
}

/**
 * Cargo is on the vehicle from its loading (first pickup departure or scan at a pickup stop) to
 * its unloading (arrival or scan at the last delivery stop).
 */
function cargoAboard(shape: ShipmentShape): Window[] {
  if (!shape.stops.length) return ALWAYS;
  const typeOf = new Map(shape.stops.map((s) => [s.seq, s.type]));
  const loads = [
    ...shape.stops.filter((s) => s.type === 'pickup' && s.departed_at !== null).map((s) => s.departed_at as number),
    ...shape.scans.filter((x) => x.stop_index !== null && typeOf.get(x.stop_index) === 'pickup').map((x) => x.scanned_at),
  ];
  if (!loads.length) return [];
  const last = shape.stops.filter((s) => s.type === 'delivery').at(-1);
  const unloads = last
    ? [...(last.arrived_at !== null ? [last.arrived_at] : []), ...shape.scans.filter((x) => x.stop_index === last.seq).map((x) => x.scanned_at)]
    : [];
  const start = Math.min(...loads);
  const end = unloads.length ? Math.min(...unloads.filter((t) => t >= start), Infinity) : Infinity;
  return start <= end ? [[start, end]] : [];
}

export function buildRuntime(scope: PositionScope, shape: ShipmentShape): ScopeRuntime {
  const entries: ScopeEntry[] = [];
  const layers = new Set(scope.layers);
  if (scope.driverPosition === 'never') layers.delete('driver');

  // Shipments without segments are one stretch; otherwise only shared segments open windows.
  const shared: Window[] = shape.segments.length
    ? scope.segments.map((i) => segmentWindow(shape, i)).filter((w): w is Window => w !== null)
    : ALWAYS;
  const windowsFor = (segment: number | null): Window[] => {
    if (segment === null) return shared;
    if (!scope.segments.includes(segment)) return [];
    const w = segmentWindow(shape, segment);
    return w ? [w] : [];
  };
  const driverGate = scope.driverPosition === 'en_route_to_delivery' ? legsToDelivery(shape) : ALWAYS;

  for (const src of shape.sources) {
    if (!layers.has(src.layer)) continue;
    let windows = windowsFor(src.segment);
    if (src.layer === 'driver') windows = intersect(windows, driverGate);
    if (windows.length) entries.push({ deviceId: src.device_id, layer: src.layer, windows, inferred: false });
  }
  if (scope.layers.includes('cargo') && !shape.sources.some((s) => s.layer === 'cargo')) {
    const aboard = cargoAboard(shape);
    for (const src of shape.sources) {
      if (src.layer !== 'driver') continue;
      const windows = intersect(windowsFor(src.segment), aboard);
      if (windows.length) entries.push({ deviceId: src.device_id, layer: 'cargo', windows, inferred: true });
    }
  }
  return { orgId: scope.orgId, shipmentId: scope.shipmentId, history: scope.history, entries };
}

/** Layers under which a device's position at `at` is visible. */
export function visibleLayers(rt: ScopeRuntime, deviceId: string, at: number): Layer[] {
  const out: Layer[] = [];
  for (const e of rt.entries) {
    if (e.deviceId !== deviceId || out.includes(e.layer)) continue;
    if (e.windows.some(([f, t]) => at >= f && at <= t)) out.push(e.layer);
  }
  return out;
}

/** Finite bounds for a query (the store has no infinities). */
export const finite = (w: Window): Window => [Number.isFinite(w[0]) ? w[0] : 0, Number.isFinite(w[1]) ? w[1] : Number.MAX_SAFE_INTEGER];
