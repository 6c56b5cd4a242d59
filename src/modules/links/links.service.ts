// Tracking links, the admin side: their lifecycle (create, change options, revoke, regenerate),
// the admin's view of them, and the links notifications make per recipient. What a visitor's
// request resolves to is public-link-resolver.ts.
import QRCode from 'qrcode';
import type { Org, ShipmentRow, TrackingLinkRow } from '../../db/schema.js';
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import { newId, randomToken } from '../../shared/ids.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, systemActor, type Actor } from '../auth/roles.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { ShipmentView } from '../shipments/shipments.view.js';
import type { LinkChangeListener, LinkChangeType, LinkEvents } from './link-events.js';
import type { LinkCreate, LinkListQuery, LinkOptions, LinkPatch } from './links.schema.js';
import type { LinksRepository, LinkWithShipment } from './links.repository.js';
import { linkView } from './links.view.js';
import type { PublicLinkResolver } from './public-link-resolver.js';
import { expiresAt, mergeOptions, normalizeOptions, parseOptions } from './visibility.js';

export type { LinkChange, LinkChangeListener, LinkChangeType } from './link-events.js';
export type { PublicResolution, ResolvedLink } from './public-link-resolver.js';
export { LinkUnavailable } from './public-link-resolver.js';

const SLUG_BYTES = 18;

export class LinksService {
  constructor(
    private readonly repo: LinksRepository,
    private readonly shipments: ShipmentsService,
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
    /** The public side: this lifecycle drops its cached copy of a link it changes, and reads its view counts. */
    private readonly resolver: PublicLinkResolver,
    private readonly events: LinkEvents,
    private readonly publicBaseUrl: string,
  ) {}

  onChange(listener: LinkChangeListener): void {
    this.events.onChange(listener);
  }

  private emit(type: LinkChangeType, link: { id: string; org_id: string; shipment_id: string }): void {
    this.events.emit(type, link);
  }

  // ---- admin API ----

  async create(actor: Actor, shipmentId: string, input: LinkCreate) {
    requireRole(actor, 'dispatcher', 'create tracking links');
    const shipment = await this.shipments.ownView(actor, shipmentId);
    const options = normalizeOptions(input.options);
    checkOptions(shipment, options, 'body/options');
    const expires = fromIso(input.expires_at ?? null);
    const recipient = input.recipient ? { name: input.recipient.name ?? null, email: input.recipient.email.toLowerCase() } : null;
    const row = await this.insertLink(actor, shipmentId, options, expires, recipient);
    return this.viewOne(actor, row);
  }

  private async insertLink(actor: Actor, shipmentId: string, options: LinkOptions, expires: number | null, recipient: { name: string | null; email: string } | null) {
    const org = await this.orgs.require(actor.orgId);
    const now = nowMs();
    // A link that silently expired still holds the "one active" slot; it gives way to the new one.
    const existing = await this.repo.findActive(actor.orgId, shipmentId, recipient?.email ?? null);
    const row: TrackingLinkRow = {
      id: newId(),
      org_id: actor.orgId,
      shipment_id: shipmentId,
      recipient_name: recipient?.name ?? null,
      recipient_email: recipient?.email ?? null,
      options: JSON.stringify(options),
      expires_at: expires,
      ...freshLink(actor, now),
    };
    // Read before the transaction: on SQLite a query outside it would wait for its connection.
    const shipment = await this.shipments.requireOwn(actor, shipmentId);
    const retired = existing && expiresAt(existing, org, shipment.updated_at) <= now ? existing : null;
    await this.repo.transaction(async (trx) => {
      // The shipment before the link it retires (see holdShipment), and always: deleted since
      // requireOwn, it is the 404, not the new link's foreign key (a 500).
      if (!(await this.repo.holdShipment(trx, actor.orgId, shipmentId))) throw AppError.notFound('Shipment');
      if (retired) await this.repo.retireExpired(trx, actor.orgId, retired.id, actor.label, now, row.id);
      await this.repo.insert(trx, row);
    });
    await this.audit.record(actor, 'link.created', { type: 'link', id: row.id }, { shipment_id: shipmentId, recipient_email: row.recipient_email, options, expires_at: toIso(expires) });
    if (retired) this.resolver.invalidateLink(retired.id);
    this.emit('created', row);
    return row;
  }

  async get(actor: Actor, id: string) {
    await this.freshViews();
    return this.viewOne(actor, await this.requireLink(actor, id));
  }

  /** Every link of one of the caller's shipments (404 for another org's), newest first. */
  async listOfShipment(actor: Actor, shipmentId: string, q: Omit<LinkListQuery, 'shipment_id'>) {
    await this.shipments.requireOwn(actor, shipmentId);
    return this.list(actor, { ...q, shipment_id: shipmentId });
  }

