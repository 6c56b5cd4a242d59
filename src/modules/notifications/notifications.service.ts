// Notifications: contact tasks that email each recipient their own tracking link, templates,
// the durable outbox and its worker (SMTP and signed webhooks). Composes the parts below.
import type { Config } from '../../config.js';
import type { DbTransaction } from '../../db/schema.js';
import type { Logger } from '../../background.js';
import { newestFirstPage } from '../../shared/pagination.js';
import { DAY_MS, nowMs } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { hasRole, requireRole, type Actor } from '../auth/roles.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { ShipmentEvent } from '../shipments/shipments.events.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import { Mailer } from './mailer.js';
import type { NotificationsRepository, OutboxRow } from './notifications.repository.js';
import type { OutboxQuery, OutboxRetryInput } from './notifications.schema.js';
import { OutboxLanes, OutboxWorker, PermanentFailure, type Deliver, type Held, type WorkerOptions } from './outbox.worker.js';
import { outboxView } from './outbox.view.js';
import { TasksService, type EmailPayload, type RecipientLinks } from './tasks.service.js';
import { TemplatesService } from './templates.service.js';
import { templateValues } from './email-values.js';
import { linkPolicy, unavailableReason, type UnavailableReason } from '../links/visibility.js';
import { isTrigger } from './recipients.js';
import { renderTemplate } from './render.js';
import { WebhooksService, type LinkChangeNotice } from './webhooks.service.js';

export interface NotificationDeps {
  repo: NotificationsRepository;
  config: Config;
  shipments: ShipmentsService;
  orgs: OrgsService;
  audit: AuditService;
  links: RecipientLinks;
  log?: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;
}

/** Webhook deliveries of one org under way at once in one worker (of its 20). */
const WEBHOOKS_PER_ORG = 5;

const UNAVAILABLE: Record<UnavailableReason, string> = {
  billing_locked: 'The organization is locked for billing, so its links do not open',
  sharing_disabled: 'Sharing is turned off for the organization, so its links do not open',
  unshared: "The recipient's link shares nothing (every segment or layer turned off), so it does not open",
};

export class NotificationsService {
  private readonly repo: NotificationsRepository;
  readonly templates: TemplatesService;
  readonly tasks: TasksService;
  readonly webhooks: WebhooksService;
  readonly worker: OutboxLanes;
  private readonly mailer: Mailer | null;
  private log: NonNullable<NotificationDeps['log']>;

  constructor(private readonly deps: NotificationDeps) {
    const { config } = deps;
    this.log = deps.log ?? (() => {});
    this.repo = deps.repo;
    this.templates = new TemplatesService(this.repo, deps.shipments, deps.orgs, deps.audit, config.publicBaseUrl);
    this.tasks = new TasksService(this.repo, deps.shipments, deps.links, deps.audit);
    this.webhooks = new WebhooksService(this.repo, deps.audit, () => this.worker.wake(), config.webhookAllowPrivate);
    this.mailer = config.smtpUrl ? new Mailer(config.smtpUrl, config.mailFrom) : null;
    const lane = (handlers: Partial<Record<OutboxRow['kind'], Deliver>>, limits: Pick<WorkerOptions, 'perOrg' | 'hold'>) =>
      new OutboxWorker(this.repo, handlers, {
        pollMs: config.outboxPollMs,
        retryBaseMs: config.outboxRetryBaseMs,
        maxAttempts: config.outboxMaxAttempts,
        leaseMs: config.outboxLeaseMs,
        batch: 20,
        ...limits,
        log: (level, msg, data) => this.log(level, msg, data),
      });
    // Emails and webhooks drain apart (OutboxLanes); an org's webhooks take at most 5 of the 20
    // places, as its receivers may hang for the whole timeout, and its emails stay within
    // EMAIL_DAILY_LIMIT. Without SMTP, emails stay pending (visible in the API) until SMTP_URL is
    // set, instead of burning their retries.
    const lanes = [lane({ webhook: (row) => this.webhooks.deliver(row) }, { perOrg: WEBHOOKS_PER_ORG })];
    if (this.mailer) lanes.push(lane({ email: (row) => this.deliverEmail(row) }, { hold: (rows, now) => this.overDailyLimit(rows, now) }));
    this.worker = new OutboxLanes(lanes);
  }

  /** A shipment event, inside its transaction: the emails it triggers are recorded with it or not at all. */
  async recordShipmentEmails(trx: DbTransaction, e: ShipmentEvent): Promise<void> {
    await this.tasks.onShipmentEvent(trx, e);
  }

  /** A shipment event was committed: wake the worker if it queued emails. */
  shipmentEventCommitted(e: ShipmentEvent): void {
    if (isTrigger(e.type)) this.worker.wake();
  }

  /** A link changed: record the org's webhook deliveries for it. */
  linkChanged(e: LinkChangeNotice): void {
    this.webhooks.onLinkChange(e).catch((err: unknown) => this.log('error', 'could not record webhook deliveries', { err: (err as Error).message, link_id: e.linkId }));
  }

