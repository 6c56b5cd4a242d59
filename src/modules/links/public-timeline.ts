// The public timeline of a shipment for one link: what happened, newest first. Each entry is
// gated by the link's policy (visibility.ts) exactly as the page's own copy of it: creation,
// delivery and status changes by the status field, stop arrivals and departures by the stop
// times (their names by the stop names), stage changes by the stage, scans and the proof of
// delivery by their sections. So the timeline never shows a time, a stop, a stage or a scan the
// rest of the page hides. Codes only: the page words them in the visitor's language.
import { toIso } from '../../shared/time.js';
import type { ShipmentChange, ShipmentView } from '../shipments/shipments.view.js';
import type { LinkPolicy } from './visibility.js';

export type TimelineType = 'created' | 'picked_up' | 'departed' | 'arrived' | 'delivered' | 'status' | 'stage' | 'scan' | 'pod';

export interface TimelineEntry {
  at: string;
  type: TimelineType;
  /** picked_up, departed, arrived: the stop (its name only when the link shows stop names). */
  stop?: { index: number; type: 'pickup' | 'delivery' | 'waypoint'; name: string | null };
  /** status: the status entered (exception, cancelled). */
  status?: string;
  /** stage: the stage reached, by name. */
  stage?: string;
  /** scan: the pallet scan's event word, code and place. */
  scan?: { event: string; code: string | null; place: string | null };
}

/** At most this many entries, the newest: a shipment with thousands of scans stays a page. */
export const TIMELINE_MAX = 100;

/** Status changes worth a line of their own (delivery has its own entry; the rest is routine). */
const NOTABLE_STATUS = new Set(['exception', 'cancelled']);

export function publicTimeline(s: ShipmentView, changes: readonly ShipmentChange[], p: LinkPolicy): TimelineEntry[] {
  const shown = p.fields;
  // [epoch ms, entry], in the order things happen when two share a time (arrive, then leave).
  const out: [number, TimelineEntry][] = [];
  const add = (iso: string | null | undefined, e: Omit<TimelineEntry, 'at'>) => {
    const ms = iso ? Date.parse(iso) : NaN;
    if (Number.isFinite(ms)) out.push([ms, { at: iso as string, ...e }]);
  };
  if (shown.status) add(s.created_at, { type: 'created' });
  if (shown.stopTimes) {
    for (const st of s.stops) {
      const stop = { index: st.index, type: st.type, name: shown.stops ? st.name : null };
      add(st.arrived_at, { type: 'arrived', stop });
      add(st.departed_at, { type: st.type === 'pickup' ? 'picked_up' : 'departed', stop });
    }
  }
  if (shown.stage && s.stages.length) {
    for (const c of changes) {
      const stage = c.type === 'stage_changed' && c.to !== null ? s.stages[c.to] : undefined;
      if (stage !== undefined) add(toIso(c.at), { type: 'stage', stage });
    }
  }
  if (shown.status) {
    for (const c of changes) if (c.type === 'status_changed' && c.to !== null && NOTABLE_STATUS.has(c.to)) add(toIso(c.at), { type: 'status', status: c.to });
    if (s.status === 'delivered') add(s.delivered_at, { type: 'delivered' });
  }
  if (p.sections.pallet_scans) for (const x of s.pallet_scans) add(x.scanned_at, { type: 'scan', scan: { event: x.event, code: x.code, place: x.place } });
  if (p.proofOfDelivery) add(s.proof_of_delivery?.captured_at, { type: 'pod' });
  // Newest first; among equal times, the later-added (later in the day's order) first.
  return out
    .map((x, i) => [x[0], i, x[1]] as const)
    .sort((a, b) => b[0] - a[0] || b[1] - a[1])
    .slice(0, TIMELINE_MAX)
    .map((x) => x[2]);
}
