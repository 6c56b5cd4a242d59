// The tables, typed. Times are epoch milliseconds; JSON columns hold serialized text so one
// schema works on SQLite and PostgreSQL; booleans are 0/1 integers for the same reason.
import type { ColumnType, Generated, Insertable, Selectable, Transaction, Updateable } from 'kysely';
import type { AuditLogTable, LoginFailureTable, IdempotencyRecordTable, IdempotencyKeyTable, EmailTemplateTable, ContactTaskTable, OutboxTable, WebhookTable } from './schema-records.js';
export type { AuditLogTable, LoginFailureTable, IdempotencyRecordTable, IdempotencyKeyTable, EmailTemplateTable, ContactTaskTable, OutboxTable, WebhookTable } from './schema-records.js';

/** Column kinds that work on both stores: JSON as text, booleans as 0/1, times as epoch ms. */
export type Json = string;
export type Bool = number;
export type Ms = number;

export interface OrgTable {
  id: string;
  name: string;
  country: string;
  brand_color: string | null;
  logo_file: string | null;
  billing_state: 'active' | 'locked';
  sharing_enabled: Bool;
  auto_create_links: Bool;
  link_inactivity_days: number;
  position_retention_days: number;
  link_template: Json;
  /** Public handle partners invite the org by; unique, null until the owner picks one. */
  handle: string | null;
  created_at: Ms;
  updated_at: Ms;
}

export type Role = 'owner' | 'admin' | 'dispatcher' | 'viewer';

export interface UserTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: Ms;
  disabled_at: Ms | null;
}

export interface SessionTable {
  id: string; // sha256 of the cookie token
  user_id: string;
  org_id: string;
  csrf_token: string;
  created_at: Ms;
  expires_at: Ms;
  revoked_at: Ms | null;
  last_seen_at: Ms;
}

export interface ApiKeyTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: Role;
  created_by: string | null;
  /** The user on whose authority the key was made (a key made with a key: that key's user); null for CLI and system keys. */
  created_by_user: string | null;
  created_at: Ms;
  last_used_at: Ms | null;
  revoked_at: Ms | null;
}

/** An org's token for server-to-server position feeds (Traccar forwarding); only its hash is kept. */
export interface IngestTokenTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_by: string | null;
  /** The user on whose authority the token was made (through a key: that key's user); null for CLI and system. */
  created_by_user: string | null;
  created_at: Ms;
  last_used_at: Ms | null;
  revoked_at: Ms | null;
}

export interface ShipmentPartnerTable {
  shipment_id: string;
  org_id: string;
  partner_org_id: string;
  created_at: Ms;
}

/** A connection between two orgs, stored once per direction. */
export interface OrgPartnerTable {
  org_id: string;
  partner_org_id: string;
  created_at: Ms;
}

export type PartnerInvitationState = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface PartnerInvitationTable {
  id: string;
  org_id: string;
  address: string;
  target_org_id: string | null;
  state: PartnerInvitationState;
  invited_by: string;
  created_at: Ms;
  expires_at: Ms;
  responded_at: Ms | null;
}

export type ShipmentKind = 'order' | 'consignment' | 'vehicle' | 'tracker_session';
export type ShipmentStatus = 'draft' | 'planned' | 'in_transit' | 'delivered' | 'cancelled' | 'exception';

export interface ShipmentTable {
  id: string;
  org_id: string;
  kind: ShipmentKind;
  reference: string;
  title: string | null;
  status: ShipmentStatus;
  stages: Json;
  current_stage: number | null;
  eta: Ms | null;
  eta_source: 'manual' | 'computed' | null;
  eta_calculated_at: Ms | null;
  customer_reference: string | null;
  container_number: string | null;
  transport_service: string | null;
  custom_fields: Json;
  extra_fields: Json;
  internal: Json;
  hero_photo_id: string | null;
  pod_file: string | null;
  pod_content_type: string | null;
  pod_signed_by: string | null;
  pod_captured_at: Ms | null;
  delivered_at: Ms | null;
  created_at: Ms;
  updated_at: Ms;
  /**
   * When each piece a partner or a link may show last changed: JSON of key -> Ms
   * (shipments/change-times.ts). Null until something tracked changes.
   */
  changed_at: Json | null;
}

export type StopType = 'pickup' | 'delivery' | 'waypoint';

export interface StopTable {
  id: string;
  org_id: string;
  shipment_id: string;
  seq: number;
  type: StopType;
  name: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  reference: string | null;
  window_start: Ms | null;
  window_end: Ms | null;
  eta: Ms | null;
  arrived_at: Ms | null;
  departed_at: Ms | null;
  contact_name: string | null;
  contact_email: string | null;
}

export interface SegmentTable {
  id: string;
  org_id: string;
  shipment_id: string;
  seq: number;
  name: string | null;
  from_stop: number | null;
  to_stop: number | null;
}

export interface CargoLineTable {
  id: string;
  org_id: string;
  shipment_id: string;
  seq: number;
  description: string;
  quantity: number | null;
  packaging: string | null;
  weight_kg: number | null;
}

