// The ONE place that decides what a partner organization (a connected forwarder or courier the
// owner shared a shipment with) sees of it: the counterpart of visibility.ts for partners. Every
// partner output — the shipment, the shipment list, photos, positions — derives from here.
//
// A partner coordinates the transport, so it sees the operational data: status, stages, ETA,
// stops (addresses, coordinates, windows, times, stop references), cargo, segments, pallet
// scans, container number, transport service, shareable custom/extra fields, the hero photo,
// customer-scope notes (body and time), whether and when proof of delivery was captured, and
// every layer's positions inside the windows in which a device carried this shipment.
// Never: internal data (VIN, costs, prices, messages…), customer reference, fields marked
// not shareable, gallery photos other than the hero, internal notes, who wrote a note, stop
// contacts, shipment contacts, the proof-of-delivery file or who signed it, tracking links,
// devices, events and the audit log. Whitelist, never blacklist: a new field stays the owner's
// until it is added here.
import { LAYERS, type PositionScope } from '../positions/positions.contract.js';
import { latestIso } from '../../shared/time.js';
import { changeTimeOf, keysShownIn } from '../shipments/change-times.js';
import { sharedFields } from './visibility.js';
import type { ShipmentView } from '../shipments/shipments.view.js';

/** The org that shared the shipment, as its partner may know it. */
export interface SharedBy {
  id: string;
  name: string;
}

/** The named fields of `o` and no others: a partner's outputs list what they keep. */
function pick<T, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

const SHIPMENT_FIELDS = ['id', 'kind', 'reference', 'title', 'status', 'stages', 'current_stage', 'eta', 'eta_source', 'eta_calculated_at', 'container_number', 'transport_service'] as const;
/** Not the stop's contact: that is the owner's. */
const STOP_FIELDS = ['id', 'index', 'type', 'name', 'address', 'lat', 'lon', 'reference', 'window_start', 'window_end', 'eta', 'arrived_at', 'departed_at'] as const;

const shareable = (fields: ShipmentView['custom_fields']) => sharedFields(fields).map((f) => ({ ...f, shareable: true as const }));
/** The notes a partner sees. */
const SHOWN_NOTE_SCOPE = 'customer';

/** Photos a partner may see and download: the hero photo only (the one picked to represent it). */
export function partnerPhotoIds(s: ShipmentView): string[] {
  return s.hero_photo_id && s.photos.some((p) => p.id === s.hero_photo_id) ? [s.hero_photo_id] : [];
}

export function partnerShipment(s: ShipmentView, sharedBy: SharedBy) {
  const out = partnerFields(s, sharedBy);
  const edited = changeTimeOf(s.changed_at, [...keysShownIn(out), `notes.${SHOWN_NOTE_SCOPE}`]);
  return { ...out, updated_at: latestIso([latestShown(out), edited]) ?? out.created_at };
}

/** Every field of the partner's view but its updated_at, which is made from these. */
function partnerFields(s: ShipmentView, sharedBy: SharedBy) {
  const photos = new Set(partnerPhotoIds(s));
  return {
    ...pick(s, SHIPMENT_FIELDS),
    custom_fields: shareable(s.custom_fields),
    extra_fields: shareable(s.extra_fields),
    stops: s.stops.map((st) => pick(st, STOP_FIELDS)),
    cargo: s.cargo.map((c) => ({ id: c.id, index: c.index, description: c.description, quantity: c.quantity, packaging: c.packaging, weight_kg: c.weight_kg })),
    segments: s.segments.map((g) => ({ id: g.id, index: g.index, name: g.name, from_stop: g.from_stop, to_stop: g.to_stop })),
    pallet_scans: s.pallet_scans.map((p) => ({ id: p.id, cargo_index: p.cargo_index, stop_index: p.stop_index, event: p.event, code: p.code, place: p.place, scanned_at: p.scanned_at })),
    photos: s.photos
      .filter((p) => photos.has(p.id))
      .map((p) => ({ id: p.id, content_type: p.content_type, size_bytes: p.size_bytes, caption: p.caption, url: p.url, created_at: p.created_at })),
    hero_photo_id: photos.size ? s.hero_photo_id : null,
    notes: s.notes.filter((n) => n.scope === SHOWN_NOTE_SCOPE).map((n) => ({ id: n.id, scope: n.scope, body: n.body, created_at: n.created_at })),
    proof_of_delivery: s.proof_of_delivery ? { captured_at: s.proof_of_delivery.captured_at } : null,
    delivered_at: s.delivered_at,
    created_at: s.created_at,
    shared_by_org_id: sharedBy.id,
    shared_by: { org_id: sharedBy.id, name: sharedBy.name },
  };
}

/**
 * When what the partner sees last changed, as far as what it sees can tell: the newest of its own
 * times (creation, ETA calculation, stop arrivals and departures, scans, notes, the hero photo,
 * delivery, proof), as public-view.ts does for a link. Never the shipment's updated_at, which
 * every write moves, hidden ones too (an internal note, a field not marked shareable, a tracking
 * link): it would tell the partner that something it cannot see changed, and when.
 */
function latestShown(out: ReturnType<typeof partnerFields>): string {
  return (
    latestIso([
      out.eta_calculated_at,
      out.delivered_at,
      out.proof_of_delivery?.captured_at,
      ...out.stops.flatMap((st) => [st.arrived_at, st.departed_at]),
      ...out.pallet_scans.map((p) => p.scanned_at),
      ...out.notes.map((n) => n.created_at),
      ...out.photos.map((p) => p.created_at),
      out.created_at,
    ]) ?? out.created_at
  );
}

export type PartnerShipment = ReturnType<typeof partnerShipment>;

/**
 * What a partner sees of positions: every layer of every segment, the driver's device with no
 * driver gate (the partner runs or coordinates that vehicle), and history; the attachment
 * windows and the shipment's life still bound it, as they bound every public output.
 */
export function partnerPositionScope(s: Pick<ShipmentView, 'id' | 'segments'>, ownerOrgId: string): PositionScope {
  return {
    orgId: ownerOrgId,
    shipmentId: s.id,
    layers: [...LAYERS],
    segments: s.segments.map((g) => g.index),
    driverPosition: 'always',
    history: true,
  };
}
