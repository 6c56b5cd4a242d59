// Partner organizations (connected forwarders and couriers): invitations by public handle or by
// an admin's email, accepted by the invited org; connections either side may end; and which of
// its shipments an org shares with a connected partner. What a partner then sees of a shipment
// is decided in links/partner-view.ts.
//
// An invitation never tells the inviter whether its address named an organization: the reply,
// and the inviter's list, are the same for a handle or email that exists and one that does not,
// until the invited org accepts. A declined invitation looks to the inviter exactly like one
// nobody answered (pending until it expires, withdrawable, counted the same), so declining the
// invitations of a stranger probing emails or handles tells it nothing either.
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { decodeCursor, page, pageOf } from '../../shared/pagination.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, systemActor, type Actor } from '../auth/roles.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { PartnersRepository } from './partners.repository.js';
import type { InvitationCreate } from './partners.schema.js';

/** How long an invitation waits for an answer. */
export const INVITATION_DAYS = 14;
/** Pending invitations an org may have at once, and invitations it may send per day (spam bounds). */
export const MAX_PENDING_INVITATIONS = 25;
export const MAX_INVITATIONS_PER_DAY = 50;

const DAY = 86_400_000;
export const INVITATION_SENT_MESSAGE = 'Invitation sent, if such an organization exists. It shows here as accepted once that organization accepts it.';

export class PartnersService {
  constructor(
    private readonly repo: PartnersRepository,
    private readonly shipments: ShipmentsService,
    private readonly audit: AuditService,
  ) {}

  // ---- connections ----

