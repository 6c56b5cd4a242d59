// The ONE place that decides what a tracking link makes public. linkPolicy() turns the org's
// template, the link's options and the shipment into one frozen LinkPolicy per resolved link:
// sections, the shared pieces other outputs name (fields), photos, proof of delivery, the
// position scope (the only input positions/scope.ts turns into windows per device and layer),
// which live events may be sent, and whether the link opens at all. Every public output reads
// that object: the page and /data (public-view.ts), /history and /events (positions, live),
// photos and pod.pdf (public.routes.ts), and the variables of emails sent to a link's recipient
// (notifications/email-values.ts). Nothing else decides what a link shows.
import type { Org } from '../../db/schema.js';
import { LAYERS, type Layer, type PositionScope } from '../positions/positions.contract.js';
import type { ShipmentView } from '../shipments/shipments.view.js';
import type { LinkOptions } from './links.schema.js';
import { parseTemplate, SECTION_KEYS, type LinkTemplate, type SectionKey } from './template.js';

export type DriverPositionGate = LinkTemplate['driver_position'];
export type UnavailableReason = 'billing_locked' | 'sharing_disabled' | 'unshared';

/**
 * Pieces of a shipment that outputs other than the page's sections name one by one (email
 * variables, live events, the timeline). Each is derived from the sections here, once.
 */
export interface ShownFields {
  /** The shipment's own reference. */
  reference: boolean;
  /** The shipment's status (and when it was delivered). */
  status: boolean;
  /** The progress stage it is at. */
  stage: boolean;
  /** The shipment's ETA (header; the destination stop's expected time follows it). */
  eta: boolean;
  /** Stop names and addresses. */
  stops: boolean;
  /** When stops were reached and left (arrived_at, departed_at). */
  stopTimes: boolean;
  /** A stop's own expected time and time window. */
  stopEstimates: boolean;
  /** A stop's reference. */
  stopReferences: boolean;
}

/** What the live stream (`/t/{slug}/events`) of a link may send. */
export interface LiveEventsPolicy {
  /** `status` events may carry `status`. */
  status: boolean;
  /** `status` events may carry `current_stage`. */
  stage: boolean;
  /** `eta` events may be sent. */
  eta: boolean;
  /** `eta` events may carry a computed ETA's calculated_at (LinkPolicy.etaComputedTime). */
  etaComputedTime: boolean;
  /** Stop arrivals and departures may be announced. */
  stopTimes: boolean;
  /** Layers whose `position` events may be sent (each still only inside its windows). */
  positions: Layer[];
}

export interface LinkPolicy {
  sections: Readonly<Record<SectionKey, boolean>>;
  fields: Readonly<ShownFields>;
  driverPosition: DriverPositionGate;
  /**
   * When a computed ETA was calculated may be shown (etaCalculatedAt). It is recomputed as a
   * device reports, so that time is when a device last reported: shown only where the link shows
   * every position an ETA may be computed from.
   */
  etaComputedTime: boolean;
  /** Indices of the shipment's segments the link shares. */
  segments: number[];
  /** Layers whose positions may be shown; empty when the map is hidden. */
  layers: Layer[];
  /** Gallery photos picked for this link that still exist. */
  photoIds: string[];
  /**
   * Every gallery photo the link's options pick, deleted ones too: a deletion is a change of what
   * the link shows (shipments/change-times.ts), never to be shown otherwise.
   */
  pickedPhotoIds: string[];
  /** The segment indices the link's options pick, those no longer there too (same reason); null for all. */
  pickedSegments: number[] | null;
  /** The hero photo id when it is shown, else null. */
  heroPhotoId: string | null;
  /** Proof of delivery is shown and has been captured. */
  proofOfDelivery: boolean;
  /**
   * Positions: the input positions/scope.ts turns into time windows per device and layer
   * (attachment windows, shared segments, the driver gate), for the page, /data, /history and
   * the live stream alike.
   */
  positions: PositionScope;
  live: Readonly<LiveEventsPolicy>;
  /** Why the link shows nothing to anyone, or null when it opens (see unavailableReason). */
  unavailable: UnavailableReason | null;
}

/** The former name of LinkPolicy. */
export type Visibility = LinkPolicy;

/** Stored link options, tolerant of anything an older version wrote. */
export function parseOptions(json: string): LinkOptions {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as LinkOptions) : {};
  } catch {
    return {};
  }
}

/** PATCH semantics: keys not sent keep their value, null clears an override back to the template. */
export function mergeOptions(current: LinkOptions, patch: LinkOptions): LinkOptions {
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next as LinkOptions;
}

/** Drops null overrides so a stored options object only holds real overrides. */
export function normalizeOptions(options: LinkOptions | undefined): LinkOptions {
  return mergeOptions({}, options ?? {});
}

/** The template with the link's overrides applied, plus the list options resolved. */
export function effectiveOptions(template: LinkTemplate, options: LinkOptions) {
  const sections = {} as Record<SectionKey, boolean>;
  for (const k of SECTION_KEYS) sections[k] = typeof options[k] === 'boolean' ? (options[k] as boolean) : template[k];
  return {
    ...sections,
    driver_position: options.driver_position ?? template.driver_position,
    segments: options.segments ?? null,
    layers: options.layers ?? null,
    photo_ids: options.photo_ids ?? [],
  };
}