export interface PalletScanTable {
  id: string;
  org_id: string;
  shipment_id: string;
  cargo_index: number | null;
  stop_index: number | null;
  event: string;
  code: string | null;
  place: string | null;
  scanned_at: Ms;
  created_at: Ms;
}

export interface PhotoTable {
  id: string;
  org_id: string;
  shipment_id: string;
  file: string;
  content_type: string;
  size_bytes: number;
  caption: string | null;
  created_at: Ms;
}

export interface NoteTable {
  id: string;
  org_id: string;
  shipment_id: string;
  scope: 'internal' | 'customer';
  body: string;
  author: string | null;
  created_at: Ms;
}

export interface ShipmentContactTable {
  id: string;
  org_id: string;
  shipment_id: string;
  name: string | null;
  email: string;
  created_at: Ms;
}

export interface ShipmentEventTable {
  id: string;
  org_id: string;
  shipment_id: string;
  type: 'shipment_created' | 'status_changed' | 'stop_arrived' | 'stop_departed' | 'eta_changed' | 'stage_changed';
  data: Json;
  occurred_at: Ms;
  created_at: Ms;
}

export interface DeviceTable {
  id: string;
  org_id: string;
  name: string;
  external_id: string;
  /** 1 when the server generated external_id (long and random): only then may it authenticate on the bare OsmAnd URL. */
  external_id_generated: Generated<number>;
  token_hash: string;
  created_at: Ms;
  last_seen_at: Ms | null;
}

/** The position layers a shipment's devices report under, in the order pages list them. */
export const LAYERS = ['driver', 'cargo', 'tracker'] as const;
export type Layer = (typeof LAYERS)[number];

export interface SourceTable {
  id: string;
  org_id: string;
  shipment_id: string;
  device_id: string;
  layer: Layer;
  segment: number | null;
  created_at: Ms;
  /** When the device started carrying this shipment; null only in rows an older version wrote (read as created_at). */
  attached_at: Ms | null;
  /** When it was detached; null while attached. */
  detached_at: Ms | null;
}

export interface PositionTable {
  id: Generated<number>;
  org_id: string;
  device_id: string;
  recorded_at: Ms;
  received_at: Ms;
  lat: number;
  lon: number;
  accuracy_m: number | null;
  speed_mps: number | null;
  heading_deg: number | null;
  altitude_m: number | null;
  battery_pct: number | null;
}

export interface TrackingLinkTable {
  id: string;
  org_id: string;
  shipment_id: string;
  slug: string;
  recipient_name: string | null;
  recipient_email: string | null;
  options: Json;
  expires_at: Ms | null;
  state: 'active' | 'revoked';
  created_by: string | null;
  created_at: Ms;
  updated_at: Ms;
  revoked_by: string | null;
  revoked_at: Ms | null;
  replaced_by: string | null;
  first_viewed_at: Ms | null;
  last_viewed_at: Ms | null;
  view_count: number;
  expired_notified_at: Ms | null;
}


export interface Database {
  orgs: OrgTable;
  users: UserTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  ingest_tokens: IngestTokenTable;
  shipment_partners: ShipmentPartnerTable;
  org_partners: OrgPartnerTable;
  partner_invitations: PartnerInvitationTable;
  shipments: ShipmentTable;
  stops: StopTable;
  segments: SegmentTable;
  cargo_lines: CargoLineTable;
  pallet_scans: PalletScanTable;
  photos: PhotoTable;
  notes: NoteTable;
  shipment_contacts: ShipmentContactTable;
  shipment_events: ShipmentEventTable;
  devices: DeviceTable;
  sources: SourceTable;
  positions: PositionTable;
  tracking_links: TrackingLinkTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeyTable;
  idempotency_records: IdempotencyRecordTable;
  login_failures: LoginFailureTable;
  email_templates: EmailTemplateTable;
  contact_tasks: ContactTaskTable;
  outbox: OutboxTable;
  webhooks: WebhookTable;
}

export type Org = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;
export type NewShipment = Insertable<ShipmentTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
/** A transaction a service passes through to repositories (and to listeners that must be atomic with a change). */
export type DbTransaction = Transaction<Database>;
export type OrgUpdate = Updateable<OrgTable>;
export type ShipmentRow = Selectable<ShipmentTable>;
export type StopRow = Selectable<StopTable>;
export type SegmentRow = Selectable<SegmentTable>;
export type CargoLineRow = Selectable<CargoLineTable>;
export type PalletScanRow = Selectable<PalletScanTable>;
export type PhotoRow = Selectable<PhotoTable>;
export type NoteRow = Selectable<NoteTable>;
export type TrackingLinkRow = Selectable<TrackingLinkTable>;
export type PositionRow = Selectable<PositionTable>;
export type NewPosition = Insertable<PositionTable>;
export type DeviceRow = Selectable<DeviceTable>;
export type SourceRow = Selectable<SourceTable>;
export type UserRow = Selectable<UserTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type PartnerInvitationRow = Selectable<PartnerInvitationTable>;
// Kept for callers that want to spell "auto-generated on insert".
export type AutoId = ColumnType<number, never, never>;
