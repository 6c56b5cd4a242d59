// The tables of what Tracklink records about its own work: the audit log, failed sign-ins,
// Idempotency-Key records, and notifications (email templates, contact tasks, the outbox,
// webhooks). schema.ts re-exports them and lists every table in Database.
import type { ColumnType, GeneratedAlways } from 'kysely';
import type { Bool, Json, Ms, Role } from './schema.js';

export interface AuditLogTable {
  id: string;
  org_id: string;
  actor_type: 'user' | 'api_key' | 'system' | 'cli';
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  data: Json;
  created_at: Ms;
}

/** Consecutive failed sign-ins of one email address, known or not (see auth/login-throttle.ts). */
export interface LoginFailureTable {
  /** sha256 of the normalized email: the addresses people mistype are nobody's business. */
  account: string;
  failures: number;
  last_failure_at: Ms;
}

/** One Idempotency-Key request of one credential: the reply to replay, secrets redacted. */
export interface IdempotencyRecordTable {
  org_id: string;
  /** `api_key:<id>` or `user:<id>`: only the credential that made the request sees its reply again. */
  credential: string;
  key: string;
  /** Method and route template, e.g. `POST /api/v1/api-keys/:id/rotate`. */
  route: string;
  request_hash: string;
  /** The credential's role when it made the request; a replay needs the same role. */
  role: Role;
  /** 0 while the first request is in progress. */
  status_code: number;
  response_body: string;
  created_at: Ms;
}

/** Superseded by idempotency_records (emptied by its migration); only purged until it is dropped. */
export interface IdempotencyKeyTable {
  org_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number;
  response_body: string;
  created_at: Ms;
}

export interface EmailTemplateTable {
  id: string;
  org_id: string;
  name: string;
  subject: string;
  html: string;
  text: string;
  created_at: Ms;
  updated_at: Ms;
}

export interface ContactTaskTable {
  id: string;
  org_id: string;
  name: string;
  trigger: 'shipment_created' | 'status_changed' | 'stop_arrived' | 'stop_departed' | 'eta_changed';
  status: string | null;
  eta_change_minutes: number | null;
  level: 'shipment' | 'stop';
  recipients: Json;
  template_id: string;
  enabled: Bool;
  created_at: Ms;
  updated_at: Ms;
}

export interface OutboxTable {
  id: string;
  org_id: string;
  dedupe_key: string;
  kind: 'email' | 'webhook';
  task_id: string | null;
  shipment_id: string | null;
  event_id: string | null;
  recipient: string;
  payload: Json;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: Ms;
  locked_until: Ms | null;
  /** The claim of the worker sending the row (it renews locked_until while it sends). */
  claim_token: ColumnType<string | null, string | null | undefined, string | null>;
  last_error: string | null;
  sent_at: Ms | null;
  created_at: Ms;
  /** A webhook delivery's webhook, which the store derives from dedupe_key (`webhook:<id>:…`); null for emails. */
  webhook_id: GeneratedAlways<string | null>;
}

export interface WebhookTable {
  id: string;
  org_id: string;
  url: string;
  events: Json;
  secret: string;
  enabled: Bool;
  created_at: Ms;
}