  async list(actor: Actor, q: { limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const rows = await this.repo.listPartners(actor.orgId, decodeCursor(q.cursor), limit);
    const p = page(rows, limit, (r) => ({ at: Number(r.created_at), id: r.partner_org_id }));
    return { items: p.items.map((r) => ({ org_id: r.partner_org_id, name: r.name, handle: r.handle, since: toIso(r.created_at) as string })), next_cursor: p.next_cursor };
  }

  areConnected(orgId: string, partnerOrgId: string): Promise<boolean> {
    return this.repo.connected(orgId, partnerOrgId);
  }

  /** Either side ends a connection; every shipment shared between the two stops being shared. */
  async end(actor: Actor, partnerOrgId: string): Promise<void> {
    requireRole(actor, 'admin', 'end partnerships');
    const ended = await this.repo.transaction((trx) => this.repo.disconnect(trx, actor.orgId, partnerOrgId));
    if (!ended) throw AppError.notFound('Partner');
    await this.audit.record(actor, 'partner.disconnected', { type: 'org', id: partnerOrgId });
    await this.audit.record(systemActor(partnerOrgId, 'partner organization'), 'partner.disconnected', { type: 'org', id: actor.orgId });
  }

  // ---- invitations ----

  async invite(actor: Actor, input: InvitationCreate) {
    requireRole(actor, 'admin', 'invite partner organizations');
    const address = 'handle' in input ? `@${input.handle.replace(/^@/, '').toLowerCase()}` : input.email.toLowerCase();
    const target = await this.resolve(actor, address);
    const now = nowMs();
    const row = {
      id: newId(),
      org_id: actor.orgId,
      address,
      target_org_id: target,
      state: 'pending' as const,
      invited_by: actor.label,
      created_at: now,
      expires_at: now + INVITATION_DAYS * DAY,
      responded_at: null,
    };
    // Counted and inserted with the org held (holdOrg): counted apart from the insert, invitations
    // sent at the same moment each found the same places free and together went past the bounds.
    await this.repo.transaction(async (trx) => {
      await this.repo.holdInviter(trx, actor.orgId);
      // Invitations older than their lifetime are neither pending nor sent today.
      refuseBeyondBounds(await this.repo.sentSince(actor.orgId, now - INVITATION_DAYS * DAY, trx), now);
      await this.repo.insertInvitation(row, trx);
    });
    // The audit log is the inviter's own: it records what they typed, never what it resolved to.
    await this.audit.record(actor, 'partner.invited', { type: 'partner_invitation', id: row.id }, { address });
    return { ...sentView({ ...row, target_name: null, target_handle: null }, now), message: INVITATION_SENT_MESSAGE };
  }

  /**
   * The org an address names, or null when it names none this inviter may reach: unknown, an
   * email that is no owner's or admin's, an email of admins of several orgs, or an org already
   * connected. Only one's own org is an error (nothing to hide there).
   */
  private async resolve(actor: Actor, address: string): Promise<string | null> {
    const ids = address.startsWith('@') ? await this.repo.orgIdsByHandle(address.slice(1)) : await this.repo.orgIdsByAdminEmail(address);
    // Refused whenever one's own org is among them, not only when it is the one: any owner can
    // give its org an admin with a stranger's email, and "own org" only when no other org has
    // that admin would tell it whether one does.
    if (ids.includes(actor.orgId)) {
      const path = address.startsWith('@') ? 'body/handle' : 'body/email';
      throw AppError.validation('This is your own organization', [{ path, message: 'your own organization' }]);
    }
    const id = ids.length === 1 ? ids[0] : null;
    // Asked whether or not the address named an org (one's own org is never connected to itself),
    // so an invitation takes the same queries either way: no timing tells the inviter apart.
    const connected = await this.repo.connected(actor.orgId, id ?? actor.orgId);
    return id && !connected ? id : null;
  }

  // Invitations are the owners' and admins' business (README: Partner organizations): who invited
  // the org, and which addresses it tried, are not for dispatchers and viewers.
  async sent(actor: Actor, q: { limit?: number; cursor?: string }) {
    requireRole(actor, 'admin', 'see partner invitations');
    const limit = q.limit ?? 50;
    const now = nowMs();
    const rows = await this.repo.listSent(actor.orgId, decodeCursor(q.cursor), limit);
    const p = page(rows, limit, (r) => ({ at: Number(r.created_at), id: r.id }));
    return { items: p.items.map((r) => sentView(r, now)), next_cursor: p.next_cursor };
  }

  async received(actor: Actor, q: { limit?: number; cursor?: string }) {
    requireRole(actor, 'admin', 'see partner invitations');
    const limit = q.limit ?? 50;
    const rows = await this.repo.listReceived(actor.orgId, nowMs(), decodeCursor(q.cursor), limit);
    const p = page(rows, limit, (r) => ({ at: Number(r.created_at), id: r.id }));
    return {
      items: p.items.map((r) => ({
        id: r.id,
        from: { org_id: r.org_id, name: r.from_name, handle: r.from_handle },
        address: r.address,
        created_at: toIso(r.created_at) as string,
        expires_at: toIso(r.expires_at) as string,
      })),
      next_cursor: p.next_cursor,
    };
  }

  async accept(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'accept partner invitations');
    const now = nowMs();
    const inv = await this.repo.findReceived(actor.orgId, id, now);
    if (!inv) throw AppError.notFound('Invitation');
    const ok = await this.repo.transaction(async (trx) => {
      await this.repo.holdPair(trx, inv.org_id, actor.orgId);
      if (!(await this.repo.respond(trx, inv.id, 'accepted', now))) return false;
      await this.repo.connect(trx, inv.org_id, actor.orgId, now);
      await this.repo.acceptAllBetween(trx, inv.org_id, actor.orgId, now);
      return true;
    });
    if (!ok) throw AppError.notFound('Invitation');
    await this.audit.record(actor, 'partner.connected', { type: 'org', id: inv.org_id }, { invitation_id: inv.id });
    await this.audit.record(systemActor(inv.org_id, 'partner organization'), 'partner.connected', { type: 'org', id: actor.orgId }, { invitation_id: inv.id });
  }

