// Per-org webhooks for link events: configuration, recording deliveries in the outbox, and
// delivering them signed with `Tracklink-Signature: t=<unix>,v1=<hex HMAC-SHA256("<t>.<body>")>`.
import { createHmac } from 'node:crypto';
import type { NewOutboxRow } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { Batcher } from '../../shared/batcher.js';
import { newId } from '../../shared/ids.js';
import { mintSecret } from '../../shared/secrets.js';
import { newestFirstPage } from '../../shared/pagination.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { NotificationsRepository, OutboxRow, WebhookRow } from './notifications.repository.js';
import type { ListOnly, WebhookEvent, WebhookInput, WebhookPatch } from './notifications.schema.js';
import { DeliveryFailure, PermanentFailure, queuedRow, type OutboxEntry } from './outbox.worker.js';
import { outboxView } from './outbox.view.js';
import { namesPrivateHost, postWebhook } from './webhook-target.js';

/** The link module's change notice, as far as webhooks care. */
export interface LinkChangeNotice {
  type: string;
  linkId: string;
  orgId: string;
  shipmentId: string;
}

const LINK_EVENTS: Record<string, WebhookEvent> = {
  created: 'link.created',
  first_viewed: 'link.first_viewed',
  revoked: 'link.revoked',
  expired: 'link.expired',
};

interface WebhookPayload {
  webhook_id: string;
  event: string;
  /** The exact bytes sent and signed. */
  body: string;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function webhookView(w: WebhookRow) {
  return { id: w.id, url: w.url, events: JSON.parse(w.events) as WebhookEvent[], enabled: w.enabled === 1, created_at: toIso(w.created_at) };
}

const newSecret = () => `whsec_${mintSecret(24)}`;

/**
 * Test deliveries one organization may queue a minute. Each makes this server POST to a URL, so
 * they are bounded per organization (not per client address, which a tenant can vary, nor per
 * webhook, which it can multiply), counted in the outbox, so every instance shares the bound.
 */
export const WEBHOOK_TESTS_PER_MINUTE = 10;
const TEST_WINDOW_MS = 60_000;

export class WebhooksService {
  /**
   * Each org's enabled webhooks, read once for all the link events of one event-loop turn: a flush
   * of page views announces every link first viewed in the last 2 s together (thousands when links
   * are sent out in rotation), and reading the org's webhooks once per link was a query each.
   */
  private readonly enabledHooks: Batcher<string, WebhookRow[]>;

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly audit: AuditService,
    private readonly wake: () => void,
    private readonly allowPrivate: boolean,
  ) {
    this.enabledHooks = new Batcher((orgIds) => repo.enabledWebhooksOf(orgIds), (orgId) => orgId);
  }

  /** Refuses what is private on its face; names are checked at delivery, on the address connected to. */
  private checkTarget(url: string): void {
    if (this.allowPrivate || !namesPrivateHost(url)) return;
    throw AppError.validation('Webhooks may only call public addresses on this server', [{ path: 'body/url', message: 'not a public address' }]);
  }

  async list(actor: Actor, q: ListOnly) {
    requireRole(actor, 'admin', 'see webhooks');
    return newestFirstPage(q, (before, limit) => this.repo.listWebhooks(actor.orgId, before, limit), webhookView);
  }

  private async require(actor: Actor, id: string): Promise<WebhookRow> {
    return AppError.orNotFound(await this.repo.findWebhook(actor.orgId, id), 'Webhook');
  }

