// Turns a link's PositionScope plus the shipment's stops, segments and sources into plain time
// windows per device and layer (VisibleWindows). Everything the public sees of positions is read
// within them: current positions and history query each window (positions.service.ts,
// track-reader.ts), and the live stream tests each incoming position with visibleLayers, in
// memory, without a query per event.
import type { Layer, PalletScanRow, ShipmentRow, SourceRow, StopRow } from '../../db/schema.js';
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

/**
 * What of a shipment's positions one link may see: per device and layer, the time windows in
 * which its positions are visible (buildVisibleWindows). Shared by the page, /data, /history and
 * every live viewer of the link (PositionsService.visibleWindows).
 */
export interface VisibleWindows {
  orgId: string;
  shipmentId: string;
  history: boolean;
  entries: ScopeEntry[];
}

const ALWAYS: Window[] = [[-Infinity, Infinity]];

/** Statuses in which the vehicle is (or was) on the road: a leg without a reported departure may have started. */
const ON_THE_ROAD = new Set(['in_transit', 'delivered', 'exception']);

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

/**
 * The shipment's public life: nothing after delivery (the last position before it stays). A
 * deleted shipment has no shape at all, so it shows nothing.
 */
export function shipmentLife(shape: Pick<ShipmentShape, 'status' | 'delivered_at'>): Window {
  return [-Infinity, shape.status === 'delivered' && shape.delivered_at !== null ? shape.delivered_at : Infinity];
}

/**
 * When a source's device carried this shipment, within the shipment's life, or null when never.
 * This is the outer bound of every position a shipment shows: a device reused from an earlier
 * shipment brings none of that trip along.
 */
export function attachmentWindow(src: Pick<SourceRow, 'attached_at' | 'detached_at' | 'created_at'>, life: Window): Window | null {
  const from = Math.max(src.attached_at ?? src.created_at, life[0]);
  const until = Math.min(src.detached_at ?? Infinity, life[1]);
  return from <= until ? [from, until] : null;
}

/**
 * When the leg leaving stop `fromSeq` started: its reported departure; else, once the shipment is
 * on the road, "already" (-Infinity, bounded later by the attachment window) when a later stop
 * reported an arrival or departure, or when no stop reported anything and this is the first stop
 * (a shipment created in transit without stop events). Otherwise not yet (null).
 */
function legStart(shape: ShipmentShape, fromSeq: number): number | null {
  const stop = shape.stops.find((s) => s.seq === fromSeq);
  if (!stop) return null;
  if (stop.departed_at !== null) return stop.departed_at;
  if (!ON_THE_ROAD.has(shape.status)) return null;
  const reported = (s: ShipmentShape['stops'][number]) => s.arrived_at !== null || s.departed_at !== null;
  if (shape.stops.some((s) => s.seq > fromSeq && reported(s))) return -Infinity;
  const first = !shape.stops.some((s) => s.seq < fromSeq);
  return first && !shape.stops.some(reported) ? -Infinity : null;
}

/** A segment runs from the start of the leg at its from stop to the arrival at its to stop. */
function segmentWindow(shape: ShipmentShape, seq: number): Window | null {
  const seg = shape.segments.find((s) => s.seq === seq);
  if (!seg) return null;
  let from = -Infinity;
  if (seg.from_stop !== null) {
    const start = legStart(shape, seg.from_stop);
    if (start === null) return null; // not started yet
    from = start;
  }
  let to = Infinity;
  if (seg.to_stop !== null) {
    const stop = shape.stops.find((s) => s.seq === seg.to_stop);
    if (stop?.arrived_at != null) to = stop.arrived_at;
  }
  return from <= to ? [from, to] : null;
}

/** Legs heading to a delivery stop: start of the leg from the stop before it → arrival at it. */
function legsToDelivery(shape: ShipmentShape): Window[] {
  const stops = shape.stops;
  if (!stops.some((s) => s.type === 'delivery')) {
    // No stops to reason about: the vehicle is "en route" while the shipment is in transit.
    return shape.status === 'in_transit' ? ALWAYS : [];
  }
  const out: Window[] = [];
  for (let i = 1; i < stops.length; i++) {
    if (stops[i].type !== 'delivery') continue;
    const dep = legStart(shape, stops[i - 1].seq);
    if (dep === null) continue;
    const arr = stops[i].arrived_at ?? Infinity;
    if (dep <= arr) out.push([dep, arr]);
  }
  return out;
}

/**
 * Cargo is on the vehicle from its loading (first pickup departure or scan at a pickup stop) to
 * its unloading (arrival or scan at the last delivery stop). A shipment on the road without any
 * loading evidence has its cargo aboard already (bounded by the attachment window).
 */
