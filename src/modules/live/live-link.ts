// The part of a ResolvedLink (links/public-link-resolver.ts) a live viewer keeps in memory: the
// live module reads nothing else of a link, so the resolver's shapes stay the links module's own.
import type { ResolvedLink } from '../links/links.service.js';
import type { LiveLink } from './live.service.js';

export function liveLinkOf(r: ResolvedLink): LiveLink {
  return {
    linkId: r.link.id,
    orgId: r.org.id,
    shipmentId: r.shipment.id,
    scope: r.policy.positions,
    events: r.policy.live,
    status: r.shipment.status,
    currentStage: r.shipment.current_stage,
  };
}