  /** Starts the worker (the server's start path; tests start it when they want sending), logging to `logger` when given. */
  start(logger?: Logger): void {
    if (logger) this.log = (level, msg, data) => logger[level](data ?? {}, msg);
    if (!this.mailer) this.log('warn', 'SMTP_URL is not set: notification emails are recorded but not sent');
    this.worker.start();
  }

  /** Stops the worker and waits for deliveries under way. */
  stopWorker(): Promise<void> {
    return this.worker.stop();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    this.mailer?.close();
  }

  /** Number of rows waiting to be sent, for /metrics. */
  backlog(): Promise<number> {
    return this.repo.backlog();
  }

  async listOutbox(actor: Actor, q: OutboxQuery) {
    requireRole(actor, 'dispatcher', 'see the outbox');
    // Webhooks are the admin's: below that, URLs are masked, and a recipient filter matches emails
    // only, or it would confirm a guessed webhook URL.
    const fullWebhookUrls = hasRole(actor, 'admin');
    let kind = q.kind;
    if (q.recipient && !fullWebhookUrls) {
      if (kind === 'webhook') return { items: [], next_cursor: null };
      kind = 'email';
    }
    const filter = { status: q.status, kind, shipmentId: q.shipment_id, taskId: q.task_id, recipient: q.recipient?.toLowerCase() };
    return newestFirstPage(q, (before, limit) => this.repo.listOutbox(actor.orgId, { ...filter, before, limit }), (o) => outboxView(o, fullWebhookUrls));
  }

  /** Puts failed rows back in the queue (all of the org's, or the given ones). */
  async retryOutbox(actor: Actor, input: OutboxRetryInput) {
    requireRole(actor, 'admin', 'retry failed notifications');
    const retried = await this.repo.retryFailed(actor.orgId, input.ids, nowMs());
    await this.deps.audit.record(actor, 'outbox.retried', { type: 'org', id: actor.orgId }, { count: retried });
    this.worker.wake();
    return { retried };
  }

  /**
   * EMAIL_DAILY_LIMIT: of the emails just claimed, each org's go only as far as its sends of the
   * last 24 hours leave room; the rest wait until a place frees, so no tenant can turn the
   * server's mail domain into a spam relay (tasks may address anyone). Several instances claiming
   * one org's emails at the same moment may each send one batch beyond it.
   */
  private async overDailyLimit(rows: OutboxRow[], now: number): Promise<Map<string, Held>> {
    const limit = this.deps.config.emailDailyLimit;
    const held = new Map<string, Held>();
    const byOrg = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      if (row.kind !== 'email') continue;
      const emails = byOrg.get(row.org_id);
      if (emails) emails.push(row);
      else byOrg.set(row.org_id, [row]);
    }
    for (const [orgId, emails] of byOrg) {
      const sent = await this.repo.emailsSentSince(orgId, now - DAY_MS, limit);
      const room = Math.max(0, limit - sent.count);
      if (emails.length <= room) continue;
      // A place frees when the limit-th newest send turns a day old (the oldest one, while fewer were sent).
      const until = (sent.nthNewestAt ?? now) + DAY_MS;
      const reason = `Held back: the organization may send ${limit} emails in 24 hours (EMAIL_DAILY_LIMIT); this one goes from ${new Date(until).toISOString()}`;
      for (const row of emails.slice(room)) held.set(row.id, { until, reason });
    }
    return held;
  }

  /** Renders at send time, so the email carries the recipient's own link and the shipment as it is now. */
  private async deliverEmail(row: OutboxRow): Promise<Record<string, unknown>> {
    const p = JSON.parse(row.payload) as EmailPayload;
    if (!this.mailer) throw new Error('SMTP_URL is not configured');
    if (!row.shipment_id) throw new PermanentFailure('The email has no shipment');
    const shipment = await this.deps.shipments.viewFor(row.org_id, row.shipment_id);
    if (!shipment) throw new PermanentFailure('The shipment was deleted');
    const template = await this.repo.findTemplate(row.org_id, p.template_id);
    if (!template) throw new PermanentFailure('The email template was deleted');
    const org = await this.deps.orgs.require(row.org_id);
    // A link that would open a 404 page is worse than no email; recalculate re-queues these. The
    // org's reasons are known before a link is made for the recipient, the link's own after.
    const orgReason = unavailableReason(org, {});
    if (orgReason) throw new PermanentFailure(UNAVAILABLE[orgReason]);
    const link = await this.deps.links.ensureRecipientLink(row.org_id, row.shipment_id, { name: p.recipient_name, email: row.recipient });
    // The email says only what the recipient's own link shows (email-values.ts).
    const policy = linkPolicy(org, shipment, link.options);
    if (policy.unavailable) throw new PermanentFailure(UNAVAILABLE[policy.unavailable]);
    const mail = renderTemplate(template, templateValues(org, shipment, policy, p.stop_index, p.recipient_name, link.url));
    // The same Message-ID on every attempt: delivery is at least once (a worker killed between the
    // SMTP server's acceptance and recording it sends again), and receivers drop the repeat.
    const sent = await this.mailer.send({ to: { name: p.recipient_name, address: row.recipient }, messageId: this.mailer.messageIdFor(row.id), ...mail });
    return { subject: mail.subject, link_id: link.id, message_id: sent.messageId };
  }
}
