// Turns stored rows into the API's shipment shape: the owner's full view. What a partner sees is
// cut from it in links/partner-view.ts, and what a link shows in links/visibility.ts.
import type { NoteRow, PhotoRow, ShipmentRow, StopRow } from '../../db/schema.js';
import { toIso } from '../../shared/time.js';
import { parseChangeTimes } from './change-times.js';
import type { ShipmentsRepository } from './shipments.repository.js';

type Children = Awaited<ReturnType<ShipmentsRepository['children']>>;

export interface Field {
  key: string;
  value: string;
  shareable: boolean;
}

export const parseJson = <T>(s: string, fallback: T): T => {
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

export function photoView(p: PhotoRow) {
  return {
    id: p.id,
    content_type: p.content_type,
    size_bytes: p.size_bytes,
    caption: p.caption,
    url: `/api/v1/shipments/${p.shipment_id}/photos/${p.id}`,
    created_at: toIso(p.created_at),
  };
}

export function noteView(n: NoteRow) {
  return { id: n.id, scope: n.scope, body: n.body, author: n.author, created_at: toIso(n.created_at) };
}

/** One stop as the API shows it; `index` is its position in the route and the {index} of the stop routes. */
export function stopView(st: Omit<StopRow, 'org_id' | 'shipment_id'>) {
  return {
    id: st.id,
    index: st.seq,
    type: st.type,
    name: st.name,
    address: st.address,
    lat: st.lat,
    lon: st.lon,
    reference: st.reference,
    window_start: toIso(st.window_start),
    window_end: toIso(st.window_end),
    eta: toIso(st.eta),
    arrived_at: toIso(st.arrived_at),
    departed_at: toIso(st.departed_at),
    contact: st.contact_name || st.contact_email ? { name: st.contact_name, email: st.contact_email } : null,
  };
}

export function shipmentView(s: ShipmentRow, c: Children) {
  return {
    id: s.id,
    kind: s.kind,
    reference: s.reference,
    title: s.title,
    status: s.status,
    stages: parseJson<string[]>(s.stages, []),
    current_stage: s.current_stage,
    eta: toIso(s.eta),
    eta_source: s.eta_source,
    eta_calculated_at: toIso(s.eta_calculated_at),
    customer_reference: s.customer_reference,
    container_number: s.container_number,
    transport_service: s.transport_service,
    custom_fields: parseJson<Field[]>(s.custom_fields, []),
    extra_fields: parseJson<Field[]>(s.extra_fields, []),
    internal: parseJson<Record<string, unknown>>(s.internal, {}),
    stops: c.stops.map(stopView),
    cargo: c.cargo.map((l) => ({ id: l.id, index: l.seq, description: l.description, quantity: l.quantity, packaging: l.packaging, weight_kg: l.weight_kg })),
    segments: c.segments.map((g) => ({ id: g.id, index: g.seq, name: g.name, from_stop: g.from_stop, to_stop: g.to_stop })),
    pallet_scans: c.scans.map((p) => ({
      id: p.id,
      cargo_index: p.cargo_index,
      stop_index: p.stop_index,
      event: p.event,
      code: p.code,
      place: p.place,
      scanned_at: toIso(p.scanned_at),
    })),
    photos: c.photos.map(photoView),
    hero_photo_id: s.hero_photo_id,
    notes: c.notes.map(noteView),
    contacts: c.contacts.map((k) => ({ id: k.id, name: k.name, email: k.email })),
    proof_of_delivery: s.pod_file
      ? { content_type: s.pod_content_type, signed_by: s.pod_signed_by, captured_at: toIso(s.pod_captured_at), url: `/api/v1/shipments/${s.id}/proof-of-delivery` }
      : null,
    delivered_at: toIso(s.delivered_at),
    created_at: toIso(s.created_at),
    updated_at: toIso(s.updated_at),
    /** When each piece a partner or link may show last changed (change-times.ts); not in the API's reply. */
    changed_at: parseChangeTimes(s.changed_at),
  };
}

export type ShipmentView = ReturnType<typeof shipmentView>;

/** A recorded stage or status change: `to` is the new stage index or status (null if unreadable). */
export type ShipmentChange =
  | { type: 'stage_changed'; to: number | null; at: number }
  | { type: 'status_changed'; to: string | null; at: number };

/** A stored stage_changed or status_changed event as a change (links/public-link.repository.ts reads them too). */
export function changeOf(r: { type: string; data: string; occurred_at: number }): ShipmentChange {
  const to = parseJson<{ to?: unknown }>(r.data, {}).to;
  return r.type === 'stage_changed'
    ? { type: 'stage_changed', to: typeof to === 'number' ? to : null, at: r.occurred_at }
    : { type: 'status_changed', to: typeof to === 'string' ? to : null, at: r.occurred_at };
}
