// The part of a ResolvedLink (links/public-link-resolver.ts) a live viewer keeps in memory: the
// live module reads nothing else of a link, so the resolver's shapes stay the links module's own.
import { createHash } from 'node:crypto';
import type { ResolvedLink } from '../links/links.service.js';
import type { LiveEventsPolicy } from '../links/visibility.js';
import { publicShipment } from '../links/public-view.js';
import type { PositionScope, ShipmentShape } from '../positions/positions.contract.js';

/** A ResolvedLink as a live viewer keeps it (liveLinkOf, live-link.ts). */
export interface LiveLink {
  linkId: string;
  orgId: string;
  shipmentId: string;
  /** The policy's position scope: windows per device and layer come from it alone. */
  scope: PositionScope;
  /**
   * The shipment's devices and times, read with the link (no query of its own): its windows are
   * worked out from it without reading the shipment again. A resync re-resolves every link of
   * this instance's viewers, and one query each for the windows made it thousands at once.
   */
  shape: ShipmentShape;
  /** The live part of the link's policy (links/visibility.ts, LinkPolicy.live): what its stream may send. */
  events: Readonly<LiveEventsPolicy>;
  status: string;
  currentStage: number | null;
  /**
   * A digest of what the link's page and /data show (links/public-view.ts). A change is announced
   * to viewers (`changed`) only when this differs: a change the link hides (an internal note, a
   * field it does not share) would otherwise tell them, by the event's timing, that something
   * they cannot see changed, and when.
   */
  shown: string;
}

/** The `status` event a link may see: status and stage only where its policy shows them; null for none. */
export function statusEvent(link: LiveLink): { status?: string; current_stage?: number | null } | null {
  if (!link.events.status && !link.events.stage) return null;
  return { ...(link.events.status ? { status: link.status } : {}), ...(link.events.stage ? { current_stage: link.currentStage } : {}) };
}
export type LiveResolve = (slug: string) => Promise<LiveLink | 'not_found' | 'expired'>;

/**
 * One LiveLink per resolution: the resolver hands every visitor of a cached link the same
 * ResolvedLink, so a crowd of viewers of one link shares one LiveLink instead of holding a copy
 * each. Weak: it goes with the resolution (a changed link is resolved anew).
 */
const made = new WeakMap<ResolvedLink, LiveLink>();

export function liveLinkOf(r: ResolvedLink): LiveLink {
  let live = made.get(r);
  if (!live) {
    live = Object.freeze({
      linkId: r.link.id,
      orgId: r.org.id,
      shipmentId: r.shipment.id,
      scope: r.policy.positions,
      shape: r.shape,
      events: r.policy.live,
      status: r.shipment.status,
      currentStage: r.shipment.current_stage,
      shown: createHash('sha256').update(JSON.stringify(publicShipment(r.shipment, r.org, r.policy, '', r.changes))).digest('base64url'),
    });
    made.set(r, live);
  }
  return live;
}
