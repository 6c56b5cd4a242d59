// Shipments and what is nested in them: the rules for creating, changing and deleting them,
// and the domain events those changes raise. Stops, photos and the timeline have their own services.
import type { DbTransaction, NewShipment, ShipmentRow, ShipmentTable } from '../../db/schema.js';
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import type { FileStore } from '../../shared/files.js';
import { newId } from '../../shared/ids.js';
import { decodeCursor, page, type CursorKey } from '../../shared/pagination.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import { WriteCoalescer } from '../../shared/write-coalescer.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import { ShipmentEventBus, type ShipmentEvent } from './shipments.events.js';
import { emptyChildren, type ShipmentsRepository } from './shipments.repository.js';
import { checkShape, childRows, etaChange, eventRow, newShipmentEvent, normalizeFields } from './shipments.rules.js';
import type { ShipmentCreate, ShipmentListQuery, ShipmentPatch, StopInput } from './shipments.schema.js';
import { PhotosService } from './photos.service.js';
import { StopsService } from './stops.service.js';
import { TimelineService } from './timeline.service.js';
import { recordChanges, tracked, movedTimes } from './change-times.js';
import { changeOf, noteView, shipmentView, type ShipmentChange, type ShipmentView } from './shipments.view.js';
import { partnerShipment, type PartnerShipment, type SharedBy } from '../links/partner-view.js';

type Trx = DbTransaction;
type ComputedEta = { orgId: string; id: string; eta: number | null; calculatedAt: number };

export class ShipmentsService {
  readonly events = new ShipmentEventBus();
  readonly timeline: TimelineService;
  readonly stops: StopsService;
  readonly photos: PhotosService;

  constructor(
    private readonly repo: ShipmentsRepository,
    private readonly audit: AuditService,
    private readonly files: FileStore,
  ) {
    this.timeline = new TimelineService(repo, this, this.events, audit);
    this.stops = new StopsService(repo, this, this.events, audit, this.timeline);
    this.photos = new PhotosService(repo, this, this.events, files);
  }

  /**
   * The caller's own shipment row, for anything only its owner may do (change it, share it, read
   * its links, contacts, events…). A partner the shipment was shared with already knows it exists,
   * so it gets a plain 403 rather than a pretence; any other org gets the 404 of an unknown id.
   * With `lockAt` (inside a write transaction) the row is locked until it ends (lockForChange).
   */
  async requireOwn(actor: Actor, id: string, trx?: Trx, lockAt?: number): Promise<ShipmentRow> {
    const s = trx && lockAt !== undefined ? await this.repo.lockForChange(trx, actor.orgId, id, lockAt) : await this.repo.find(actor.orgId, id, trx);
    if (s) return s;
    const shared = await this.repo.findSharedWith(actor.orgId, id, trx);
    if (shared) {
      const names = await this.repo.orgNames([shared.org_id], trx);
      throw AppError.forbidden(`Shared with you by ${names.get(shared.org_id) ?? 'a partner'}: only its owner can share or change it`);
    }
    throw AppError.notFound('Shipment');
  }

  /** The owner's full view, or what a partner the shipment was shared with may see of it. */
  async get(actor: Actor, id: string): Promise<ShipmentView | PartnerShipment> {
    const access = await this.readAccess(actor, id);
    return access.own ? access.view : partnerShipment(access.view, access.sharedBy);
  }

  /**
   * How the caller may read a shipment: as its owner, or as a partner it was shared with (then
   * with the owner's org, for partner-view.ts to cut the partner's view from). 404 otherwise.
   */
  async readAccess(actor: Actor, id: string): Promise<{ own: true; view: ShipmentView } | { own: false; view: ShipmentView; sharedBy: SharedBy }> {
    const own = await this.repo.find(actor.orgId, id);
    if (own) return { own: true, view: shipmentView(own, await this.repo.children(own.org_id, own.id)) };
    const shared = await this.repo.findSharedWith(actor.orgId, id);
    if (!shared) throw AppError.notFound('Shipment');
    const names = await this.repo.orgNames([shared.org_id]);
    return { own: false, view: shipmentView(shared, await this.repo.children(shared.org_id, shared.id)), sharedBy: { id: shared.org_id, name: names.get(shared.org_id) ?? '' } };
  }