function cargoAboard(shape: ShipmentShape): Window[] {
  if (!shape.stops.length) return ALWAYS;
  const typeOf = new Map(shape.stops.map((s) => [s.seq, s.type]));
  const loads = [
    ...shape.stops.filter((s) => s.type === 'pickup' && s.departed_at !== null).map((s) => s.departed_at as number),
    ...shape.scans.filter((x) => x.stop_index !== null && typeOf.get(x.stop_index) === 'pickup').map((x) => x.scanned_at),
  ];
  if (!loads.length && ON_THE_ROAD.has(shape.status)) loads.push(-Infinity);
  if (!loads.length) return [];
  const last = shape.stops.filter((s) => s.type === 'delivery').at(-1);
  const unloads = last
    ? [...(last.arrived_at !== null ? [last.arrived_at] : []), ...shape.scans.filter((x) => x.stop_index === last.seq).map((x) => x.scanned_at)]
    : [];
  const start = Math.min(...loads);
  const end = unloads.length ? Math.min(...unloads.filter((t) => t >= start), Infinity) : Infinity;
  return start <= end ? [[start, end]] : [];
}

/**
 * The windows per device and layer a link may see. Attachment windows (within the shipment's
 * life) are the outer bound of every entry; shared segments, the driver gate and the cargo
 * inference only ever narrow them.
 */
export function buildVisibleWindows(scope: PositionScope, shape: ShipmentShape): VisibleWindows {
  const entries: ScopeEntry[] = [];
  // The layers come from the link's policy (links/visibility.ts), driver gate applied.
  const layers = new Set(scope.layers);
  const life = shipmentLife(shape);

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
  // The driver gate follows the driver's device into every layer derived from it (an inferred
  // cargo layer, or the same phone attached under another layer): "never" hides them all.
  const driverDevices = new Set(shape.sources.filter((s) => s.layer === 'driver').map((s) => s.device_id));
  const driverGate = scope.driverPosition === 'never' ? [] : scope.driverPosition === 'en_route_to_delivery' ? legsToDelivery(shape) : ALWAYS;
  const gated = (deviceId: string, windows: Window[]) => (driverDevices.has(deviceId) ? intersect(windows, driverGate) : windows);

  for (const src of shape.sources) {
    if (!layers.has(src.layer)) continue;
    const attached = attachmentWindow(src, life);
    if (!attached) continue;
    const windows = gated(src.device_id, intersect([attached], windowsFor(src.segment)));
    if (windows.length) entries.push({ deviceId: src.device_id, layer: src.layer, windows, inferred: false });
  }
  if (scope.layers.includes('cargo') && !shape.sources.some((s) => s.layer === 'cargo')) {
    const aboard = cargoAboard(shape);
    for (const src of shape.sources) {
      if (src.layer !== 'driver') continue;
      const attached = attachmentWindow(src, life);
      if (!attached) continue;
      const windows = gated(src.device_id, intersect(intersect([attached], windowsFor(src.segment)), aboard));
      if (windows.length) entries.push({ deviceId: src.device_id, layer: 'cargo', windows, inferred: true });
    }
  }
  return { orgId: scope.orgId, shipmentId: scope.shipmentId, history: scope.history, entries };
}

/**
 * The shape buildVisibleWindows reads, from rows loaded elsewhere (a link's public load reads them with
 * everything else in one query): the same as PositionsRepository.shipmentShape.
 */
export function shapeOf(
  s: Pick<ShipmentRow, 'id' | 'org_id' | 'status' | 'delivered_at' | 'eta' | 'eta_source' | 'eta_calculated_at'>,
  children: { stops: StopRow[]; segments: ShipmentShape['segments']; scans: Pick<PalletScanRow, 'stop_index' | 'scanned_at'>[] },
  sources: SourceRow[],
): ShipmentShape {
  return {
    id: s.id,
    org_id: s.org_id,
    status: s.status,
    delivered_at: s.delivered_at,
    eta: s.eta,
    eta_source: s.eta_source,
    eta_calculated_at: s.eta_calculated_at,
    stops: children.stops.map((st) => ({ seq: st.seq, type: st.type, lat: st.lat, lon: st.lon, arrived_at: st.arrived_at, departed_at: st.departed_at, window_end: st.window_end, eta: st.eta })),
    segments: children.segments.map((g) => ({ seq: g.seq, from_stop: g.from_stop, to_stop: g.to_stop })),
    sources,
    scans: children.scans.filter((x) => x.stop_index !== null).map((x) => ({ stop_index: x.stop_index, scanned_at: x.scanned_at })),
  };
}

/** Layers under which a device's position at `at` is visible. */
export function visibleLayers(visible: VisibleWindows, deviceId: string, at: number): Layer[] {
  const out: Layer[] = [];
  for (const e of visible.entries) {
    if (e.deviceId !== deviceId || out.includes(e.layer)) continue;
    if (e.windows.some(([f, t]) => at >= f && at <= t)) out.push(e.layer);
  }
  return out;
}

/** Finite bounds for a query (the store has no infinities). */
export const finite = (w: Window): Window => [Number.isFinite(w[0]) ? w[0] : 0, Number.isFinite(w[1]) ? w[1] : Number.MAX_SAFE_INTEGER];