  async decline(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'decline partner invitations');
    const now = nowMs();
    const inv = await this.repo.findReceived(actor.orgId, id, now);
    const ok = inv ? await this.repo.transaction((trx) => this.repo.respond(trx, inv.id, 'declined', now)) : false;
    if (!inv || !ok) throw AppError.notFound('Invitation');
    await this.audit.record(actor, 'partner.invitation_declined', { type: 'partner_invitation', id: inv.id });
  }

  /** The inviter withdraws a pending invitation: the invited org no longer sees it. */
  async cancel(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'withdraw partner invitations');
    // A declined one too: to the inviter it is still pending.
    if (!(await this.repo.withdraw(actor.orgId, id, nowMs(), ['pending', 'declined']))) throw AppError.notFound('Invitation');
    await this.audit.record(actor, 'partner.invitation_cancelled', { type: 'partner_invitation', id });
  }

  // ---- shipments shared with partners ----

  async shareShipment(actor: Actor, shipmentId: string, partnerOrgId: string) {
    requireRole(actor, 'admin', 'share shipments with partner organizations');
    await this.shipments.requireOwn(actor, shipmentId);
    // Shared only under the connection held (holdConnection): checked apart from the share, a
    // disconnection committed in between left the share behind, and the former partner saw the shipment.
    const shared = await this.repo.transaction(async (trx) => {
      if (!(await this.repo.holdConnection(trx, actor.orgId, partnerOrgId))) return false;
      await this.repo.share(trx, actor.orgId, shipmentId, partnerOrgId, nowMs());
      return true;
    });
    // The same answer for an unknown org and one that is not connected: ids are not probed here.
    if (!shared) {
      throw AppError.validation('Not a connected partner: invite the organization under Partners first', [{ path: 'body/partner_org_id', message: 'not a connected partner' }]);
    }
    await this.audit.record(actor, 'shipment.partner_added', { type: 'shipment', id: shipmentId }, { partner_org_id: partnerOrgId });
    return this.shipmentShares(actor, shipmentId);
  }

  async unshareShipment(actor: Actor, shipmentId: string, partnerOrgId: string): Promise<void> {
    requireRole(actor, 'admin', 'unshare shipments with partner organizations');
    await this.shipments.requireOwn(actor, shipmentId);
    if (!(await this.repo.unshare(actor.orgId, shipmentId, partnerOrgId))) throw AppError.notFound('Partner');
    await this.audit.record(actor, 'shipment.partner_removed', { type: 'shipment', id: shipmentId }, { partner_org_id: partnerOrgId });
  }

  /** A page of shipmentShares, oldest first (a shipment is shared with a handful of partners, read whole). */
  async shipmentSharesPage(actor: Actor, shipmentId: string, q: { limit?: number; cursor?: string }) {
    return pageOf(await this.shipmentShares(actor, shipmentId), q, (r) => ({ at: Date.parse(r.created_at), id: r.partner_org_id }));
  }

  async shipmentShares(actor: Actor, shipmentId: string) {
    await this.shipments.requireOwn(actor, shipmentId);
    const rows = await this.repo.listShares(actor.orgId, shipmentId);
    return rows.map((r) => ({ partner_org_id: r.partner_org_id, org_id: r.partner_org_id, name: r.name, handle: r.handle, created_at: toIso(r.created_at) as string }));
  }
}

/** 429 when the org sent its day's invitations, or has as many pending as it may; `sent` are those of the last INVITATION_DAYS. */
function refuseBeyondBounds(sent: { at: number; state: SentRow['state']; expiresAt: number }[], now: number): void {
  // Retry-After says when a place frees up for sure: the day's oldest turns a day old, or the
  // soonest pending one expires (withdrawing one frees a pending place sooner).
  const secondsUntil = (at: number) => Math.max(1, Math.ceil((at - now) / 1000));
  const today = sent.filter((i) => i.at >= now - DAY);
  if (today.length >= MAX_INVITATIONS_PER_DAY) {
    throw AppError.rateLimited(`At most ${MAX_INVITATIONS_PER_DAY} partner invitations a day`, secondsUntil(Math.min(...today.map((i) => i.at)) + DAY));
  }
  const pending = sent.filter((i) => inviterState(i.state, i.expiresAt, now) === 'pending');
  if (pending.length >= MAX_PENDING_INVITATIONS) {
    throw AppError.rateLimited(
      `At most ${MAX_PENDING_INVITATIONS} pending partner invitations; withdraw some or wait until they are answered or expire`,
      secondsUntil(Math.min(...pending.map((i) => i.expiresAt))),
    );
  }
}

interface SentRow {
  id: string;
  address: string;
  state: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  created_at: number;
  expires_at: number;
  responded_at: number | null;
  target_org_id: string | null;
  target_name: string | null;
  target_handle: string | null;
}

/** What the inviter is told of an invitation's state: declined reads as unanswered (see the top). */
function inviterState(state: SentRow['state'], expiresAt: number, now: number): 'pending' | 'accepted' | 'withdrawn' | 'expired' {
  if (state === 'pending' || state === 'declined') return Number(expiresAt) <= now ? 'expired' : 'pending';
  return state;
}

/** The inviter's view: the org behind the address only once it accepted. */
function sentView(r: SentRow, now: number) {
  const state = inviterState(r.state, r.expires_at, now);
  return {
    id: r.id,
    address: r.address,
    state,
    created_at: toIso(r.created_at) as string,
    expires_at: toIso(r.expires_at) as string,
    responded_at: r.state === 'declined' ? null : toIso(r.responded_at),
    partner: state === 'accepted' && r.target_org_id && r.target_name !== null ? { org_id: r.target_org_id, name: r.target_name, handle: r.target_handle } : null,
  };
}
