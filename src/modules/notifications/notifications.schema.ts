// Request schemas of the notifications API (templates, tasks, outbox, webhooks) and their types.
import { Type, type Static } from '@sinclair/typebox';
import { Email, Id, ListOnlyQuery, ListQuery, Nullable, Page } from '../../shared/schema.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const TemplateInput = Type.Object(
  { name: Text(200), subject: Text(500), html: Text(200_000), text: Text(100_000) },
  { additionalProperties: false },
);
export type TemplateInput = Static<typeof TemplateInput>;
export const TemplatePatch = Type.Partial(TemplateInput, { additionalProperties: false });
export type TemplatePatch = Static<typeof TemplatePatch>;

export const PreviewRecipient = Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), email: Type.Optional(Email) }, { additionalProperties: false });
export const PreviewInput = Type.Object(
  { shipment_id: Id, stop_index: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })), recipient: Type.Optional(PreviewRecipient) },
  { additionalProperties: false },
);
export type PreviewInput = Static<typeof PreviewInput>;
export const DraftPreviewInput = Type.Object(
  {
    subject: Type.String({ maxLength: 500 }),
    html: Type.String({ maxLength: 200_000 }),
    text: Type.String({ maxLength: 100_000 }),
    shipment_id: Id,
    stop_index: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    recipient: Type.Optional(PreviewRecipient),
  },
  { additionalProperties: false },
);
export type DraftPreviewInput = Static<typeof DraftPreviewInput>;

export const TRIGGERS = ['shipment_created', 'status_changed', 'stop_arrived', 'stop_departed', 'eta_changed'] as const;
export type Trigger = (typeof TRIGGERS)[number];
const Trigger = Type.Union(TRIGGERS.map((t) => Type.Literal(t)));
const ShipmentStatus = Type.Union(['draft', 'planned', 'in_transit', 'delivered', 'cancelled', 'exception'].map((s) => Type.Literal(s)));

/** "stop_contact", "shipment_contacts" or a fixed address. */
export const Recipient = Type.Union([Type.Literal('stop_contact'), Type.Literal('shipment_contacts'), Email]);

const taskFields = {
  name: Text(200),
  trigger: Trigger,
  status: Type.Optional(Type.Union([ShipmentStatus, Type.Null()], { description: 'status_changed only: fire when the shipment enters this status (null: any change)' })),
  eta_change_minutes: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 525_600 }), Type.Null()], { description: 'eta_changed only: fire when the ETA moves by more than this' })),
  level: Type.Union([Type.Literal('shipment'), Type.Literal('stop')]),
  recipients: Type.Array(Recipient, { minItems: 1, maxItems: 50 }),
  template_id: Id,
  enabled: Type.Optional(Type.Boolean({ default: true })),
};
export const TaskInput = Type.Object(taskFields, { additionalProperties: false });
export type TaskInput = Static<typeof TaskInput>;
// Without the create's default for enabled: validation fills defaults in, and a change that left
// enabled out turned a disabled task back on.
export const TaskPatch = Type.Partial(Type.Object({ ...taskFields, enabled: Type.Boolean() }), { additionalProperties: false });
export type TaskPatch = Static<typeof TaskPatch>;

export const RecalculateInput = Type.Object(
  {
    shipment_id: Type.Optional(Id),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: "the previous reply's next_cursor: go on with the shipments it left (not with shipment_id)" })),
  },
  { additionalProperties: false },
);
export type RecalculateInput = Static<typeof RecalculateInput>;

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export const OutboxQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(OUTBOX_STATUSES.map((s) => Type.Literal(s)))),
    kind: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('webhook')])),
    shipment_id: Type.Optional(Id),
    task_id: Type.Optional(Id),
    recipient: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'an email address or webhook URL' })),
    ...ListQuery,
  },
  { additionalProperties: false },
);
export type OutboxQuery = Static<typeof OutboxQuery>;
export const OutboxRetryInput = Type.Object({ ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 500 })) }, { additionalProperties: false });
export type OutboxRetryInput = Static<typeof OutboxRetryInput>;

