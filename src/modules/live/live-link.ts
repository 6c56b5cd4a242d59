// The part of a link's public resolution (links.service.ts) a live viewer keeps in memory.
import type { PublicResolution } from '../links/links.service.js';
import type { LiveLink } from './live.service.js';

/** The part of a link resolution a live viewer keeps in memory. */
export function liveLinkOf(r: Extract<PublicResolution, { state: 'ok' }>): LiveLink {
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