  async list(actor: Actor, q: LinkListQuery) {
    const limit = q.limit ?? 50;
    await this.freshViews();
    const org = await this.orgs.require(actor.orgId);
    const rows = await this.repo.list(actor.orgId, { state: q.state, shipmentId: q.shipment_id, before: decodeCursor(q.cursor), limit, now: nowMs() });
    const p = page(rows, limit, (r) => ({ at: r.created_at, id: r.id }));
    return { items: p.items.map((r) => this.view(r, org, r.shipment_updated_at, r.shipment_reference)), next_cursor: p.next_cursor };
  }

  async update(actor: Actor, id: string, patch: LinkPatch) {
    requireRole(actor, 'dispatcher', 'change tracking links');
    const link = await this.requireLink(actor, id);
    const revoked = () => AppError.conflict('A revoked link cannot be changed; create a new one');
    if (link.state !== 'active') throw revoked();
    const shipment = await this.shipments.viewFor(actor.orgId, link.shipment_id);
    if (!shipment) throw AppError.notFound('Tracking link');
    const now = nowMs();
    // The patch is merged into the options as they are once the link is held: merged into those
    // read above, a change committed meanwhile (another option hidden) was written over.
    await this.repo.transaction(async (trx) => {
      // The shipment before the link, as its deletion takes them: see holdShipment.
      if (!(await this.repo.holdShipment(trx, actor.orgId, link.shipment_id))) throw AppError.notFound('Tracking link');
      const current = await this.repo.lockActiveForChange(trx, actor.orgId, id, now);
      if (!current) throw revoked();
      const options = patch.options ? mergeOptions(parseOptions(current.options), patch.options) : parseOptions(current.options);
      checkOptions(shipment, options, 'body/options');
      const set = {
        options: JSON.stringify(options),
        updated_at: now,
        ...(patch.expires_at !== undefined ? { expires_at: fromIso(patch.expires_at), expired_notified_at: null } : {}),
      };
      await this.repo.update(trx, actor.orgId, id, set);
    });
    this.resolver.invalidateLink(id);
    await this.audit.record(actor, 'link.updated', { type: 'link', id }, { options: patch.options ?? null, expires_at: patch.expires_at });
    this.emit('updated', link);
    return this.get(actor, id);
  }

  async revoke(actor: Actor, id: string) {
    requireRole(actor, 'dispatcher', 'revoke tracking links');
    const link = await this.requireLink(actor, id);
    const done = await this.repo.transaction((trx) => this.repo.revoke(trx, actor.orgId, id, actor.label, nowMs(), null));
    this.resolver.invalidateLink(id);
    if (done) {
      await this.audit.record(actor, 'link.revoked', { type: 'link', id }, { shipment_id: link.shipment_id });
      this.emit('revoked', link);
    }
    return this.get(actor, id);
  }

  /** Revokes the link and issues a new slug with the same recipient, options and expiry. */
  async regenerate(actor: Actor, id: string) {
    requireRole(actor, 'dispatcher', 'regenerate tracking links');
    const old = await this.requireLink(actor, id);
    if (old.state !== 'active') throw AppError.conflict('This link is already revoked; create a new one instead');
    const now = nowMs();
    const newLinkId = newId();
    // The new link copies the old one as its revocation left it (the revocation holds the row): a
    // copy of the row read above lost an option change committed meanwhile, on a link that replaced it.
    const row = await this.repo.transaction(async (trx) => {
      // The shipment before the link, as its deletion takes them: see holdShipment.
      if (!(await this.repo.holdShipment(trx, actor.orgId, old.shipment_id))) throw AppError.notFound('Tracking link');
      if (!(await this.repo.revoke(trx, actor.orgId, old.id, actor.label, now, newLinkId))) throw AppError.conflict('This link was revoked meanwhile');
      const last = (await this.repo.find(actor.orgId, old.id, trx)) ?? old;
      const fresh: TrackingLinkRow = { ...last, id: newLinkId, ...freshLink(actor, now) };
      await this.repo.insert(trx, fresh);
      return fresh;
    });
    this.resolver.invalidateLink(old.id);
    await this.audit.record(actor, 'link.regenerated', { type: 'link', id: row.id }, { replaces: old.id, shipment_id: old.shipment_id });
    this.emit('regenerated', old);
    this.emit('created', row);
    return this.viewOne(actor, row);
  }

