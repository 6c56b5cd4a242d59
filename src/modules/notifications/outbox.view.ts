// The API shape of an outbox row: what was (or will be) sent to whom, and why it failed.
import { toIso } from '../../shared/time.js';
import type { OutboxRow } from './notifications.repository.js';

/** A webhook URL as a dispatcher may see it: scheme and host, no credentials, path or query (they often hold tokens). */
export function maskedWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}

/** `fullWebhookUrls`: only roles that may see the webhooks themselves (admin and up) read whole URLs. */
export function outboxView(o: OutboxRow, fullWebhookUrls: boolean) {
  const p = JSON.parse(o.payload) as Record<string, unknown>;
  return {
    id: o.id,
    kind: o.kind,
    status: o.status,
    recipient: o.kind === 'webhook' && !fullWebhookUrls ? maskedWebhookUrl(o.recipient) : o.recipient,
    task_id: o.task_id,
    shipment_id: o.shipment_id,
    event_id: o.event_id,
    event_type: (p.event_type ?? p.event ?? null) as string | null,
    subject: (p.subject ?? null) as string | null,
    link_id: (p.link_id ?? null) as string | null,
    attempts: o.attempts,
    next_attempt_at: o.status === 'pending' ? toIso(o.next_attempt_at) : null,
    last_error: o.last_error,
    sent_at: toIso(o.sent_at),
    created_at: toIso(o.created_at),
  };
}