export const WEBHOOK_EVENTS = ['link.created', 'link.first_viewed', 'link.revoked', 'link.expired'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
// A plain string enum (not anyOf of constants) so generated clients get one named enum type and an
// unknown name is refused with 400 by request validation before any service code runs.
const WebhookEventSchema = Type.Unsafe<WebhookEvent>({ type: 'string', enum: [...WEBHOOK_EVENTS], description: 'A link event a webhook can subscribe to' });
const WebhookEvents = Type.Array(WebhookEventSchema, { minItems: 1, uniqueItems: true });
const HookUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 });
export const WebhookInput = Type.Object({ url: HookUrl, events: WebhookEvents, enabled: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false });
export type WebhookInput = Static<typeof WebhookInput>;
export const WebhookPatch = Type.Partial(Type.Object({ url: HookUrl, events: WebhookEvents, enabled: Type.Boolean() }), { additionalProperties: false });
export type WebhookPatch = Static<typeof WebhookPatch>;

export const ListOnly = ListOnlyQuery;
export type ListOnly = Static<typeof ListOnly>;

export const TemplateVariableSchema = Type.Object({
  name: Type.String({ description: 'e.g. shipment.reference' }),
  token: Type.String({ description: 'What to write in a template, e.g. {{shipment.reference}}' }),
  description: Type.String(),
  example: Type.String(),
  available: Type.Boolean({ description: 'Whether this organization may use it now' }),
  unavailable_reason: Nullable(Type.String()),
});
export const TemplateVariablesPage = Page(TemplateVariableSchema);

// ---- replies ----

const Iso = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableIso = Type.Union([Iso, Type.Null()]);

export const EmailTemplateSchema = Type.Object({ id: Type.String(), name: Type.String(), subject: Type.String(), html: Type.String(), text: Type.String(), created_at: Iso, updated_at: Iso });
export const EmailTemplatesPage = Page(EmailTemplateSchema);
export const RenderedEmail = Type.Object(
  {
    subject: Type.String(),
    html: Type.String(),
    text: Type.String(),
    warnings: Type.Array(Type.Object({ variable: Type.String(), message: Type.String() }), {
      description: "Variables the template uses that render empty because a recipient's link (with the org's link template) does not show their part",
    }),
  },
  { description: 'The template filled in for the shipment' },
);

export const ContactTaskSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  trigger: Trigger,
  status: Type.Union([ShipmentStatus, Type.Null()]),
  eta_change_minutes: Type.Union([Type.Integer(), Type.Null()]),
  level: Type.Union([Type.Literal('shipment'), Type.Literal('stop')]),
  recipients: Type.Array(Type.String()),
  template_id: Type.String(),
  enabled: Type.Boolean(),
  created_at: Iso,
  updated_at: Iso,
});
export const ContactTasksPage = Page(ContactTaskSchema);
export const RecalculateResult = Type.Object({
  shipments: Type.Integer({ description: 'shipments recalculated by this request' }),
  links_ensured: Type.Integer(),
  emails_queued: Type.Integer(),
  remaining: Type.Integer({ description: 'shipments left for later requests; 0 when done' }),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'send as cursor to go on; null when done' }),
});

export const OutboxEntrySchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('email'), Type.Literal('webhook')]),
  status: Type.Union(OUTBOX_STATUSES.map((s) => Type.Literal(s))),
  recipient: Type.String(),
  task_id: NullableString,
  shipment_id: NullableString,
  event_id: NullableString,
  event_type: NullableString,
  subject: NullableString,
  link_id: NullableString,
  attempts: Type.Integer(),
  next_attempt_at: NullableIso,
  last_error: NullableString,
  sent_at: NullableIso,
  created_at: Iso,
});
export const OutboxPage = Page(OutboxEntrySchema);
export const OutboxRetryResult = Type.Object({ retried: Type.Integer() });

export const WebhookSchema = Type.Object({ id: Type.String(), url: Type.String(), events: Type.Array(WebhookEventSchema), enabled: Type.Boolean(), created_at: Iso });
export const WebhooksPage = Page(WebhookSchema);
export const WebhookWithSecret = Type.Object({ ...WebhookSchema.properties, secret: Type.String({ description: 'Shown once: signs every delivery' }) });
export const WebhookTestQueued = Type.Object({ delivery_id: Type.String() });
