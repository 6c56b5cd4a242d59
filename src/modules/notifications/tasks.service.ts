// Contact tasks: their configuration, turning shipment events into outbox emails inside the
// event's own transaction, and the recalculation for shipments that predate the tasks.
import type { DbTransaction, NewOutboxRow } from '../../db/schema.js';
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { decodeCursor, encodeCursor, newestFirstPage } from '../../shared/pagination.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { LinkOptions } from '../links/links.schema.js';
import type { ShipmentEvent } from '../shipments/shipments.events.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { NotificationsRepository, TaskRow } from './notifications.repository.js';
import type { ListOnly, RecalculateInput, TaskInput, TaskPatch } from './notifications.schema.js';
import { deliveriesFor, eventStopIndex, isTrigger, taskFires, type Delivery } from './recipients.js';
import { queuedRow, type OutboxEntry } from './outbox.worker.js';

/**
 * Emails one shipment event may record. Tasks, their recipients and a stop-level task's stops
 * multiply (a few hundred tasks of 50 addresses made one POST /shipments insert 10,000 outbox rows
 * in its transaction: 7 s in which a SQLite server answered nothing); no notification needs more.
 */
export const MAX_EMAILS_PER_EVENT = 500;

/**
 * What one POST /tasks/recalculate does at most: this many shipments, and it starts no further
 * shipment once this many links ensured plus emails recorded are done (an org's every shipment in
 * one request made thousands of links and rows while the request held a connection and the caller
 * waited). The reply's next_cursor goes on from there.
 */
export const RECALCULATE_SHIPMENTS = 100;
export const RECALCULATE_WORK = 500;

export interface EmailPayload {
  template_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  stop_index: number | null;
  recipient_name: string | null;
}

/** What the tasks need from the links module: each recipient's own link, made on first use. */
export interface RecipientLinks {
  ensureRecipientLink(orgId: string, shipmentId: string, recipient: { name: string | null; email: string }): Promise<{ id: string; url: string; options: LinkOptions }>;
}

export function taskView(t: TaskRow) {
  return {
    id: t.id,
    name: t.name,
    trigger: t.trigger,
    status: t.status,
    eta_change_minutes: t.eta_change_minutes,
    level: t.level,
    recipients: JSON.parse(t.recipients) as string[],
    template_id: t.template_id,
    enabled: t.enabled === 1,
    created_at: toIso(t.created_at),
    updated_at: toIso(t.updated_at),
  };
}

type Trx = DbTransaction;

