// The public shape of a shipment for one link: built field by field from its LinkPolicy, so
// nothing reaches the page or /data unless visibility.ts allowed it. Whitelist, never blacklist.
import type { Org } from '../../db/schema.js';
import type { Layer } from '../positions/positions.contract.js';
import type { ShipmentChange, ShipmentView } from '../shipments/shipments.view.js';
import { latestIso } from '../../shared/time.js';
import { publicMapMarkers, type PublicMarker } from './public-map.js';
import { publicTimeline, type TimelineEntry } from './public-timeline.js';
import { etaCalculatedAt, sharedFields, type LinkPolicy } from './visibility.js';
import { changeTimeOf, destinationOf, keysShownIn, photoRemovedKey, segmentNameKey } from '../shipments/change-times.js';

export interface PublicStop {
  index: number;
  type: 'pickup' | 'delivery' | 'waypoint';
  name: string | null;
  address: string | null;
  reference?: string | null;
  window_start?: string | null;
  window_end?: string | null;
  eta?: string | null;
  arrived_at: string | null;
  departed_at: string | null;
}

export interface PublicShipment {
  org: { name: string; logo_url: string | null; brand_color: string | null; country: string };
  kind: ShipmentView['kind'];
  title: string | null;
  /** The shipment's reference, for the recipient to quote (section `reference`). */
  reference?: string;
  status?: ShipmentView['status'];
  delivered_at?: string | null;
  progress?: { stages: string[]; current_stage: number | null };
  /**
   * The arrival at the destination (the last delivery stop): the shipment's ETA, else that stop's
   * own; its delivery window; and, once delivered, when. One source, so the header and the stop
   * never disagree.
   */
  eta?: {
    at: string | null;
    source: ShipmentView['eta_source'];
    calculated_at: string | null;
    window: { start: string | null; end: string | null } | null;
    delivered_at: string | null;
  };
  customer_reference?: string | null;
  container_number?: string | null;
  transport_service?: string | null;
  custom_fields?: { key: string; value: string }[];
  extra_fields?: { key: string; value: string }[];
  stops?: PublicStop[];
  cargo?: { description: string; quantity: number | null; packaging: string | null; weight_kg: number | null }[];
  pallet_scans?: { cargo_index: number | null; stop_index: number | null; event: string; code: string | null; place: string | null; scanned_at: string | null }[];
  hero_photo?: { url: string; caption: string | null } | null;
  photos: { url: string; caption: string | null }[];
  notes?: { body: string; created_at: string | null }[];
  proof_of_delivery?: { url: string; content_type: string | null; signed_by: string | null; captured_at: string | null } | null;
  map: {
    shown: boolean;
    layers: Layer[];
    history: boolean;
    segments: { index: number; name: string | null }[];
    /** Numbered stop markers (public-map.ts). */
    markers: PublicMarker[];
    /** The number of the stop the vehicle heads to, or null. */
    next_stop: number | null;
  };
  /** What happened, newest first, only from what this link shows (public-timeline.ts). */
  timeline: TimelineEntry[];
  updated_at: string | null;
}

/** The notes a link's customer_notes section shows. */
const SHOWN_NOTE_SCOPE = 'customer';

/** What a public page shows of the org behind a link: its name, logo and colour. */
export function publicOrg(org: Org): PublicShipment['org'] {
  return {
    name: org.name,
    logo_url: org.logo_file ? `/media/logo/${org.id}?v=${org.updated_at}` : null,
    brand_color: org.brand_color,
    country: org.country,
  };
}

/**
 * `base` is the link's public path, e.g. `/t/<slug>`; photo and PDF URLs go through it. `changes`
 * are the shipment's recorded stage and status changes, for the timeline.
 */