  /** The owner's full view, for a change or the share action (403 to a partner, 404 to anyone else). */
  async ownView(actor: Actor, id: string): Promise<ShipmentView> {
    const s = await this.requireOwn(actor, id);
    return shipmentView(s, await this.repo.children(actor.orgId, id));
  }

  /** Org-scoped full view for other modules (links, notifications). */
  async viewFor(orgId: string, id: string): Promise<ShipmentView | null> {
    const s = await this.repo.find(orgId, id);
    return s ? shipmentView(s, await this.repo.children(orgId, id)) : null;
  }

  /** The stops and contacts of a shipment (notifications find recipients in them), read in `trx` when given. */
  async stopsAndContacts(orgId: string, id: string, trx?: Trx) {
    const kids = await this.repo.children(orgId, id, trx);
    return { stops: kids.stops, contacts: kids.contacts };
  }

  /**
   * A page of the shipments the org owns, newest first, after `before` (a recalculation walks them a
   * page per request); `more` says whether any follow the page.
   */
  async ownShipmentsPage(orgId: string, before: CursorKey | undefined, limit: number): Promise<{ items: { id: string; status: string; created_at: number }[]; more: boolean }> {
    const rows = await this.repo.list(orgId, { before, limit });
    return { items: rows.slice(0, limit).map((r) => ({ id: r.id, status: r.status, created_at: r.created_at })), more: rows.length > limit };
  }

  /** How many of the org's own shipments come after `before` in ownShipmentsPage's order. */
  countOwnShipmentsAfter(orgId: string, before: CursorKey): Promise<number> {
    return this.repo.countOwnAfter(orgId, before);
  }

  /** Every event of one of the org's shipments, oldest first. */
  eventsOf(orgId: string, id: string) {
    return this.repo.listEvents(orgId, id);
  }

  /**
   * Stage and status changes, newest first (at most 200): what a timeline needs beyond the
   * shipment's view, which only holds the current stage and status.
   */
  async changesFor(orgId: string, id: string): Promise<ShipmentChange[]> {
    return (await this.repo.listChanges(orgId, id, 200)).map(changeOf);
  }

  /** Whether a partner org may push positions to this shipment (it was shared with them). */
  async isSharedWith(partnerOrgId: string, id: string): Promise<ShipmentRow | null> {
    return (await this.repo.findSharedWith(partnerOrgId, id)) ?? null;
  }
  /** Inside the transaction that stores a partner's positions: the share is still there, and stays until it commits. */
  holdShare(trx: Trx, partnerOrgId: string, id: string): Promise<boolean> {
    return this.repo.holdShare(trx, partnerOrgId, id);
  }

  async list(actor: Actor, q: ShipmentListQuery) {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(actor.orgId, { ...q, includeShared: q.include_shared, before: decodeCursor(q.cursor), limit });
    const p = page(rows, limit, (r) => ({ at: r.created_at, id: r.id }));
    const kids = await this.repo.childrenOf(p.items.map((r) => ({ orgId: r.org_id, shipmentId: r.id })));
    const names = await this.repo.orgNames(p.items.filter((r) => r.org_id !== actor.orgId).map((r) => r.org_id));
    const items = p.items.map((r) => {
      const view = shipmentView(r, kids.get(r.id) ?? emptyChildren());
      return r.org_id === actor.orgId ? view : partnerShipment(view, { id: r.org_id, name: names.get(r.org_id) ?? '' });
    });
    return { items, next_cursor: p.next_cursor };
  }

