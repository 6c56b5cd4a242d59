// ETA from positions: distance left (current position → next stop → later stops, with a road
// factor) over recent speed. Stored through shipments.setComputedEta, which never overrides a
// manual ETA. The state tells the public page whether to trust it.
import { nowMs, toIso } from '../../shared/time.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import { haversineM } from './geo.js';
import type { PositionsRepository, ShipmentShape, StoredPoint } from './positions.repository.js';
import { attachmentWindow, finite, shipmentLife } from './scope.js';

/** Roads are longer than great circles; 1.3 is the usual detour index for road networks. */
const ROAD_FACTOR = 1.3;
/** Positions older than this make the computed ETA "unknown". */
export const STALE_MS = 15 * 60_000;
/** Speed window for the "recent speed" estimate. */
const SPEED_WINDOW_MS = 15 * 60_000;
/** Standing at a light or in a queue must not push the ETA to infinity. */
const MIN_SPEED_MPS = 25 / 3.6;
const DEFAULT_SPEED_MPS = 60 / 3.6;
const THROTTLE_MS = 30_000;
const NOTIFY_DELTA_MS = 60_000;
/** Devices per shipments look-up query (bound parameters stay far below either store's limit). */
const LOOKUP_CHUNK = 1000;

export type EtaState = 'on_time' | 'delayed' | 'unknown';

export interface EtaInfo {
  eta: string | null;
  eta_source: 'manual' | 'computed' | null;
  calculated_at: string | null;
  state: EtaState;
  next_stop: { index: number; eta: string | null; distance_m: number | null } | null;
}

export class EtaService {
  private readonly lastRun = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  /** Devices whose positions arrived this turn, per org, looked up together (scheduleForDevices). */
  private devicesToLookUp = new Map<string, Set<string>>();
  private lookUp: NodeJS.Immediate | null = null;
  private readonly listeners: ((orgId: string, shipmentId: string) => void)[] = [];
  private errorLog: (err: unknown) => void = () => {};

  constructor(
    private readonly repo: PositionsRepository,
    private readonly shipments: ShipmentsService,
  ) {}

