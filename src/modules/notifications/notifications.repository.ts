// The only code that touches the notification tables (templates, tasks, outbox, webhooks).
// Every query of org data takes orgId; the outbox claim is the one cross-org query (the worker's).
import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { ContactTaskTable, Database, EmailTemplateTable, OutboxRow, OutboxTable, WebhookTable } from '../../db/schema.js';
import type { Dialect } from '../../db/dialect.js';
import { isForeignKeyViolation } from '../../db/index.js';
import { orgCheckAfterSeek } from '../../db/org-filter.js';
import { AppError } from '../../shared/errors.js';
import type { CursorKey } from '../../shared/pagination.js';

export type Db = Kysely<Database> | Transaction<Database>;
export type TemplateRow = Selectable<EmailTemplateTable>;
export type TaskRow = Selectable<ContactTaskTable>;
export type { OutboxRow };
export type WebhookRow = Selectable<WebhookTable>;

export class NotificationsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // ---- templates ----

  async insertTemplate(row: Insertable<EmailTemplateTable>): Promise<void> {
    await this.db.insertInto('email_templates').values(row).execute();
  }
  findTemplate(orgId: string, id: string, trx: Db = this.db) {
    return trx.selectFrom('email_templates').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }
  listTemplates(orgId: string, before: CursorKey | undefined, limit: number): Promise<TemplateRow[]> {
    let q = this.db.selectFrom('email_templates').selectAll().where('org_id', '=', orgId);
    if (before) q = q.where((eb) => eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
  async updateTemplate(orgId: string, id: string, set: Updateable<EmailTemplateTable>): Promise<boolean> {
    const r = await this.db.updateTable('email_templates').set(set).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  /**
   * Deletes the template; 409 when a task still refers to it. The service checks for such tasks
   * first, but a task saved after that check is refused here by the foreign key (PostgreSQL waits
   * for the task's transaction to end), which would otherwise be a 500.
   */
  async deleteTemplate(orgId: string, id: string): Promise<boolean> {
    try {
      const r = await this.db.deleteFrom('email_templates').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    } catch (err) {
      if (isForeignKeyViolation(err)) throw AppError.conflict('Tasks still use this template; change or delete them first');
      throw err;
    }
  }
  async tasksUsingTemplate(orgId: string, templateId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('contact_tasks').select('name').where('org_id', '=', orgId).where('template_id', '=', templateId).execute();
    return rows.map((r) => r.name);
  }

  // ---- tasks ----

  async insertTask(row: Insertable<ContactTaskTable>): Promise<void> {
    await this.db.insertInto('contact_tasks').values(row).execute().catch(templateGone);
  }
  findTask(orgId: string, id: string, trx: Db = this.db) {
    return trx.selectFrom('contact_tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }
  listTasks(orgId: string, before: CursorKey | undefined, limit: number): Promise<TaskRow[]> {
    let q = this.db.selectFrom('contact_tasks').selectAll().where('org_id', '=', orgId);
    if (before) q = q.where((eb) => eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
  /**
   * The task inside a write transaction, held for it: writing its row unchanged first takes
   * PostgreSQL's row lock (SQLite's one write lock), and the read after it sees what the change
   * before left, so a change merged into the task is never merged into fields another replaced.
   */
  async lockTask(trx: Db, orgId: string, id: string) {
    await trx.updateTable('contact_tasks').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('org_id', '=', orgId).where('id', '=', id).execute();
    return this.findTask(orgId, id, trx);
  }
  async updateTask(orgId: string, id: string, set: Updateable<ContactTaskTable>, trx: Db = this.db): Promise<boolean> {
    const r = await trx.updateTable('contact_tasks').set(set).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst().catch(templateGone);
    return Number(r.numUpdatedRows) > 0;
  }
  async deleteTask(orgId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('contact_tasks').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  enabledTasks(orgId: string, trx: Db = this.db, trigger?: ContactTaskTable['trigger']): Promise<TaskRow[]> {
    let q = trx.selectFrom('contact_tasks').selectAll().where('org_id', '=', orgId).where('enabled', '=', 1);
    if (trigger) q = q.where('trigger', '=', trigger);
    return q.orderBy('created_at').execute();
  }

  // ---- outbox ----

  /**
   * Rows whose dedupe_key already exists are skipped: that is the "at most once" rule. With
   * `revive`, an existing row that failed (and so was never delivered) goes back in the queue.
   * Returns how many rows were added or revived.
   */
  async enqueue(trx: Db, rows: Insertable<OutboxTable>[], opts: { revive?: boolean } = {}): Promise<number> {
    let added = 0;
    for (const row of rows) {
      const r = await trx.insertInto('outbox').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
      const inserted = Number(r.numInsertedOrUpdatedRows ?? 0);
      added += inserted;
      if (!inserted && opts.revive) {
        const u = await trx
          .updateTable('outbox')
          .set({ status: 'pending', attempts: 0, next_attempt_at: row.next_attempt_at, locked_until: null })
          .where('dedupe_key', '=', row.dedupe_key)
          .where('org_id', '=', row.org_id)
          .where('status', '=', 'failed')
          .executeTakeFirst();
        added += Number(u.numUpdatedRows);
      }
    }
    return added;
  }

  listOutbox(
    orgId: string,
    q: { status?: OutboxTable['status']; kind?: OutboxTable['kind']; shipmentId?: string; taskId?: string; webhookId?: string; recipient?: string; before?: CursorKey; limit: number },
  ): Promise<OutboxRow[]> {
    // One shipment's, task's or webhook's rows are found by (shipment_id, task_id or webhook_id,
    // created_at, id) and checked for the org; the org's by an index that starts with org_id
    // (with the recipient's).
    let query = this.db.selectFrom('outbox').selectAll();
    query = q.shipmentId || q.taskId || q.webhookId ? query.where(orgCheckAfterSeek(this.dialect, 'org_id', orgId)) : query.where('org_id', '=', orgId);
    if (q.shipmentId) query = query.where('shipment_id', '=', q.shipmentId);
    if (q.webhookId) query = query.where('webhook_id', '=', q.webhookId);
    const before = q.before;
    if (before) query = query.where((eb) => eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]));
    if (q.status) query = query.where('status', '=', q.status);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.taskId) query = query.where('task_id', '=', q.taskId);
    if (q.recipient) query = query.where('recipient', '=', q.recipient);
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit + 1).execute();
  }

  /**
   * Claims up to `limit` due rows for one worker: pending and due, or "sending" whose lease ran out
   * (a worker died mid-send). One UPDATE statement: SQLite runs it under its single write lock;
   * PostgreSQL's SKIP LOCKED lets other instances claim other rows instead of waiting or doubling up.
   * The rows carry the claim's token until settled. Rows of `skipOrgs` are left for a later claim.
   */
  async claim(now: number, leaseUntil: number, limit: number, kinds: OutboxTable['kind'][], token: string, skipOrgs: string[] = []): Promise<OutboxRow[]> {
    if (!kinds.length) return [];
    let due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit);
    if (skipOrgs.length) due = due.where('org_id', 'not in', skipOrgs);
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
    return this.db
      .updateTable('outbox')
      .set({ status: 'sending', locked_until: leaseUntil, claim_token: token, attempts: sql<number>`attempts + 1` })
      .where('id', 'in', due)
      .returningAll()
      .execute();
  }

  /** Extends the lease of the rows this claim is still sending; returns how many it still holds. */
  async renew(token: string, leaseUntil: number): Promise<number> {
    const r = await this.db.updateTable('outbox').set({ locked_until: leaseUntil }).where('claim_token', '=', token).where('status', '=', 'sending').executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Only the worker holding this claim may settle the row (another took it over if its lease ran out). */
  async settle(id: string, token: string, set: Updateable<OutboxTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ ...set, claim_token: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claim_token', '=', token)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async retryFailed(orgId: string, ids: string[] | undefined, now: number): Promise<number> {
    let q = this.db.updateTable('outbox').set({ status: 'pending', next_attempt_at: now, attempts: 0, locked_until: null }).where('org_id', '=', orgId).where('status', '=', 'failed');
    if (ids) q = q.where('id', 'in', ids);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * The org's emails sent since `since` (index outbox_org_kind_sent): how many, and when the
   * `nth` newest of them was sent (the oldest when there are fewer; null when there are none).
   */
  async emailsSentSince(orgId: string, since: number, nth: number): Promise<{ count: number; nthNewestAt: number | null }> {
    const sent = this.db.selectFrom('outbox').where('org_id', '=', orgId).where('kind', '=', 'email').where('sent_at', '>=', since);
    const r = await sent.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const count = Number(r?.n ?? 0);
    if (!count) return { count, nthNewestAt: null };
    const row = await sent.select('sent_at').orderBy('sent_at', 'desc').limit(1).offset(Math.min(count, nth) - 1).executeTakeFirst();
    return { count, nthNewestAt: row?.sent_at == null ? null : Number(row.sent_at) };
  }

  async backlog(): Promise<number> {
    const r = await this.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // ---- webhooks ----

  async insertWebhook(row: Insertable<WebhookTable>): Promise<void> {
    await this.db.insertInto('webhooks').values(row).execute();
  }
  findWebhook(orgId: string, id: string) {
    return this.db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }
  listWebhooks(orgId: string, before: CursorKey | undefined, limit: number): Promise<WebhookRow[]> {
    let q = this.db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId);
    if (before) q = q.where((eb) => eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
  /** The enabled webhooks of each org, in the order asked, in one query; each list holds that org's only. */
  async enabledWebhooksOf(orgIds: readonly string[]): Promise<WebhookRow[][]> {
    if (!orgIds.length) return [];
    const rows = await this.db.selectFrom('webhooks').selectAll().where('org_id', 'in', orgIds).where('enabled', '=', 1).orderBy('created_at').orderBy('id').execute();
    return orgIds.map((orgId) => rows.filter((r) => r.org_id === orgId));
  }
  async updateWebhook(orgId: string, id: string, set: Updateable<WebhookTable>): Promise<boolean> {
    const r = await this.db.updateTable('webhooks').set(set).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  /**
   * Holds one row for the org until the transaction ends, its first webhook (by id, so every caller
   * picks the same and none waits on another in turn), by writing it unchanged: the write takes
   * PostgreSQL's row lock and SQLite's one write lock alike (see shipments' lockForChange), so two
   * instances counting and queuing one org's test deliveries take turns.
   */
  async lockOrgForWebhookTests(trx: Db, orgId: string): Promise<void> {
    await trx
      .updateTable('webhooks')
      .set((eb) => ({ enabled: eb.ref('enabled') }))
      .where('org_id', '=', orgId)
      .where('id', '=', (eb) => eb.selectFrom('webhooks').select('id').where('org_id', '=', orgId).orderBy('id').limit(1))
      .execute();
  }

  /** When the org's test deliveries queued since `since` were queued, newest first, at most `limit` (index outbox_org_created). */
  async testDeliveriesSince(trx: Db, orgId: string, since: number, limit: number): Promise<number[]> {
    const rows = await trx
      .selectFrom('outbox')
      .select('created_at')
      .where('org_id', '=', orgId)
      .where('created_at', '>=', since)
      .where('kind', '=', 'webhook')
      .where('dedupe_key', 'like', 'webhook:%:ping:%')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.created_at));
  }

  async deleteWebhook(orgId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhooks').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/**
 * A task's template deleted after the service found it (PostgreSQL waits for the deletion to end):
 * the foreign key refuses the task, answered as the service's own check answers, not as a 500.
 */
function templateGone(err: unknown): never {
  if (isForeignKeyViolation(err)) throw AppError.validation('The task is not consistent', [{ path: 'body/template_id', message: 'no email template with this id' }]);
  throw err;
}