  async get(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'see webhooks');
    return webhookView(await this.require(actor, id));
  }

  /** The signing secret is shown here and on rotation only. */
  async create(actor: Actor, input: WebhookInput) {
    requireRole(actor, 'admin', 'configure webhooks');
    this.checkTarget(input.url);
    const row: WebhookRow = { id: newId(), org_id: actor.orgId, url: input.url, events: JSON.stringify(input.events), secret: newSecret(), enabled: input.enabled === false ? 0 : 1, created_at: nowMs() };
    await this.repo.insertWebhook(row);
    await this.audit.record(actor, 'webhook.created', { type: 'webhook', id: row.id }, { url: row.url, events: input.events });
    return { ...webhookView(row), secret: row.secret };
  }

  async update(actor: Actor, id: string, patch: WebhookPatch) {
    requireRole(actor, 'admin', 'configure webhooks');
    await this.require(actor, id);
    if (patch.url !== undefined) this.checkTarget(patch.url);
    await this.repo.updateWebhook(actor.orgId, id, {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
    });
    await this.audit.record(actor, 'webhook.updated', { type: 'webhook', id }, { fields: Object.keys(patch) });
    return this.get(actor, id);
  }

  async rotate(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'configure webhooks');
    await this.require(actor, id);
    const secret = newSecret();
    await this.repo.updateWebhook(actor.orgId, id, { secret });
    await this.audit.record(actor, 'webhook.secret_rotated', { type: 'webhook', id });
    return { ...(await this.get(actor, id)), secret };
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'admin', 'delete webhooks');
    await this.require(actor, id);
    await this.repo.deleteWebhook(actor.orgId, id);
    await this.audit.record(actor, 'webhook.deleted', { type: 'webhook', id });
  }

  async deliveries(actor: Actor, id: string, q: ListOnly) {
    requireRole(actor, 'admin', 'see webhooks');
    await this.require(actor, id);
    return newestFirstPage(
      q,
      (before, limit) => this.repo.listOutbox(actor.orgId, { kind: 'webhook', webhookId: id, before, limit }),
      (o) => outboxView(o, true),
    );
  }

  /**
   * Queues a `ping` delivery so an integrator can check their receiver and signature code. A caller
   * below admin is refused before anything is counted: it cannot use up the admins' tests.
   */
  async test(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'test webhooks');
    const hook = await this.require(actor, id);
    const row = await this.repo.transaction(async (trx) => {
      await this.repo.lockOrgForWebhookTests(trx, actor.orgId);
      const now = nowMs();
      const recent = await this.repo.testDeliveriesSince(trx, actor.orgId, now - TEST_WINDOW_MS, WEBHOOK_TESTS_PER_MINUTE);
      if (recent.length >= WEBHOOK_TESTS_PER_MINUTE) {
        // A place frees up when the oldest of the window's tests turns a minute old.
        const retryS = Math.max(1, Math.ceil((Math.min(...recent) + TEST_WINDOW_MS - now) / 1000));
        throw AppError.rateLimited(`At most ${WEBHOOK_TESTS_PER_MINUTE} webhook tests a minute; retry in ${retryS} s`, retryS);
      }
      const ping = this.row(hook, 'ping', `ping:${newId()}`, { webhook_id: hook.id });
      await this.repo.enqueue(trx, [ping]);
      return ping;
    });
    this.wake();
    return { delivery_id: row.id };
  }

  /** Records one delivery per subscribed webhook; a link event reaches each webhook at most once. */
  async onLinkChange(e: LinkChangeNotice): Promise<number> {
    const event = LINK_EVENTS[e.type];
    if (!event) return 0;
    const hooks = (await this.enabledHooks.get(e.orgId)).filter((h) => (JSON.parse(h.events) as string[]).includes(event));
    if (!hooks.length) return 0;
    const rows = hooks.map((h) => this.row(h, event, `${event}:${e.linkId}`, { link_id: e.linkId, shipment_id: e.shipmentId }));
    const added = await this.repo.transaction((trx) => this.repo.enqueue(trx, rows));
    this.wake();
    return added;
  }

  private row(hook: WebhookRow, event: string, dedupe: string, data: Record<string, unknown>): NewOutboxRow {
    const now = nowMs();
    const id = newId();
    const body = JSON.stringify({ id, type: event, created_at: toIso(now), org_id: hook.org_id, data });
    const payload: WebhookPayload = { webhook_id: hook.id, event, body };
    const entry: OutboxEntry = {
      id,
      org_id: hook.org_id,
      // The store derives the row's webhook_id from this shape (migration 20261206_0106), which the
      // webhook's deliveries list is read by.
      dedupe_key: `webhook:${hook.id}:${dedupe}`,
      kind: 'webhook',
      task_id: null,
      shipment_id: typeof data.shipment_id === 'string' ? data.shipment_id : null,
      event_id: typeof data.link_id === 'string' ? data.link_id : null,
      recipient: hook.url,
      payload: JSON.stringify(payload),
    };
    return queuedRow(entry, now);
  }

  /** Any 2xx is success; the signature is computed at send time so `t` is fresh on every retry. */
  async deliver(row: OutboxRow): Promise<Record<string, unknown>> {
    const p = JSON.parse(row.payload) as WebhookPayload;
    const hook = await this.repo.findWebhook(row.org_id, p.webhook_id);
    if (!hook) throw new PermanentFailure('The webhook was deleted');
    if (hook.enabled !== 1) throw new PermanentFailure('The webhook is disabled');
    const t = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Tracklink-Webhooks/1',
      'tracklink-event': p.event,
      'tracklink-delivery': row.id,
      'tracklink-signature': sign(hook.secret, t, p.body),
    };
    // A refused address fails like an unreachable one and is retried like one: telling them
    // apart (in last_error or in how soon a row gives up) would map the host's network.
    const status = await postWebhook(hook.url, headers, p.body, this.allowPrivate);
    if (status < 200 || status >= 300) throw new DeliveryFailure(`The receiver answered HTTP ${status}`);
    return { status_code: status };
  }
}
