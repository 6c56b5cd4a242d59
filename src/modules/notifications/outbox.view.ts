// The API shape of an outbox row: what was (or will be) sent to whom, and why it failed.
import { toIso } from '../../shared/time.js';
import type { OutboxRow } from './notifications.repository.js';

export function outboxView(o: OutboxRow) {
  const p = JSON.parse(o.payload) as Record<string, unknown>;
  return {
    id: o.id,
    kind: o.kind,
    status: o.status,
    recipient: o.recipient,
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