/**
 * Why a link shows nothing to anyone, or null when it may be shown. The reasons are for the
 * admin; the public sees the same "not available" page for all of them.
 */
export function unavailableReason(org: Pick<Org, 'billing_state' | 'sharing_enabled'>, options: LinkOptions): UnavailableReason | null {
  if (org.billing_state === 'locked') return 'billing_locked';
  if (org.sharing_enabled !== 1) return 'sharing_disabled';
  // Turning every segment or every layer off is how a sender stops sharing without revoking.
  if ((Array.isArray(options.segments) && options.segments.length === 0) || (Array.isArray(options.layers) && options.layers.length === 0)) {
    return 'unshared';
  }
  return null;
}

/** The inactivity expiry rule and the fixed expiry, in one place. */
export function expiresAt(link: { expires_at: number | null }, org: Pick<Org, 'link_inactivity_days'>, shipmentUpdatedAt: number): number {
  const inactivity = shipmentUpdatedAt + org.link_inactivity_days * 86_400_000;
  return link.expires_at === null ? inactivity : Math.min(link.expires_at, inactivity);
}

/** The one policy of a link (see the top of this file). */
export function linkPolicy(org: Org, shipment: ShipmentView, options: LinkOptions): LinkPolicy {
  const eff = effectiveOptions(parseTemplate(org.link_template), options);
  const sections = Object.freeze(Object.fromEntries(SECTION_KEYS.map((k) => [k, eff[k]])) as Record<SectionKey, boolean>);
  const existingSegments = shipment.segments.map((g) => g.index);
  const segments = eff.segments === null ? existingSegments : existingSegments.filter((i) => (eff.segments as number[]).includes(i));
  const mapLayers = sections.map ? (eff.layers === null ? [...LAYERS] : LAYERS.filter((l) => (eff.layers as Layer[]).includes(l))) : [];
  const layers = eff.driver_position === 'never' ? mapLayers.filter((l) => l !== 'driver') : mapLayers;
  const gallery = new Set(shipment.photos.map((p) => p.id));
  const heroPhotoId = sections.hero_photo && shipment.hero_photo_id && gallery.has(shipment.hero_photo_id) ? shipment.hero_photo_id : null;
  const fields: ShownFields = Object.freeze({
    reference: sections.reference,
    status: sections.status,
    stage: sections.progress,
    eta: sections.eta,
    stops: sections.stops,
    stopTimes: sections.stops,
    stopEstimates: sections.stops && sections.estimated_times,
    stopReferences: sections.stops && sections.stop_references,
  });
  // A computed ETA comes from the newest position of the driver, else a tracker, else a cargo
  // tracker, whatever the link shows: its time is public only when every position is (the map
  // with every layer, the driver at any time, and no segments: between segments, waiting at a
  // stop, positions are hidden even with every segment shared). Else a link showing the ETA but
  // not the driver told the recipient when the hidden phone last reported.
  const etaComputedTime = fields.eta && LAYERS.every((l) => layers.includes(l)) && eff.driver_position === 'always' && existingSegments.length === 0;
  const positions: PositionScope = Object.freeze({
    orgId: org.id,
    shipmentId: shipment.id,
    layers: [...layers],
    segments: [...segments],
    driverPosition: eff.driver_position,
    history: sections.map && sections.history,
  });
  return Object.freeze({
    sections,
    fields,
    etaComputedTime,
    driverPosition: eff.driver_position,
    segments,
    layers,
    photoIds: eff.photo_ids.filter((id) => gallery.has(id)),
    pickedPhotoIds: [...eff.photo_ids],
    pickedSegments: eff.segments === null ? null : [...eff.segments],
    heroPhotoId,
    proofOfDelivery: sections.proof_of_delivery && shipment.proof_of_delivery !== null,
    positions,
    live: Object.freeze({ status: fields.status, stage: fields.stage, eta: fields.eta, etaComputedTime, stopTimes: fields.stopTimes, positions: [...layers] }),
    unavailable: unavailableReason(org, options),
  });
}

/**
 * The custom or extra fields a partner or a link may show: those marked shareable, in their
 * order. The partner's and the public view show these, and shipments/change-times.ts moves the
 * views' updated_at only when this part of a list changes.
 */
export function sharedFields(fields: readonly { key: string; value: string; shareable: boolean }[]): { key: string; value: string }[] {
  return fields.filter((f) => f.shareable === true).map((f) => ({ key: f.key, value: f.value }));
}

/** Whether a photo may be served through this link (the hero or a picked gallery photo). */
export function photoIsPublic(p: LinkPolicy, photoId: string): boolean {
  return p.heroPhotoId === photoId || p.photoIds.includes(photoId);
}

/**
 * An ETA's calculated_at as a link may show it: a manual ETA's (when someone set it) as it is, a
 * computed ETA's only where `computedTimeShown` (LinkPolicy.etaComputedTime), else null.
 */
export function etaCalculatedAt(computedTimeShown: boolean, source: string | null, calculatedAt: string | null): string | null {
  return source === 'computed' && !computedTimeShown ? null : calculatedAt;
}