  async create(actor: Actor, input: ShipmentCreate): Promise<ShipmentView> {
    requireRole(actor, 'dispatcher', 'create shipments');
    checkShape(input, input.stops ?? [], input.stages ?? [], input.segments);
    const now = nowMs();
    const id = newId();
    const row: NewShipment = {
      id,
      org_id: actor.orgId,
      kind: input.kind,
      reference: input.reference,
      title: input.title ?? null,
      status: input.status ?? 'planned',
      stages: JSON.stringify(input.stages ?? []),
      current_stage: input.current_stage ?? null,
      eta: fromIso(input.eta),
      eta_source: input.eta ? 'manual' : null,
      eta_calculated_at: input.eta ? now : null,
      customer_reference: input.customer_reference ?? null,
      container_number: input.container_number ?? null,
      transport_service: input.transport_service ?? null,
      custom_fields: JSON.stringify(normalizeFields(input.custom_fields)),
      extra_fields: JSON.stringify(normalizeFields(input.extra_fields)),
      internal: JSON.stringify(input.internal ?? {}),
      hero_photo_id: null,
      pod_file: null,
      pod_content_type: null,
      pod_signed_by: null,
      pod_captured_at: null,
      delivered_at: input.status === 'delivered' ? now : null,
      created_at: now,
      updated_at: now,
    };
    const event = newShipmentEvent(actor.orgId, id, 'shipment_created', { reference: input.reference, status: row.status }, now);
    await this.repo.transaction(async (trx) => {
      await this.repo.insert(trx, row, childRows(actor.orgId, id, input));
      await this.repo.insertEvent(trx, eventRow(event, now));
      await this.events.runInTransaction(trx, [event]);
    });
    await this.audit.record(actor, 'shipment.created', { type: 'shipment', id }, { reference: input.reference });
    await this.events.runAfterCommit([event]);
    return this.ownView(actor, id);
  }

