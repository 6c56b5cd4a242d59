// Request and response shapes for shipments and everything nested in them.
import { Type, type Static } from '@sinclair/typebox';
import { Email, FreeJson, Id, Lat, ListQuery, Lon, Nullable, Page, Timestamp } from '../../shared/schema.js';

export const ShipmentKind = Type.Union([Type.Literal('order'), Type.Literal('consignment'), Type.Literal('vehicle'), Type.Literal('tracker_session')]);
export const ShipmentStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('planned'),
  Type.Literal('in_transit'),
  Type.Literal('delivered'),
  Type.Literal('cancelled'),
  Type.Literal('exception'),
]);
export const StopType = Type.Union([Type.Literal('pickup'), Type.Literal('delivery'), Type.Literal('waypoint')]);

const Text = (max: number) => Type.String({ maxLength: max });

export const ContactSchema = Type.Object(
  { name: Type.Optional(Nullable(Text(200))), email: Type.Optional(Nullable(Email)) },
  { additionalProperties: false },
);

export const StopInput = Type.Object(
  {
    type: StopType,
    name: Type.Optional(Nullable(Text(200))),
    address: Type.Optional(Nullable(Text(500))),
    lat: Type.Optional(Nullable(Lat)),
    lon: Type.Optional(Nullable(Lon)),
    reference: Type.Optional(Nullable(Text(100))),
    window_start: Type.Optional(Nullable(Timestamp)),
    window_end: Type.Optional(Nullable(Timestamp)),
    eta: Type.Optional(Nullable(Timestamp)),
    arrived_at: Type.Optional(Nullable(Timestamp)),
    departed_at: Type.Optional(Nullable(Timestamp)),
    contact: Type.Optional(Nullable(ContactSchema)),
  },
  { additionalProperties: false },
);
export type StopInput = Static<typeof StopInput>;

export const CargoInput = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 500 }),
    quantity: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e9 }))),
    packaging: Type.Optional(Nullable(Text(100))),
    weight_kg: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e9 }))),
  },
  { additionalProperties: false },
);
export type CargoInput = Static<typeof CargoInput>;

export const SegmentInput = Type.Object(
  {
    name: Type.Optional(Nullable(Text(200))),
    from_stop: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    to_stop: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  },
  { additionalProperties: false },
);
export type SegmentInput = Static<typeof SegmentInput>;

export const FieldInput = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 100 }), value: Text(2000), shareable: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const InternalInput = FreeJson(Type.Object(
  {
    vin: Type.Optional(Nullable(Text(64))),
    stock_number: Type.Optional(Nullable(Text(64))),
    cost: Type.Optional(Nullable(Type.Number())),
    price: Type.Optional(Nullable(Type.Number())),
    payments: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 500 })),
    line_items: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 500 })),
    messages: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 500 })),
  },
  { additionalProperties: true, description: 'Free-form beyond the named fields: at most 16 levels deep and 64 KB as JSON' },
));

const shipmentFields = {
  title: Type.Optional(Nullable(Text(300))),
  status: Type.Optional(ShipmentStatus),
  stages: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 30 })),
  current_stage: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  eta: Type.Optional(Nullable(Timestamp)),
  customer_reference: Type.Optional(Nullable(Text(100))),
  container_number: Type.Optional(Nullable(Text(100))),
  transport_service: Type.Optional(Nullable(Text(100))),
  custom_fields: Type.Optional(Type.Array(FieldInput, { maxItems: 100 })),
  extra_fields: Type.Optional(Type.Array(FieldInput, { maxItems: 100 })),
  internal: Type.Optional(InternalInput),
  stops: Type.Optional(Type.Array(StopInput, { maxItems: 100 })),
  cargo: Type.Optional(Type.Array(CargoInput, { maxItems: 500 })),
  segments: Type.Optional(Type.Array(SegmentInput, { maxItems: 100 })),
  contacts: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Nullable(Text(200))), email: Email }, { additionalProperties: false }), { maxItems: 50 })),
};