export class TasksService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly shipments: ShipmentsService,
    private readonly links: RecipientLinks,
    private readonly audit: AuditService,
  ) {}

  // ---- configuration ----

  async list(actor: Actor, q: ListOnly) {
    requireRole(actor, 'viewer');
    return newestFirstPage(q, (before, limit) => this.repo.listTasks(actor.orgId, before, limit), taskView);
  }

  private async require(actor: Actor, id: string): Promise<TaskRow> {
    return AppError.orNotFound(await this.repo.findTask(actor.orgId, id), 'Task');
  }

  async get(actor: Actor, id: string) {
    return taskView(await this.require(actor, id));
  }

  async create(actor: Actor, input: TaskInput) {
    requireRole(actor, 'admin', 'configure contact tasks');
    const now = nowMs();
    const row: TaskRow = {
      id: newId(),
      org_id: actor.orgId,
      name: input.name,
      trigger: input.trigger,
      status: input.status ?? null,
      eta_change_minutes: input.eta_change_minutes ?? null,
      level: input.level,
      recipients: JSON.stringify(normalizeRecipients(input.recipients)),
      template_id: input.template_id,
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    await this.check(actor, row);
    await this.repo.insertTask(row);
    await this.audit.record(actor, 'contact_task.created', { type: 'contact_task', id: row.id }, { name: row.name, trigger: row.trigger });
    return taskView(row);
  }

  /**
   * PATCH merges; PUT sends every field, so the same merge serves both. Merged into the task as it
   * is once held (lockTask): every field is written back, and merged into the task read before a
   * concurrent change committed (the task disabled), it wrote the old value back (enabled again).
   */
  async update(actor: Actor, id: string, patch: TaskPatch) {
    requireRole(actor, 'admin', 'configure contact tasks');
    const next = await this.repo.transaction(async (trx) => {
      const merged = mergeTask(AppError.orNotFound(await this.repo.lockTask(trx, actor.orgId, id), 'Task'), patch);
      await this.check(actor, merged, trx);
      const { id: _id, org_id: _org, created_at: _c, ...set } = merged;
      await this.repo.updateTask(actor.orgId, id, set, trx);
      return merged;
    });
    await this.audit.record(actor, 'contact_task.updated', { type: 'contact_task', id }, { fields: Object.keys(patch) });
    return taskView(next);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'admin', 'delete contact tasks');
    await this.require(actor, id);
    await this.repo.deleteTask(actor.orgId, id);
    await this.audit.record(actor, 'contact_task.deleted', { type: 'contact_task', id });
  }

  private async check(actor: Actor, t: TaskRow, trx?: Trx): Promise<void> {
    const problems: ErrorDetail[] = [];
    if (t.status !== null && t.trigger !== 'status_changed') problems.push({ path: 'body/status', message: 'only for the status_changed trigger' });
    if (t.eta_change_minutes !== null && t.trigger !== 'eta_changed') problems.push({ path: 'body/eta_change_minutes', message: 'only for the eta_changed trigger' });
    if (!(await this.repo.findTemplate(actor.orgId, t.template_id, trx))) problems.push({ path: 'body/template_id', message: 'no email template with this id' });
    if (problems.length) throw AppError.validation('The task is not consistent', problems);
  }

  // ---- events → outbox ----

  /** Runs inside the transaction that records the event: the emails exist if and only if the event does. */
  async onShipmentEvent(trx: Trx, e: ShipmentEvent): Promise<number> {
    if (!isTrigger(e.type)) return 0;
    const tasks = (await this.repo.enabledTasks(e.orgId, trx, e.type)).filter((t) => taskFires(t, e.type, e.data));
    if (!tasks.length) return 0;
    const kids = await this.shipments.stopsAndContacts(e.orgId, e.shipmentId, trx);
    const rows = tasks
      .flatMap((t) => deliveriesFor(t, e.id, eventStopIndex(e.data), kids.stops, kids.contacts).map((d) => outboxRow(e.orgId, e.shipmentId, t, e.id, e.type, e.data, d)))
      .slice(0, MAX_EMAILS_PER_EVENT);
    return this.repo.enqueue(trx, rows);
  }

  /**
   * For shipments that existed before their tasks (or before sharing was on): makes every
   * recipient's link and records the latest already-fired event of each task. Dedupe keys are the
   * ones the live path uses, so nothing already sent is sent again; an email that failed (e.g.
   * while sharing was off) is queued once more. One request does a bounded part of an org's
   * shipments, newest first (RECALCULATE_SHIPMENTS, RECALCULATE_WORK); its reply says how many
   * remain and the cursor to go on from.
   */
  async recalculate(actor: Actor, input: RecalculateInput) {
    requireRole(actor, 'admin', 'recalculate contact tasks');
    if (input.shipment_id && input.cursor) throw AppError.validation('Send shipment_id or cursor, not both', [{ path: 'body/cursor', message: 'not with shipment_id' }]);
    const after = input.cursor ? bodyCursor(input.cursor) : undefined;
    const tasks = await this.repo.enabledTasks(actor.orgId);
    const page = !tasks.length
      ? { items: [], more: false }
      : input.shipment_id
        ? { items: [await this.shipments.requireOwn(actor, input.shipment_id)], more: false }
        : await this.shipments.ownShipmentsPage(actor.orgId, after, RECALCULATE_SHIPMENTS);
    let queued = 0;
    let done = 0;
    const links = new Set<string>();
    for (const shipment of page.items) {
      // The shipment that reaches the budget is finished; the next one waits for the next request.
      if (links.size + queued >= RECALCULATE_WORK) break;
      try {
        queued += await this.recalculateShipment(actor, tasks, shipment, links);
      } catch (err) {
        // Deleted since the page was read: nothing left to do for it (as the link backfill skips
        // it), and the others of the page still are done. The one asked for by id is a 404.
        if (input.shipment_id || !(err instanceof AppError && err.code === 'not_found')) throw err;
      }
      done++;
    }
    const last = page.items[done - 1];
    const more = done < page.items.length || page.more;
    const key = last && !input.shipment_id ? { at: last.created_at, id: last.id } : undefined;
    const remaining = more && key ? await this.shipments.countOwnShipmentsAfter(actor.orgId, key) : 0;
    await this.audit.record(actor, 'contact_task.recalculated', { type: 'org', id: actor.orgId }, { shipments: done, emails_queued: queued, remaining });
    return { shipments: done, links_ensured: links.size, emails_queued: queued, remaining, next_cursor: remaining && key ? encodeCursor(key) : null };
  }

  /** One shipment of a recalculation: its recipients' links (noted in `links`), then its fired tasks' emails; returns how many were recorded. */
  private async recalculateShipment(actor: Actor, tasks: TaskRow[], shipment: { id: string; status: string }, links: Set<string>): Promise<number> {
    const { id: shipmentId, status } = shipment;
    const events = await this.shipments.eventsOf(actor.orgId, shipmentId);
    const latest = new Map<string, { task: TaskRow; id: string; type: string; data: Record<string, unknown> }>();
    for (const ev of events) {
      const data = JSON.parse(ev.data) as Record<string, unknown>;
      // A status task whose status has since been left would announce something no longer true,
      // and a cancelled shipment only still warrants the news that it was cancelled.
      const stale = ev.type === 'status_changed' ? data.to !== status : status === 'cancelled';
      for (const t of tasks) if (!stale && taskFires(t, ev.type, data)) latest.set(`${t.id}:${eventStopIndex(data)}`, { task: t, id: ev.id, type: ev.type, data });
    }
    const kids = await this.shipments.stopsAndContacts(actor.orgId, shipmentId);
    // A cancelled shipment has nothing left to track: its recipients get no new links.
    for (const t of status === 'cancelled' ? [] : tasks) {
      for (const d of deliveriesFor(t, 'links', null, kids.stops, kids.contacts)) {
        const key = `${shipmentId}:${d.email}`;
        if (links.has(key)) continue;
        await this.links.ensureRecipientLink(actor.orgId, shipmentId, { name: d.name, email: d.email });
        links.add(key);
      }
    }
    if (!latest.size) return 0;
    return this.repo.transaction(async (trx) => {
      const now = await this.shipments.stopsAndContacts(actor.orgId, shipmentId, trx);
      // At most what the events themselves could have recorded: the cap per event, for each event.
      const perEvent = new Map<string, number>();
      const rows = [...latest.values()].flatMap((f) =>
        deliveriesFor(f.task, f.id, eventStopIndex(f.data), now.stops, now.contacts).map((d) => outboxRow(actor.orgId, shipmentId, f.task, f.id, f.type, f.data, d)),
      ).filter((row) => {
        const n = (perEvent.get(row.event_id ?? '') ?? 0) + 1;
        perEvent.set(row.event_id ?? '', n);
        return n <= MAX_EMAILS_PER_EVENT;
      });
      return this.repo.enqueue(trx, rows, { revive: true });
    });
  }
}