  async update(actor: Actor, id: string, patch: ShipmentPatch): Promise<ShipmentView> {
    requireRole(actor, 'dispatcher', 'change shipments');
    const now = nowMs();
    const raised: ShipmentEvent[] = [];
    await this.repo.transaction(async (trx) => {
      const before = await this.requireOwn(actor, id, trx, now);
      const kids = await this.repo.children(actor.orgId, id, trx);
      const stages = patch.stages ?? (JSON.parse(before.stages) as string[]);
      const stops = patch.stops ?? (kids.stops as unknown as StopInput[]);
      checkShape({ ...patch, current_stage: patch.current_stage === undefined ? before.current_stage : patch.current_stage }, stops, stages, patch.segments);

      const set: Partial<ShipmentTable> = { updated_at: now };
      const copy = ['kind', 'reference', 'title', 'customer_reference', 'container_number', 'transport_service', 'current_stage'] as const;
      for (const k of copy) if (patch[k] !== undefined) (set as Record<string, unknown>)[k] = patch[k];
      if (patch.stages !== undefined) set.stages = JSON.stringify(patch.stages);
      if (patch.custom_fields !== undefined) set.custom_fields = JSON.stringify(normalizeFields(patch.custom_fields));
      if (patch.extra_fields !== undefined) set.extra_fields = JSON.stringify(normalizeFields(patch.extra_fields));
      if (patch.internal !== undefined) set.internal = JSON.stringify(patch.internal);
      if (patch.status !== undefined && patch.status !== before.status) {
        set.status = patch.status;
        if (patch.status === 'delivered') set.delivered_at = now;
        raised.push(newShipmentEvent(actor.orgId, id, 'status_changed', { from: before.status, to: patch.status }, now));
      }
      if (patch.eta !== undefined) {
        const eta = fromIso(patch.eta);
        if (eta !== before.eta) {
          set.eta = eta;
          set.eta_source = eta === null ? null : 'manual';
          set.eta_calculated_at = eta === null ? null : now;
          raised.push(newShipmentEvent(actor.orgId, id, 'eta_changed', etaChange(before.eta, eta), now));
        }
      }
      if (patch.current_stage !== undefined && patch.current_stage !== before.current_stage) {
        raised.push(newShipmentEvent(actor.orgId, id, 'stage_changed', { from: before.current_stage, to: patch.current_stage }, now));
      }
      await this.repo.update(trx, actor.orgId, id, set);
      const replace = childRows(actor.orgId, id, patch);
      await this.repo.replaceChildren(trx, actor.orgId, id, {
        stops: patch.stops ? replace.stops : undefined,
        cargo: patch.cargo ? replace.cargo : undefined,
        segments: patch.segments ? replace.segments : undefined,
        contacts: patch.contacts ? replace.contacts : undefined,
      });
      await recordChanges(this.repo, trx, actor.orgId, id, tracked(before, kids), now);
      for (const e of raised) await this.repo.insertEvent(trx, eventRow(e, now));
      await this.events.runInTransaction(trx, raised);
    });
    await this.audit.record(actor, 'shipment.updated', { type: 'shipment', id }, { fields: Object.keys(patch) });
    await this.events.runAfterCommit([...raised, newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    return this.ownView(actor, id);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'delete shipments');
    const s = await this.requireOwn(actor, id);
    const files = (await this.repo.listFiles(actor.orgId, id)).map((f) => f.file);
    if (s.pod_file) files.push(s.pod_file);
    const event = newShipmentEvent(actor.orgId, id, 'shipment_deleted', { reference: s.reference }, nowMs());
    // Children and tracking links go with it (ON DELETE CASCADE): its links are dead for ever.
    await this.repo.transaction(async (trx) => {
      await this.repo.delete(trx, actor.orgId, id);
      await this.events.runInTransaction(trx, [event]);
    });
    await this.audit.record(actor, 'shipment.deleted', { type: 'shipment', id }, { reference: s.reference });
    await Promise.all(files.map((f) => this.files.remove(f)));
    await this.events.runAfterCommit([event]);
  }

  /** Computed ETA from positions (issue: positions/eta); never overrides a manual ETA. */
  setComputedEta(orgId: string, id: string, eta: number | null, calculatedAt: number): Promise<void> {
    return this.computedEtas.run({ orgId, id, eta, calculatedAt });
  }

  /**
   * The computed ETAs of one event-loop turn are written in one transaction: on SQLite each commit
   * is an fsync that holds the event loop, and after a start every shipment's first ETA (as its
   * phones report again) was a commit of its own, a thousand of them queued among the phones'.
   */
  private readonly computedEtas = new WriteCoalescer<ComputedEta, void>((etas) =>
    this.repo.transaction(async (trx) => {
      for (const { orgId, id, eta, calculatedAt } of etas) await this.repo.setEtaUnlessManual(trx, orgId, id, eta, calculatedAt);
      return etas.map(() => undefined);
    }),
  );

  async addNote(actor: Actor, id: string, input: { scope: 'internal' | 'customer'; body: string }) {
    requireRole(actor, 'dispatcher', 'write notes');
    await this.requireOwn(actor, id);
    const now = nowMs();
    const row = { id: newId(), org_id: actor.orgId, shipment_id: id, scope: input.scope, body: input.body, author: actor.label, created_at: now };
    await this.repo.transaction(async (trx) => {
      // Held first: deleted since requireOwn, it is the 404, not the note's foreign key (a 500).
      if (!(await this.repo.lockForChange(trx, actor.orgId, id, now))) throw AppError.notFound('Shipment');
      await this.repo.insertNote(trx, row);
    });
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    return noteView(row);
  }

  async deleteNote(actor: Actor, id: string, noteId: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'delete notes');
    await this.requireOwn(actor, id);
    const now = nowMs();
    await this.repo.transaction(async (trx) => {
      const s = await this.repo.lockForChange(trx, actor.orgId, id, now);
      const scope = await this.repo.deleteNote(trx, actor.orgId, id, noteId);
      if (!s || !scope) throw AppError.notFound('Note');
      await this.repo.update(trx, actor.orgId, id, movedTimes(s, [`notes.${scope}`], now));
    });
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
  }

  async addPalletScan(
    actor: Actor,
    id: string,
    input: { cargo_index?: number | null; stop_index?: number | null; event: string; scanned_at?: string; code?: string | null; place?: string | null },
  ) {
    requireRole(actor, 'dispatcher', 'record pallet scans');
    await this.requireOwn(actor, id);
    const kids = await this.repo.children(actor.orgId, id);
    const problems: ErrorDetail[] = [];
    if (input.cargo_index != null && input.cargo_index >= kids.cargo.length) problems.push({ path: 'body/cargo_index', message: `the shipment has ${kids.cargo.length} cargo lines` });
    if (input.stop_index != null && input.stop_index >= kids.stops.length) problems.push({ path: 'body/stop_index', message: `the shipment has ${kids.stops.length} stops` });
    if (problems.length) throw AppError.validation('The scan refers to something this shipment does not have', problems);
    const now = nowMs();
    const row = {
      id: newId(),
      org_id: actor.orgId,
      shipment_id: id,
      cargo_index: input.cargo_index ?? null,
      stop_index: input.stop_index ?? null,
      event: input.event,
      code: input.code ?? null,
      place: input.place ?? null,
      scanned_at: fromIso(input.scanned_at) ?? now,
      created_at: now,
    };
    await this.repo.transaction(async (trx) => {
      const s = await this.repo.lockForChange(trx, actor.orgId, id, now);
      if (!s) throw AppError.notFound('Shipment'); // deleted since requireOwn: not the scan's foreign key (a 500)
      await this.repo.insertPalletScan(trx, row);
      await this.repo.update(trx, actor.orgId, id, movedTimes(s, ['pallet_scans'], now));
    });
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    return { id: row.id, cargo_index: row.cargo_index, stop_index: row.stop_index, event: row.event, code: row.code, place: row.place, scanned_at: toIso(row.scanned_at) };
  }