export const ShipmentCreate = Type.Object(
  { kind: ShipmentKind, reference: Type.String({ minLength: 1, maxLength: 100 }), ...shipmentFields },
  { additionalProperties: false },
);
export type ShipmentCreate = Static<typeof ShipmentCreate>;

export const ShipmentPatch = Type.Object(
  { kind: Type.Optional(ShipmentKind), reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), ...shipmentFields },
  { additionalProperties: false, minProperties: 1 },
);
export type ShipmentPatch = Static<typeof ShipmentPatch>;

export const ShipmentListQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(ShipmentStatus),
    kind: Type.Optional(ShipmentKind),
    reference: Type.Optional(Type.String({ maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Reference, title or customer reference contains' })),
    tracked: Type.Optional(Type.Boolean({ description: 'Only shipments with (true) / without (false) an active tracking link' })),
    shared: Type.Optional(Type.Boolean({ description: 'Only the shipments partner organizations shared with you' })),
    include_shared: Type.Optional(Type.Boolean({ description: 'Your shipments and those partner organizations shared with you, newest first' })),
  },
  { additionalProperties: false },
);
export type ShipmentListQuery = Static<typeof ShipmentListQuery>;

export const NoteInput = Type.Object(
  { scope: Type.Union([Type.Literal('internal'), Type.Literal('customer')]), body: Type.String({ minLength: 1, maxLength: 10000 }) },
  { additionalProperties: false },
);

export const PalletScanInput = Type.Object(
  {
    cargo_index: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    stop_index: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    event: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. loaded, unloaded, scanned, damaged' }),
    scanned_at: Type.Optional(Timestamp),
    code: Type.Optional(Nullable(Text(100))),
    place: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false },
);

export const ShipmentEventInput = Type.Union([
  Type.Object(
    { type: Type.Literal('status_changed'), status: ShipmentStatus, occurred_at: Type.Optional(Timestamp) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Union([Type.Literal('stop_arrived'), Type.Literal('stop_departed')]), stop_index: Type.Integer({ minimum: 0 }), occurred_at: Type.Optional(Timestamp) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('stage_changed'), current_stage: Type.Integer({ minimum: 0 }), occurred_at: Type.Optional(Timestamp) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('eta_changed'), eta: Nullable(Timestamp), stop_index: Type.Optional(Type.Integer({ minimum: 0 })), occurred_at: Type.Optional(Timestamp) },
    { additionalProperties: false },
  ),
]);
export type ShipmentEventInput = Static<typeof ShipmentEventInput>;

export const HeroPhotoInput = Type.Object({ photo_id: Nullable(Id) }, { additionalProperties: false });
export const ContactInput = Type.Object({ name: Type.Optional(Nullable(Text(200))), email: Email }, { additionalProperties: false });


// ---- replies ----

const Iso = Type.String({ format: 'date-time' });
const FieldSchema = Type.Object({ key: Type.String(), value: Type.String(), shareable: Type.Boolean() });

export const StopSchema = Type.Object({
  id: Type.String(),
  index: Type.Integer({ description: 'Position in the route, from 0; the {index} of the stop routes' }),
  type: StopType,
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  reference: Nullable(Type.String()),
  window_start: Nullable(Iso),
  window_end: Nullable(Iso),
  eta: Nullable(Iso),
  arrived_at: Nullable(Iso),
  departed_at: Nullable(Iso),
  contact: Nullable(Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()) })),
});

export const PhotoSchema = Type.Object({
  id: Type.String(),
  content_type: Type.String(),
  size_bytes: Type.Integer(),
  caption: Nullable(Type.String()),
  url: Type.String(),
  created_at: Iso,
});

