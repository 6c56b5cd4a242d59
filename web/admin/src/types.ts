// Shapes of the API replies the admin app reads (see /api/docs for the full contract).
export type Role = 'owner' | 'admin' | 'dispatcher' | 'viewer';
export type ShipmentStatus = 'draft' | 'planned' | 'in_transit' | 'delivered' | 'cancelled' | 'exception';
export type ShipmentKind = 'order' | 'consignment' | 'vehicle' | 'tracker_session';
export type DriverPosition = 'always' | 'en_route_to_delivery' | 'never';
export type LinkState = 'active' | 'revoked' | 'expired';
export type Layer = 'driver' | 'cargo' | 'tracker';

export interface Org {
  id: string;
  name: string;
  country: string;
  time_zone: string;
  brand_color: string | null;
  logo_url: string | null;
  billing_state: 'active' | 'locked';
  sharing_enabled: boolean;
  auto_create_links: boolean;
  link_inactivity_days: number;
  position_retention_days: number;
  /** Public handle partners invite the org by; null until the owner picks one. */
  handle?: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled?: boolean;
  last_login_at?: string | null;
  created_at?: string;
}

export interface Me {
  actor: { type: string; id: string | null; label: string; role: Role };
  user: User | null;
  org: Org;
  csrf_token: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Field {
  key: string;
  value: string;
  shareable: boolean;
}

export interface Stop {
  id?: string;
  index?: number;
  type: 'pickup' | 'delivery' | 'waypoint';
  name: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  reference: string | null;
  window_start: string | null;
  window_end: string | null;
  eta: string | null;
  arrived_at?: string | null;
  departed_at?: string | null;
  /** Absent in a partner's view (stop contacts are the owner's). */
  contact?: { name: string | null; email: string | null } | null;
}

export interface CargoLine {
  description: string;
  quantity: number | null;
  packaging: string | null;
  weight_kg: number | null;
}

export interface Segment {
  id?: string;
  index?: number;
  name: string | null;
  from_stop: number | null;
  to_stop: number | null;
}

export interface Photo {
  id: string;
  url: string;
  caption: string | null;
  content_type: string;
}

export interface Note {
  id: string;
  scope: 'internal' | 'customer';
  body: string;
  /** Absent in a partner's view (staff identities are the owner's). */
  author?: string | null;
  created_at: string;
}

export interface Shipment {
  id: string;
  kind: ShipmentKind;
  reference: string;
  title: string | null;
  status: ShipmentStatus;
  stages: string[];
  current_stage: number | null;
  eta: string | null;
  eta_source?: string | null;
  /** Absent in a partner's view, like internal, contacts and the proof-of-delivery file. */
  customer_reference?: string | null;
  container_number: string | null;
  transport_service: string | null;
  custom_fields: Field[];
  extra_fields: Field[];
  internal?: Record<string, unknown>;
  stops: Stop[];
  cargo: CargoLine[];
  segments: Segment[];
  pallet_scans: { id: string; cargo_index: number | null; stop_index: number | null; event: string; code: string | null; place: string | null; scanned_at: string | null }[];
  photos: Photo[];
  hero_photo_id: string | null;
  notes: Note[];
  contacts?: { id: string; name: string | null; email: string }[];
  proof_of_delivery: { content_type?: string; signed_by?: string | null; captured_at: string; url?: string } | null;
  created_at: string;
  updated_at: string;
  /** Set when a partner organization shared this shipment with yours. */
  shared_by_org_id?: string;
  shared_by?: { org_id: string; name: string };
}

/** A connected partner organization (GET /api/v1/partners). */
export interface Partner {
  org_id: string;
  name: string;
  handle: string | null;
  since: string;
}

export interface SentInvitation {
  id: string;
  address: string;
  state: 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'expired';
  created_at: string;
  expires_at: string;
  responded_at: string | null;
  partner: { org_id: string; name: string; handle: string | null } | null;
}

export interface ReceivedInvitation {
  id: string;
  from: { org_id: string; name: string; handle: string | null };
  address: string;
  created_at: string;
  expires_at: string;
}

export const SECTION_KEYS = [
  'status',
  'progress',
  'eta',
  'reference',
  'stops',
  'stop_references',
  'estimated_times',
  'cargo',
  'pallet_scans',
  'customer_reference',
  'container_number',
  'transport_service',
  'custom_fields',
  'extra_fields',
  'hero_photo',
  'customer_notes',
  'proof_of_delivery',
  'map',
  'history',
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];
export type LinkTemplate = Record<SectionKey, boolean> & { driver_position: DriverPosition };

export interface LinkOptions extends Partial<Record<SectionKey, boolean | null>> {
  driver_position?: DriverPosition | null;
  segments?: number[] | null;
  layers?: Layer[] | null;
  photo_ids?: string[] | null;
}

export interface TrackingLink {
  id: string;
  shipment_id: string;
  slug?: string;
  url: string;
  state: LinkState;
  options: LinkOptions;
  recipient: { name: string | null; email: string | null } | null;
  expires_at: string | null;
  created_at: string;
  created_by?: string | null;
  revoked_at?: string | null;
  first_viewed_at: string | null;
  last_viewed_at: string | null;
  view_count: number;
  shipment_reference?: string;
  available?: boolean;
  unavailable_reason?: 'billing_locked' | 'sharing_disabled' | 'unshared' | null;
  qr_url?: string;
  effective_expires_at?: string | null;
}

/** GET /api/v1/shipments/:id/tracking: what the shipment header and the Share dialog show. */
export interface Tracking {
  shipment_id: string;
  public: boolean;
  general: TrackingLink | null;
  recipient_links: TrackingLink[];
  active_count: number;
  sharing_enabled: boolean;
  billing_state: 'active' | 'locked';
}

export interface ApiKey {
  id: string;
  name: string | null;
  role: Role;
  prefix?: string;
  /** Who made the key; it is revoked when that user is disabled or deleted. */
  created_by?: string | null;
  created_at: string;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

export interface Device {
  id: string;
  name: string;
  external_id: string | null;
  /** The server generated external_id (long, random): the bare OsmAnd URL accepts it alone. */
  external_id_generated?: boolean;
  created_at?: string;
  last_seen_at?: string | null;
}

/** A device with its credentials, as registration and a new token return them (once). */
export interface DeviceCredentials extends Device {
  token: string;
  osmand_url: string;
}

export interface Position {
  device_id?: string;
  layer?: Layer;
  recorded_at: string;
  lat: number;
  lon: number;
  speed_mps?: number | null;
}
