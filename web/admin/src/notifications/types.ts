// Shapes of the notifications API replies (email templates, contact tasks, outbox, webhooks),
// derived from the generated OpenAPI types like ../types.ts; the constants are the app's lists
// and labels, checked against those types.
import type { Reply } from '../types';

type Item<L> = L extends { items: (infer I)[] } ? I : never;

export type EmailTemplate = Reply<'getEmailTemplate'>;
export type TemplateVariable = Item<Reply<'listTemplateVariables'>>;
export type RenderedEmail = Reply<'previewEmailTemplate'>;
export type ContactTask = Reply<'getContactTask'>;
export type RecalculateResult = Reply<'recalculateContactTasks'>;
export type OutboxItem = Item<Reply<'listOutbox'>>;
export type Webhook = Reply<'getWebhook'>;

export type Trigger = ContactTask['trigger'];
export const TRIGGERS = ['shipment_created', 'status_changed', 'stop_arrived', 'stop_departed', 'eta_changed'] as const satisfies readonly Trigger[];

export const TRIGGER_LABEL: Record<Trigger, string> = {
  shipment_created: 'Shipment created',
  status_changed: 'Status changed',
  stop_arrived: 'Arrived at a stop',
  stop_departed: 'Departed from a stop',
  eta_changed: 'ETA changed',
};

export type OutboxStatus = OutboxItem['status'];
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const satisfies readonly OutboxStatus[];

/** The documented enum of link events, the same in the request bodies and the replies. */
export type WebhookEvent = Webhook['events'][number];
export const WEBHOOK_EVENTS = ['link.created', 'link.first_viewed', 'link.revoked', 'link.expired'] as const satisfies readonly WebhookEvent[];

export const WEBHOOK_EVENT_LABEL: Record<WebhookEvent, string> = {
  'link.created': 'Link created',
  'link.first_viewed': 'Link first viewed',
  'link.revoked': 'Link revoked',
  'link.expired': 'Link expired',
};
