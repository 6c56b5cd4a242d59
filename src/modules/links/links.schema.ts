// Request and reply schemas of the tracking-links API, and their inferred types.
import { Type, type Static } from '@sinclair/typebox';
import { Email, Id, ListQuery, Nullable, Page, Timestamp } from '../../shared/schema.js';
import { LayerSchema } from '../positions/positions.contract.js';
import { DriverPosition, SECTION_KEYS, type SectionKey } from './template.js';

const optionalSwitch = () => Type.Optional(Nullable(Type.Boolean()));
const sectionOverrides = Object.fromEntries(SECTION_KEYS.map((k) => [k, optionalSwitch()])) as Record<SectionKey, ReturnType<typeof optionalSwitch>>;

/**
 * Per-link overrides of the org's template. A key left out (or null) follows the template;
 * `segments`/`layers` null means "all of them"; an empty list means none (the link is unshared).
 */
export const LinkOptionsSchema = Type.Object(
  {
    ...sectionOverrides,
    driver_position: Type.Optional(Nullable(DriverPosition)),
    segments: Type.Optional(Nullable(Type.Array(Type.Integer({ minimum: 0, maximum: 999 }), { maxItems: 1000, uniqueItems: true }))),
    layers: Type.Optional(Nullable(Type.Array(LayerSchema, { maxItems: 3, uniqueItems: true }))),
    photo_ids: Type.Optional(Nullable(Type.Array(Id, { maxItems: 200, uniqueItems: true }))),
  },
  { additionalProperties: false },
);
export type LinkOptions = Static<typeof LinkOptionsSchema>;

export const RecipientSchema = Type.Object({ name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), email: Email }, { additionalProperties: false });

export const LinkCreate = Type.Object(
  {
    recipient: Type.Optional(Nullable(RecipientSchema)),
    options: Type.Optional(LinkOptionsSchema),
    expires_at: Type.Optional(Nullable(Timestamp)),
  },
  { additionalProperties: false },
);
export type LinkCreate = Static<typeof LinkCreate>;

export const LinkPatch = Type.Object(
  { options: Type.Optional(LinkOptionsSchema), expires_at: Type.Optional(Nullable(Timestamp)) },
  { additionalProperties: false },
);
export type LinkPatch = Static<typeof LinkPatch>;

export const LinkState = Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]);
export type LinkState = Static<typeof LinkState>;

export const LinkListQuery = Type.Object(
  { state: Type.Optional(LinkState), shipment_id: Type.Optional(Id), ...ListQuery },
  { additionalProperties: false },
);
export type LinkListQuery = Static<typeof LinkListQuery>;

export const ShipmentIdParams = Type.Object({ id: Id });

/** The links of one shipment: the same filters as /api/v1/links, the shipment in the path. */
export const ShipmentLinksQuery = Type.Object({ state: Type.Optional(LinkState), ...ListQuery }, { additionalProperties: false });

const Iso = Type.String({ format: 'date-time' });

export const TrackingLinkSchema = Type.Object({
  id: Type.String(),
  slug: Type.String({ description: 'A secret: whoever has it sees what the link allows' }),
  url: Type.String(),
  qr_url: Type.String(),
  shipment_id: Type.String(),
  shipment_reference: Type.String(),
  recipient: Nullable(Type.Object({ name: Nullable(Type.String()), email: Type.String() })),
  state: LinkState,
  available: Type.Boolean({ description: 'Whether the public page opens now' }),
  unavailable_reason: Nullable(Type.Union([Type.Literal('billing_locked'), Type.Literal('sharing_disabled'), Type.Literal('unshared')])),
  // The same fields a client sends, so generated clients read back what they wrote.
  options: Type.Object(LinkOptionsSchema.properties, { additionalProperties: false, description: 'The overrides of the org template this link has; a key left out follows the template' }),
  expires_at: Nullable(Iso),
  effective_expires_at: Nullable(Iso),
  created_at: Iso,
  created_by: Nullable(Type.String()),
  updated_at: Iso,
  revoked_at: Nullable(Iso),
  revoked_by: Nullable(Type.String()),
  replaced_by: Nullable(Type.String()),
  first_viewed_at: Nullable(Iso),
  last_viewed_at: Nullable(Iso),
  view_count: Type.Integer(),
}, { $id: 'TrackingLink' });
export const TrackingLinkRef = Type.Ref(TrackingLinkSchema);
export const TrackingLinksPage = Page(TrackingLinkRef);

/** Whether a shipment is publicly tracked, and by which links. */
export const ShipmentTrackingSchema = Type.Object({
  shipment_id: Type.String(),
  public: Type.Boolean({ description: 'Whether at least one link opens now' }),
  general: Nullable(TrackingLinkRef),
  recipient_links: Type.Array(TrackingLinkRef),
  active_count: Type.Integer(),
  sharing_enabled: Type.Boolean(),
  billing_state: Type.String(),
});

export const BackfillResult = Type.Object({
  created: Type.Integer({ description: 'Links created' }),
  checked: Type.Integer({ description: 'Shipments without a general link found' }),
});
