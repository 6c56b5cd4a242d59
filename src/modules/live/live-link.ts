// The part of a ResolvedLink (links/public-link-resolver.ts) a live viewer keeps in memory: the
// live module reads nothing else of a link, so the resolver's shapes stay the links module's own.
import type { ResolvedLink } from '../links/links.service.js';
import type { LiveLink } from './live.service.js';

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
    });
    made.set(r, live);
  }
  return live;
}
