// The ONE place that decides what a tracking link makes public: sections (template + link
// options), shared segments and layers, picked photos, the driver-position gate and history.
// Every public output (page, JSON, photos, proof of delivery, positions) derives from Visibility.
import type { Org } from '../../db/schema.js';
import { LAYERS, type Layer, type PositionScope } from '../positions/positions.contract.js';
import type { ShipmentView } from '../shipments/shipments.view.js';
import type { LinkOptions } from './links.schema.js';
import { parseTemplate, SECTION_KEYS, type LinkTemplate, type SectionKey } from './template.js';

export type DriverPositionGate = LinkTemplate['driver_position'];

export interface Visibility {
  sections: Readonly<Record<SectionKey, boolean>>;
  driverPosition: DriverPositionGate;
  /** Indices of the shipment's segments the link shares. */
  segments: number[];
  /** Layers whose positions may be shown; empty when the map is hidden. */
  layers: Layer[];
  /** Gallery photos picked for this link that still exist. */
  photoIds: string[];
  /** The hero photo id when it is shown, else null. */
  heroPhotoId: string | null;
  /** Proof of delivery is shown and has been captured. */
  proofOfDelivery: boolean;
}

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
export function unavailableReason(org: Org, options: LinkOptions): 'billing_locked' | 'sharing_disabled' | 'unshared' | null {
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

export function visibilityFor(org: Org, shipment: ShipmentView, options: LinkOptions): Visibility {
  const eff = effectiveOptions(parseTemplate(org.link_template), options);
  const sections = Object.fromEntries(SECTION_KEYS.map((k) => [k, eff[k]])) as Record<SectionKey, boolean>;
  const existingSegments = shipment.segments.map((g) => g.index);
  const segments = eff.segments === null ? existingSegments : existingSegments.filter((i) => (eff.segments as number[]).includes(i));
  const layers = sections.map ? (eff.layers === null ? [...LAYERS] : LAYERS.filter((l) => (eff.layers as Layer[]).includes(l))) : [];
  const gallery = new Set(shipment.photos.map((p) => p.id));
  const heroPhotoId = sections.hero_photo && shipment.hero_photo_id && gallery.has(shipment.hero_photo_id) ? shipment.hero_photo_id : null;
  return Object.freeze({
    sections: Object.freeze(sections),
    driverPosition: eff.driver_position,
    segments,
    layers: eff.driver_position === 'never' ? layers.filter((l) => l !== 'driver') : layers,
    photoIds: eff.photo_ids.filter((id) => gallery.has(id)),
    heroPhotoId,
    proofOfDelivery: sections.proof_of_delivery && shipment.proof_of_delivery !== null,
  });
}

/** What positions/live may reveal for this link. */
export function positionScope(orgId: string, shipmentId: string, v: Visibility): PositionScope {
  return {
    orgId,
    shipmentId,
    layers: [...v.layers],
    segments: [...v.segments],
    driverPosition: v.driverPosition,
    history: v.sections.map && v.sections.history,
  };
}

/** Whether a photo may be served through this link (the hero or a picked gallery photo). */
export function photoIsPublic(v: Visibility, photoId: string): boolean {
  return v.heroPhotoId === photoId || v.photoIds.includes(photoId);
}