export function publicShipment(s: ShipmentView, org: Org, v: LinkPolicy, base: string, changes: readonly ShipmentChange[] = []): PublicShipment {
  const on = v.sections;
  const shown = v.fields;
  const photoCaption = (id: string) => s.photos.find((p) => p.id === id)?.caption ?? null;
  const out: PublicShipment = {
    org: publicOrg(org),
    kind: s.kind,
    title: s.title,
    photos: v.photoIds.map((id) => ({ url: `${base}/photos/${id}`, caption: photoCaption(id) })),
    map: {
      shown: on.map,
      layers: [...v.layers],
      history: on.map && on.history,
      segments: on.map ? s.segments.filter((g) => v.segments.includes(g.index)).map((g) => ({ index: g.index, name: g.name })) : [],
      ...publicMapMarkers(s, v),
    },
    timeline: publicTimeline(s, changes, v),
    updated_at: null,
  };
  if (shown.status) {
    out.status = s.status;
    out.delivered_at = s.delivered_at;
  }
  if (shown.stage && s.stages.length) out.progress = { stages: [...s.stages], current_stage: s.current_stage };
  const destination = destinationOf(s.stops);
  // The shipment's ETA only where the ETA is shown: the destination's expected time follows it
  // then, and is that stop's own estimate otherwise.
  const shipmentEta = shown.eta ? s.eta : null;
  if (shown.eta) {
    const window = destination && (destination.window_start || destination.window_end) ? { start: destination.window_start, end: destination.window_end } : null;
    out.eta = {
      at: s.eta ?? destination?.eta ?? null,
      source: s.eta ? s.eta_source : destination?.eta ? 'manual' : s.eta_source,
      calculated_at: s.eta ? etaCalculatedAt(v.etaComputedTime, s.eta_source, s.eta_calculated_at) : null,
      window,
      // When it was delivered is the status's to tell (a link hiding the status hides it). Such a
      // link then shows no estimate either: an arrival still ahead (or "running late") would be
      // wrong for good.
      delivered_at: shown.status && s.status === 'delivered' ? s.delivered_at : null,
    };
    if (!shown.status && s.status === 'delivered') Object.assign(out.eta, { at: null, calculated_at: null });
  }
  if (shown.reference) out.reference = s.reference;
  if (on.customer_reference) out.customer_reference = s.customer_reference;
  if (on.container_number) out.container_number = s.container_number;
  if (on.transport_service) out.transport_service = s.transport_service;
  if (on.custom_fields) out.custom_fields = sharedFields(s.custom_fields);
  if (on.extra_fields) out.extra_fields = sharedFields(s.extra_fields);
  if (shown.stops) {
    out.stops = s.stops.map((st) => {
      const stop: PublicStop = {
        index: st.index,
        type: st.type,
        name: st.name,
        address: st.address,
        arrived_at: shown.stopTimes ? st.arrived_at : null,
        departed_at: shown.stopTimes ? st.departed_at : null,
      };
      if (shown.stopReferences) stop.reference = st.reference;
      if (shown.stopEstimates) {
        stop.window_start = st.window_start;
        stop.window_end = st.window_end;
        // The destination's expected time is the shipment's ETA when there is one (see eta).
        stop.eta = st === destination && shipmentEta ? shipmentEta : st.eta;
      }
      return stop;
    });
  }
  if (on.cargo) {
    out.cargo = s.cargo.map((c) => ({ description: c.description, quantity: c.quantity, packaging: c.packaging, weight_kg: c.weight_kg }));
  }
  if (on.pallet_scans) {
    out.pallet_scans = s.pallet_scans.map((p) => ({
      cargo_index: p.cargo_index,
      stop_index: p.stop_index,
      event: p.event,
      code: p.code,
      place: p.place,
      scanned_at: p.scanned_at,
    }));
  }
  if (on.hero_photo) out.hero_photo = v.heroPhotoId ? { url: `${base}/photos/${v.heroPhotoId}`, caption: photoCaption(v.heroPhotoId) } : null;
  if (on.customer_notes) out.notes = s.notes.filter((n) => n.scope === SHOWN_NOTE_SCOPE).map((n) => ({ body: n.body, created_at: n.created_at }));
  if (on.proof_of_delivery) {
    const pod = s.proof_of_delivery;
    out.proof_of_delivery = v.proofOfDelivery && pod ? { url: `${base}/pod.pdf`, content_type: pod.content_type, signed_by: pod.signed_by, captured_at: pod.captured_at } : null;
  }
  const keys = shownKeys(out, v, { destinationShowsShipmentEta: Boolean(shown.stopEstimates && destination && shipmentEta), shipmentHasEta: Boolean(s.eta) });
  out.updated_at = latestIso([latestShown(out), changeTimeOf(s.changed_at, keys)]);
  return out;
}

