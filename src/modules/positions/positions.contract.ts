// The contract between the links/public-page modules and the positions/live modules.
// links/visibility.ts decides a PositionScope for a link; positions and live enforce it.
import { Type } from '@sinclair/typebox';
import { LAYERS, type Layer } from '../../db/schema.js';
/** What other modules may know of a shipment's devices and times (links bring it with a public load, live keeps it). */
export type { ShipmentShape } from './positions.repository.js';

export { LAYERS, type Layer } from '../../db/schema.js';
/** A layer name in request and response schemas (every route's one definition, from LAYERS). */
export const LayerSchema = Type.Union(LAYERS.map((l) => Type.Literal(l)));

/** What one tracking link may see of a shipment's positions (computed only in links/visibility.ts). */
export interface PositionScope {
  orgId: string;
  shipmentId: string;
  /** Layers the link shares; empty means no positions at all. */
  layers: Layer[];
  /** Indices of the shipment's segments the link shares; positions outside their time windows stay hidden. */
  segments: number[];
  /** Gate for the driver layer. */
  driverPosition: 'always' | 'en_route_to_delivery' | 'never';
  /** Whether past positions (history scrubber) may be shown, or only the latest one. */
  history: boolean;
}

/** One position as the public sees it: no device ids, no battery, nothing else. */
export interface PublicPosition {
  layer: Layer;
  lat: number;
  lon: number;
  recorded_at: string;
  speed_mps: number | null;
  heading_deg: number | null;
  accuracy_m: number | null;
}

/** `/t/{slug}/history` reply: per layer, points as [epoch ms, lat, lon], oldest first. */
export interface PublicHistory {
  layers: { layer: Layer; points: [number, number, number][]; total: number; downsampled: boolean }[];
  from: string | null;
  to: string | null;
}

/**
 * Server-Sent Events on `/t/{slug}/events`: `event:` is the type, `data:` JSON.
 * - position: PublicPosition, with `recorded_at_text`: recorded_at as the page writes it (the
 *             request's language, the org's zone), so a phone formats no date of its own
 * - status:   { status, current_stage }
 * - eta:      { eta, eta_source, calculated_at, state }
 * - changed:  {} (something visible changed; the page refetches /data), or { resync: true } after
 *             the live bus was lost: then every viewer of the instance gets one at once, and the page
 *             spreads its refetch over RESYNC_SPREAD_MS instead of all asking within 300 ms
 * - `: ready` once the stream's initial state is sent
 * - revoked:  {} (the link is no longer available; the stream then closes)
 * - heartbeat comments (`: hb`) every 15 s.
 */
export type PublicEventType = 'position' | 'status' | 'eta' | 'changed' | 'revoked';
