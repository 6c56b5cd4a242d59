// The admin's view of a tracking link: its stored options, computed state and availability,
// and view stats (no visitor data exists to show).
import type { Org, TrackingLinkRow } from '../../db/schema.js';
import { nowMs, toIso } from '../../shared/time.js';
import { expiresAt, parseOptions, unavailableReason } from './visibility.js';

export function linkView(link: TrackingLinkRow, org: Org, shipmentUpdatedAt: number, shipmentReference: string, url: string) {
  const options = parseOptions(link.options);
  const effectiveExpiry = expiresAt(link, org, shipmentUpdatedAt);
  const state: 'active' | 'revoked' | 'expired' = link.state === 'revoked' ? 'revoked' : effectiveExpiry <= nowMs() ? 'expired' : 'active';
  const reason = state === 'active' ? unavailableReason(org, options) : null;
  return {
    id: link.id,
    slug: link.slug,
    url,
    qr_url: `/api/v1/links/${link.id}/qr.svg`,
    shipment_id: link.shipment_id,
    shipment_reference: shipmentReference,
    recipient: link.recipient_email ? { name: link.recipient_name, email: link.recipient_email } : null,
    state,
    available: state === 'active' && reason === null,
    unavailable_reason: reason,
    options,
    expires_at: toIso(link.expires_at),
    effective_expires_at: state === 'revoked' ? null : toIso(effectiveExpiry),
    created_at: toIso(link.created_at),
    created_by: link.created_by,
    updated_at: toIso(link.updated_at),
    revoked_at: toIso(link.revoked_at),
    revoked_by: link.revoked_by,
    replaced_by: link.replaced_by,
    first_viewed_at: toIso(link.first_viewed_at),
    last_viewed_at: toIso(link.last_viewed_at),
    view_count: link.view_count,
  };
}

export type LinkView = ReturnType<typeof linkView>;
