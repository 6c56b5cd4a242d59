// Shapes of the notifications API replies (email templates, contact tasks, outbox, webhooks).
import type { ShipmentStatus } from '../types';

export interface EmailTemplate {
  id: string;
  name: string;
  subject: string;
  html: string;
  text: string;
  created_at: string;
  updated_at: string;
}

export interface TemplateVariable {
  name: string;
  token: string;
  description: string;
  example: string;
  /** False while the org cannot use it (e.g. the tracking link while sharing is off). */
  available?: boolean;
  unavailable_reason?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** Variables that render empty because the recipient's link does not show their part. */
  warnings?: { variable: string; message: string }[];
}

export const TRIGGERS = ['shipment_created', 'status_changed', 'stop_arrived', 'stop_departed', 'eta_changed'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const TRIGGER_LABEL: Record<Trigger, string> = {
  shipment_created: 'Shipment created',
  status_changed: 'Status changed',
  stop_arrived: 'Arrived at a stop',
  stop_departed: 'Departed from a stop',
  eta_changed: 'ETA changed',
};

export interface ContactTask {
  id: string;
  name: string;
  trigger: Trigger;
  status: ShipmentStatus | null;
  eta_change_minutes: number | null;
  level: 'shipment' | 'stop';
  /** "stop_contact", "shipment_contacts" or fixed email addresses. */
  recipients: string[];
  template_id: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface RecalculateResult {
  shipments: number;
  links_ensured: number;
  emails_queued: number;
}

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxItem {
  id: string;
  kind: 'email' | 'webhook';
  status: OutboxStatus;
  recipient: string;
  task_id: string | null;
  shipment_id: string | null;
  event_id: string | null;
  event_type: string | null;
  subject: string | null;
  link_id: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

export const WEBHOOK_EVENTS = ['link.created', 'link.first_viewed', 'link.revoked', 'link.expired'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABEL: Record<WebhookEvent, string> = {
  'link.created': 'Link created',
  'link.first_viewed': 'Link first viewed',
  'link.revoked': 'Link revoked',
  'link.expired': 'Link expired',
};

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  created_at: string;
}