/** A recalculation cursor from the request body (decodeCursor names the query string). */
function bodyCursor(cursor: string) {
  try {
    return decodeCursor(cursor);
  } catch {
    throw AppError.validation('The cursor is not valid', [{ path: 'body/cursor', message: 'unknown cursor' }]);
  }
}

function normalizeRecipients(list: string[]): string[] {
  return [...new Set(list.map((r) => (r.includes('@') ? r.toLowerCase() : r)))];
}

function outboxRow(orgId: string, shipmentId: string, task: TaskRow, eventId: string, type: string, data: Record<string, unknown>, d: Delivery): NewOutboxRow {
  const payload: EmailPayload = { template_id: task.template_id, event_type: type, event_data: data, stop_index: d.stopIndex, recipient_name: d.name };
  const entry: OutboxEntry = {
    id: newId(),
    org_id: orgId,
    dedupe_key: d.dedupeKey,
    kind: 'email',
    task_id: task.id,
    shipment_id: shipmentId,
    event_id: eventId,
    recipient: d.email,
    payload: JSON.stringify(payload),
  };
  return queuedRow(entry, nowMs());
}

/** The task with the fields the patch sends; a trigger change drops the other trigger's parameter instead of rejecting the patch. */
function mergeTask(before: TaskRow, patch: TaskPatch): TaskRow {
  const next: TaskRow = {
    ...before,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.trigger !== undefined ? { trigger: patch.trigger } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.eta_change_minutes !== undefined ? { eta_change_minutes: patch.eta_change_minutes } : {}),
    ...(patch.level !== undefined ? { level: patch.level } : {}),
    ...(patch.recipients !== undefined ? { recipients: JSON.stringify(normalizeRecipients(patch.recipients)) } : {}),
    ...(patch.template_id !== undefined ? { template_id: patch.template_id } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
    updated_at: nowMs(),
  };
  if (next.trigger !== 'status_changed' && patch.status === undefined) next.status = null;
  if (next.trigger !== 'eta_changed' && patch.eta_change_minutes === undefined) next.eta_change_minutes = null;
  return next;
}
