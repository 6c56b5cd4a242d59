// The stops a link's map draws, numbered, and the one the vehicle is heading to (the dashed
// line from the live position). Decided from the link's policy like everything public: waypoints
// and stop names only with the stops, "next" from stop times only where those are shown (else
// the destination, which every map shows).
import type { ShipmentView } from '../shipments/shipments.view.js';
import type { LinkPolicy } from './visibility.js';

export interface PublicMarker {
  type: 'pickup' | 'delivery' | 'waypoint';
  lat: number;
  lon: number;
  label: string | null;
  /** The number on the map and in its legend: the stop's place in the stop list when shown. */
  number: number;
}

export function publicMapMarkers(s: ShipmentView, p: LinkPolicy): { markers: PublicMarker[]; next_stop: number | null } {
  if (!p.sections.map) return { markers: [], next_stop: null };
  const placed = s.stops.filter((st) => st.lat !== null && st.lon !== null && (st.type !== 'waypoint' || p.fields.stops));
  const markers = placed.map((st, i) => ({
    type: st.type,
    lat: st.lat as number,
    lon: st.lon as number,
    label: p.fields.stops ? st.name : null,
    number: p.fields.stops ? st.index + 1 : i + 1,
  }));
  const finished = p.fields.status && (s.status === 'delivered' || s.status === 'cancelled');
  let next: number | null = null;
  if (!finished) {
    // Heading to the first stop after the last one it left (or reached and is still at).
    const left = s.stops.reduce((last, st) => (st.departed_at !== null ? Math.max(last, st.index) : last), -1);
    const i = p.fields.stopTimes ? placed.findIndex((st) => st.index > left) : placed.map((st) => st.type).lastIndexOf('delivery');
    next = i >= 0 ? markers[i].number : null;
  }
  return { markers, next_stop: next };
}