  async qrSvg(actor: Actor, id: string): Promise<string> {
    const link = await this.requireLink(actor, id);
    return QRCode.toString(this.url(link.slug), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /** What the admin shows in a shipment's header: is it publicly tracked, and by which links. */
  async tracking(actor: Actor, shipmentId: string) {
    await this.freshViews();
    const s = await this.shipments.requireOwn(actor, shipmentId);
    const org = await this.orgs.require(actor.orgId);
    const links = (await this.repo.listForShipment(actor.orgId, shipmentId)).map((r) => this.view(r, org, s.updated_at, s.reference));
    const general = links.find((l) => l.recipient === null && l.state !== 'revoked') ?? null;
    const live = links.filter((l) => l.available);
    return {
      shipment_id: shipmentId,
      public: live.length > 0,
      general,
      recipient_links: links.filter((l) => l.recipient !== null && l.state !== 'revoked'),
      active_count: live.length,
      sharing_enabled: org.sharing_enabled === 1,
      billing_state: org.billing_state,
    };
  }

  /** Creates the general link for every shipment of the org that has none ("recalculate"). */
  async backfill(actor: Actor) {
    requireRole(actor, 'dispatcher', 'create tracking links');
    const ids = await this.repo.shipmentsWithoutGeneralLink(actor.orgId);
    let created = 0;
    for (const id of ids) {
      try {
        await this.insertLink(actor, id, {}, null, null);
        created++;
      } catch (err) {
        // Someone created it meanwhile, or the shipment was deleted: nothing left to do for it.
        if (!(err instanceof AppError && (err.code === 'conflict' || err.code === 'not_found'))) throw err;
      }
    }
    return { created, checked: ids.length };
  }

  /**
   * The active per-recipient link for this email, created with template defaults on first use,
   * with its options (its policy decides what the email may say: see visibility.ts).
   */
  async ensureRecipientLink(orgId: string, shipmentId: string, recipient: { name: string | null; email: string }): Promise<{ id: string; url: string; options: LinkOptions }> {
    const email = recipient.email.toLowerCase();
    const actor = systemActor(orgId);
    const org = await this.orgs.require(orgId);
    const s = await this.shipments.requireOwn(actor, shipmentId);
    const found = (row: TrackingLinkRow) => ({ id: row.id, url: this.url(row.slug), options: parseOptions(row.options) });
    const existing = await this.repo.findActive(orgId, shipmentId, email);
    if (existing && expiresAt(existing, org, s.updated_at) > nowMs()) return found(existing);
    try {
      return found(await this.insertLink(actor, shipmentId, {}, null, { name: recipient.name, email }));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      // Another worker created it between our read and insert: use theirs.
      const theirs = await this.repo.findActive(orgId, shipmentId, email);
      if (!theirs) throw err;
      return found(theirs);
    }
  }

  /** A new shipment of an org that wants it gets its general link (services.ts wires it to shipment_created). */
  async autoCreate(orgId: string, shipmentId: string): Promise<void> {
    const org = await this.orgs.require(orgId);
    if (org.auto_create_links !== 1) return;
    try {
      await this.insertLink(systemActor(orgId), shipmentId, {}, null, null);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
  }

  private async freshViews(): Promise<void> {
    await this.resolver.flushViews().catch((err: unknown) => this.events.errorLog(err));
  }

  // ---- views ----

  url(slug: string): string {
    return `${this.publicBaseUrl}/t/${slug}`;
  }

  private async requireLink(actor: Actor, id: string): Promise<TrackingLinkRow> {
    const link = await this.repo.find(actor.orgId, id);
    if (!link) throw AppError.notFound('Tracking link');
    return link;
  }

  private async viewOne(actor: Actor, link: TrackingLinkRow) {
    const org = await this.orgs.require(actor.orgId);
    const s: ShipmentRow = await this.shipments.requireOwn(actor, link.shipment_id);
    return this.view(link, org, s.updated_at, s.reference);
  }

  view(link: TrackingLinkRow | LinkWithShipment, org: Org, shipmentUpdatedAt: number, shipmentReference: string) {
    return linkView(link, org, shipmentUpdatedAt, shipmentReference, this.url(link.slug));
  }
}

/** What every new link starts with: a new slug, active, created now by the actor, never viewed. */
function freshLink(actor: Actor, now: number) {
  return {
    slug: randomToken(SLUG_BYTES),
    state: 'active' as const,
    created_by: actor.label,
    created_at: now,
    updated_at: now,
    revoked_by: null,
    revoked_at: null,
    replaced_by: null,
    first_viewed_at: null,
    last_viewed_at: null,
    view_count: 0,
    expired_notified_at: null,
  };
}

/** Options may only name segments and photos this shipment has. */
function checkOptions(s: ShipmentView, o: LinkOptions, path: string): void {
  const problems: ErrorDetail[] = [];
  const segs = new Set(s.segments.map((g) => g.index));
  (o.segments ?? []).forEach((i, n) => {
    if (!segs.has(i)) problems.push({ path: `${path}/segments/${n}`, message: `no segment ${i} (the shipment has ${segs.size})` });
  });
  const photos = new Set(s.photos.map((p) => p.id));
  (o.photo_ids ?? []).forEach((id, n) => {
    if (!photos.has(id)) problems.push({ path: `${path}/photo_ids/${n}`, message: 'not a photo of this shipment' });
  });
  if (problems.length) throw AppError.validation('The link options refer to something this shipment does not have', problems);
}