export const PalletScanSchema = Type.Object({
  id: Type.String(),
  cargo_index: Nullable(Type.Integer()),
  stop_index: Nullable(Type.Integer()),
  event: Type.String(),
  code: Nullable(Type.String()),
  place: Nullable(Type.String()),
  scanned_at: Iso,
});
const NoteScope = Type.Union([Type.Literal('internal'), Type.Literal('customer')]);
export const NoteSchema = Type.Object({ id: Type.String(), scope: NoteScope, body: Type.String(), author: Nullable(Type.String()), created_at: Iso });
export const ShipmentContactSchema = Type.Object({ id: Type.String(), name: Nullable(Type.String()), email: Type.String() });

/** The owner's view of a shipment (a partner's view is cut from it in links/partner-view.ts). */
export const ShipmentSchema = Type.Object({
  id: Type.String(),
  kind: ShipmentKind,
  reference: Type.String(),
  title: Nullable(Type.String()),
  status: ShipmentStatus,
  stages: Type.Array(Type.String()),
  current_stage: Nullable(Type.Integer()),
  eta: Nullable(Iso),
  eta_source: Nullable(Type.Union([Type.Literal('manual'), Type.Literal('computed')])),
  eta_calculated_at: Nullable(Iso),
  customer_reference: Nullable(Type.String()),
  container_number: Nullable(Type.String()),
  transport_service: Nullable(Type.String()),
  custom_fields: Type.Array(FieldSchema),
  extra_fields: Type.Array(FieldSchema),
  internal: Type.Object({}, { additionalProperties: true, description: 'Never public: vin, stock_number, cost, price, payments, line_items, messages, …' }),
  stops: Type.Array(StopSchema),
  cargo: Type.Array(
    Type.Object({ id: Type.String(), index: Type.Integer(), description: Type.String(), quantity: Nullable(Type.Number()), packaging: Nullable(Type.String()), weight_kg: Nullable(Type.Number()) }),
  ),
  segments: Type.Array(Type.Object({ id: Type.String(), index: Type.Integer(), name: Nullable(Type.String()), from_stop: Nullable(Type.Integer()), to_stop: Nullable(Type.Integer()) })),
  pallet_scans: Type.Array(PalletScanSchema),
  photos: Type.Array(PhotoSchema),
  hero_photo_id: Nullable(Type.String()),
  notes: Type.Array(NoteSchema),
  contacts: Type.Array(ShipmentContactSchema),
  proof_of_delivery: Nullable(Type.Object({ content_type: Nullable(Type.String()), signed_by: Nullable(Type.String()), captured_at: Nullable(Iso), url: Type.String() })),
  delivered_at: Nullable(Iso),
  cancelled_at: Type.Optional(Nullable(Iso)),
  created_at: Iso,
  updated_at: Iso,
}, { $id: 'Shipment' });

/** What a partner organization sees of a shipment shared with it (links/partner-view.ts). */
export const PartnerShipmentSchema = Type.Object(
  {
    ...Type.Omit(ShipmentSchema, ['internal', 'customer_reference', 'stops', 'notes', 'contacts', 'proof_of_delivery', 'cancelled_at']).properties,
    stops: Type.Array(Type.Omit(StopSchema, ['contact'])),
    notes: Type.Array(Type.Omit(NoteSchema, ['author'])),
    proof_of_delivery: Nullable(Type.Object({ captured_at: Nullable(Iso) })),
    shared_by_org_id: Type.String(),
    shared_by: Type.Object({ org_id: Type.String(), name: Type.String() }),
  },
  { $id: 'PartnerShipment' },
);

/** Your own shipments, and (include_shared, shared) those partners shared with you. */
export const ShipmentOrShared = Type.Union([Type.Ref(ShipmentSchema), Type.Ref(PartnerShipmentSchema)]);
export const ShipmentsPage = Page(ShipmentOrShared);

export const ShipmentEventSchema = Type.Object({
  id: Type.String(),
  type: Type.String({ description: 'shipment_created, status_changed, stop_arrived, stop_departed, eta_changed, stage_changed' }),
  data: Type.Object({}, { additionalProperties: true }),
  occurred_at: Iso,
  created_at: Iso,
});
export const ShipmentEventsPage = Page(ShipmentEventSchema);