  async setProofOfDelivery(actor: Actor, id: string, bytes: Buffer, signedBy?: string) {
    requireRole(actor, 'dispatcher', 'upload proof of delivery');
    await this.requireOwn(actor, id);
    const saved = await this.files.save(actor.orgId, bytes, ['pdf', 'image']);
    const now = nowMs();
    let replaced: string | null;
    try {
      replaced = await this.repo.transaction(async (trx) => {
        // Held first: deleted since requireOwn, it is a 404 before any audit, and the upload goes.
        const held = await this.repo.lockForChange(trx, actor.orgId, id, now);
        if (!held) throw AppError.notFound('Shipment');
        await this.repo.update(trx, actor.orgId, id, { pod_file: saved.file, pod_content_type: saved.contentType, pod_signed_by: signedBy?.slice(0, 200) ?? null, pod_captured_at: now, updated_at: now });
        return held.pod_file; // the file it replaces, as the held row names it
      });
    } catch (err) {
      await this.files.remove(saved.file);
      throw err;
    }
    if (replaced) await this.files.remove(replaced);
    await this.audit.record(actor, 'shipment.proof_of_delivery', { type: 'shipment', id });
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    return this.ownView(actor, id);
  }

  /** The proof-of-delivery file, for the owner only (a partner sees only that it was captured). */
  async ownProofOfDeliveryFile(actor: Actor, id: string) {
    await this.requireOwn(actor, id);
    return this.proofOfDeliveryFile(actor.orgId, id);
  }

  /** Org-scoped lookup for callers that already proved access (the owner). */
  async proofOfDeliveryFile(orgId: string, id: string) {
    const s = await this.repo.find(orgId, id);
    if (!s) throw AppError.notFound('Shipment');
    const stream = s.pod_file ? await this.files.open(s.pod_file) : null;
    if (!stream) throw AppError.notFound('Proof of delivery');
    return { stream, contentType: s.pod_content_type ?? 'application/octet-stream', reference: s.reference };
  }

  /** proofOfDeliveryFile, or null when there is none (or its file is gone): the public page answers the link's one 404 then. */
  async findProofOfDeliveryFile(orgId: string, id: string) {
    const s = await this.repo.find(orgId, id);
    const stream = s?.pod_file ? await this.files.open(s.pod_file) : null;
    return s && stream ? { stream, contentType: s.pod_content_type ?? 'application/octet-stream' } : null;
  }

  async addContact(actor: Actor, id: string, input: { name?: string | null; email: string }) {
    requireRole(actor, 'dispatcher', 'add contacts');
    await this.requireOwn(actor, id);
    const now = nowMs();
    const row = { id: newId(), org_id: actor.orgId, shipment_id: id, name: input.name ?? null, email: input.email.toLowerCase(), created_at: now };
    await this.repo.transaction(async (trx) => {
      if (!(await this.repo.lockForChange(trx, actor.orgId, id, now))) throw AppError.notFound('Shipment');
      await this.repo.insertContact(trx, row);
    });
    return { id: row.id, name: row.name, email: row.email };
  }

  async deleteContact(actor: Actor, id: string, contactId: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'remove contacts');
    await this.requireOwn(actor, id);
    const ok = await this.repo.transaction((trx) => this.repo.deleteContact(trx, actor.orgId, id, contactId));
    if (!ok) throw AppError.notFound('Contact');
  }
}