  setErrorLog(log: (err: unknown) => void): void {
    this.errorLog = log;
  }
  onChange(listener: (orgId: string, shipmentId: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Positions of these devices arrived: recompute the ETA of every shipment they track, in the
   * background, at most every 30 s per shipment. The devices of every request of one event-loop
   * turn are looked up together, one query per org: 2,000 phones a second each posting alone
   * would otherwise cost a query each, mostly to learn of shipments recomputed moments ago.
   */
  scheduleForDevices(orgId: string, deviceIds: string[]): void {
    let waiting = this.devicesToLookUp.get(orgId);
    if (!waiting) this.devicesToLookUp.set(orgId, (waiting = new Set()));
    for (const id of deviceIds) waiting.add(id);
    if (this.lookUp) return;
    this.lookUp = setImmediate(() => this.lookUpDevices());
  }

  /** The shipments of the devices waiting since the last turn, scheduled. */
  private lookUpDevices(): void {
    this.lookUp = null;
    const waiting = this.devicesToLookUp;
    this.devicesToLookUp = new Map();
    for (const [orgId, ids] of waiting) {
      const all = [...ids];
      for (let i = 0; i < all.length; i += LOOKUP_CHUNK) {
        this.track(
          this.repo.shipmentsOfDevices(orgId, all.slice(i, i + LOOKUP_CHUNK)).then((rows) => {
            for (const s of new Set(rows.map((r) => r.shipment_id))) this.schedule(orgId, s);
          }),
        );
      }
    }
  }

  private track(work: Promise<unknown>): void {
    const p: Promise<void> = work.then(() => undefined, (err: unknown) => this.errorLog(err)).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  schedule(orgId: string, shipmentId: string): void {
    const now = nowMs();
    if ((this.lastRun.get(shipmentId) ?? 0) + THROTTLE_MS > now) return;
    this.lastRun.set(shipmentId, now);
    this.track(this.recompute(orgId, shipmentId));
  }

  /** Waits for the work scheduled so far: device look-ups (done now, not next turn) and the recomputes they start. */
  async drain(): Promise<void> {
    if (this.lookUp) {
      clearImmediate(this.lookUp);
      this.lookUpDevices();
    }
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Computes and stores the ETA; returns it (null when there is nothing to base it on). */
  async recompute(orgId: string, shipmentId: string, now = nowMs()): Promise<number | null> {
    const shape = await this.repo.shipmentShape(orgId, shipmentId);
    if (!shape || shape.status !== 'in_transit') return null;
    const calc = await this.calculate(shape, now);
    if (!calc) return null;
    await this.shipments.setComputedEta(orgId, shipmentId, calc.final, now);
    // Viewers hear about it only when it moved noticeably (or was not computed before).
    const moved = shape.eta_source !== 'computed' || shape.eta === null || Math.abs(shape.eta - calc.final) >= NOTIFY_DELTA_MS;
    if (shape.eta_source !== 'manual' && moved) for (const l of this.listeners) l(orgId, shipmentId);
    return calc.final;
  }

  /**
   * The vehicle's latest positions: the driver's device, failing that a tracker, then a cargo
   * tracker; each read only inside its attachment window within the shipment's life, so an ETA
   * (and the emails quoting it) never comes from another trip of a reused device.
   */
  private async latestTrack(shape: ShipmentShape): Promise<StoredPoint[]> {
    const life = shipmentLife(shape);
    for (const layer of ['driver', 'tracker', 'cargo'] as const) {
      let best: StoredPoint[] = [];
      for (const s of shape.sources.filter((x) => x.layer === layer)) {
        const w = attachmentWindow(s, life);
        if (!w) continue;
        const [from, to] = finite(w);
        const pts = await this.repo.recentBetween(shape.org_id, s.device_id, from, to, 60);
        if (pts.length && (!best.length || pts[0].recorded_at > best[0].recorded_at)) best = pts;
      }
      if (best.length) return best;
    }
    return [];
  }

  private async calculate(shape: ShipmentShape, now: number): Promise<{ final: number; next: { index: number; eta: number; distance: number } } | null> {
    const track = await this.latestTrack(shape);
    if (!track.length) return null;
    const cur = track[0];
    if (now - cur.recorded_at > STALE_MS) return null;
    const remaining = remainingStops(shape);
    if (!remaining.length) return null;
    const speed = recentSpeed(track);
    let dist = 0;
    let prev: [number, number] = [cur.lat, cur.lon];
    let next: { index: number; eta: number; distance: number } | null = null;
    for (const st of remaining) {
      dist += haversineM(prev[0], prev[1], st.lat, st.lon) * ROAD_FACTOR;
      prev = [st.lat, st.lon];
      next ??= { index: st.seq, eta: Math.round(cur.recorded_at + (dist / speed) * 1000), distance: Math.round(dist) };
    }
    if (!next) return null;
    return { final: Math.round(cur.recorded_at + (dist / speed) * 1000), next };
  }

  /** What the public page shows; state `unknown` when the positions behind a computed ETA are stale. */
  async etaFor(orgId: string, shipmentId: string, now = nowMs()): Promise<EtaInfo | null> {
    const shape = await this.repo.shipmentShape(orgId, shipmentId);
    if (!shape) return null;
    const calc = shape.status === 'in_transit' ? await this.calculate(shape, now) : null;
    const last = shape.stops.filter((s) => s.type === 'delivery').at(-1) ?? shape.stops.at(-1);
    const deadline = last ? (last.window_end ?? last.eta) : null;
    let state: EtaState = 'unknown';
    if (shape.eta !== null) {
      const stale = shape.eta_source === 'computed' && (shape.eta_calculated_at === null || now - shape.eta_calculated_at > STALE_MS || !calc);
      if (!stale) state = deadline !== null && shape.eta > deadline ? 'delayed' : 'on_time';
    }
    if (shape.status === 'delivered') state = 'on_time';
    return {
      eta: toIso(shape.eta),
      eta_source: shape.eta_source,
      calculated_at: toIso(shape.eta_calculated_at),
      state,
      next_stop: calc ? { index: calc.next.index, eta: toIso(calc.next.eta), distance_m: calc.next.distance } : null,
    };
  }
}

/** Stops still ahead with coordinates: after the last one departed, not yet arrived. */
function remainingStops(shape: ShipmentShape) {
  const lastDeparted = shape.stops.filter((s) => s.departed_at !== null).reduce((m, s) => Math.max(m, s.seq), -1);
  return shape.stops
    .filter((s) => s.seq > lastDeparted && s.arrived_at === null)
    .filter((s): s is typeof s & { lat: number; lon: number } => s.lat !== null && s.lon !== null);
}

/** Distance over time across the last minutes of track, or the reported speeds when too short. */
export function recentSpeed(newestFirst: StoredPoint[]): number {
  const newest = newestFirst[0];
  const window = newestFirst.filter((p) => newest.recorded_at - p.recorded_at <= SPEED_WINDOW_MS);
  let speed: number | null = null;
  if (window.length >= 2) {
    const span = (newest.recorded_at - window[window.length - 1].recorded_at) / 1000;
    let d = 0;
    for (let i = 1; i < window.length; i++) d += haversineM(window[i - 1].lat, window[i - 1].lon, window[i].lat, window[i].lon);
    if (span >= 30) speed = d / span;
  }
  if (speed === null) {
    const reported = window.map((p) => p.speed_mps).filter((v): v is number => v !== null);
    speed = reported.length ? reported.reduce((a, b) => a + b, 0) / reported.length : DEFAULT_SPEED_MPS;
  }
  return Math.max(speed, MIN_SPEED_MPS);
}