/**
 * The change-time keys (shipments/change-times.ts) of what this output shows, read from the
 * output: its fields, and what it shows under other names. Stop coordinates are the map's markers,
 * counted only where every stop is shown (a link hiding the stops shows no waypoint's place). The
 * ETA block shows the destination's window, and the destination's own ETA where the shipment has
 * none (`shipmentHasEta`): both have keys of their own, as stops.window_start and stops.eta are
 * one time for all stops, shown or not. Where the destination shows the shipment's ETA
 * (`destinationShowsShipmentEta`), its own expected time is shown nowhere: the stops' ETAs count
 * but the destination's. The map's segments and markers and
 * the picked photos are counted by what the link picks (`v`): a segment it does not share, a
 * waypoint it hides, a photo it does not pick are no change of what it shows.
 */
function shownKeys(out: PublicShipment, v: LinkPolicy, eta: { destinationShowsShipmentEta: boolean; shipmentHasEta: boolean }): string[] {
  const { destinationShowsShipmentEta, shipmentHasEta } = eta;
  // An ETA block with no estimate in it (none set, or delivered where the status is hidden) does
  // not show an edit of the ETA.
  const keys = keysShownIn(out).filter((k) => (k !== 'eta' || out.eta?.at) && (k !== 'stops.eta' || !destinationShowsShipmentEta));
  if (destinationShowsShipmentEta) keys.push('stops.eta.except_destination');
  if (out.eta) keys.push('stops.window.destination');
  if (out.eta?.at && !shipmentHasEta) keys.push('stops.eta.destination');
  if (out.progress) keys.push('stages', 'current_stage');
  if (out.hero_photo !== undefined) keys.push('hero_photo_id');
  if (out.stops && out.map.shown) keys.push('stops.lat', 'stops.lon');
  // Without the stops, the map still marks the pickups and deliveries, numbered in their order.
  if (!out.stops && out.map.shown) keys.push('stops.places.except_waypoints');
  // The segments' names: every segment's where the link shares all, else those of the ones it picks.
  if (out.map.shown) keys.push(...(v.pickedSegments === null ? ['segments.name'] : v.pickedSegments.map(segmentNameKey)));
  for (const id of v.pickedPhotoIds) keys.push(photoRemovedKey(id));
  if (out.notes) keys.push(`notes.${SHOWN_NOTE_SCOPE}`);
  return keys;
}

/**
 * When what this link shows last changed, as far as what it shows can tell: the newest of its
 * own times (timeline, stops, scans, notes, ETA, delivery, proof). Never the shipment's
 * updated_at, which moves with every write, hidden ones too (an internal note, a field the link
 * does not share): "Updated 14:02" would tell the recipient that something they cannot see
 * changed, and when. Made from the output itself, so it holds nothing the output does not.
 */
function latestShown(out: PublicShipment): string | null {
  return latestIso([
    out.delivered_at,
    out.eta?.calculated_at,
    out.eta?.delivered_at,
    out.proof_of_delivery?.captured_at,
    ...out.timeline.map((e) => e.at),
    ...(out.stops ?? []).flatMap((st) => [st.arrived_at, st.departed_at]),
    ...(out.pallet_scans ?? []).map((p) => p.scanned_at),
    ...(out.notes ?? []).map((n) => n.created_at),
  ]);
}
