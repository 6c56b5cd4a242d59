// Request and reply schemas of the public (no-auth) routes. A slug is only bounded in length here
// (200, so /t/<150 chars> and its /data, /history… are not a 400): its shape is checked by the
// resolver (links/public-link-resolver.ts), so every malformed slug gets the very same 404 as an
// unknown one.
import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorSchema, Id } from '../../shared/schema.js';
import { LayerSchema } from '../positions/positions.contract.js';

const Slug = Type.String({ maxLength: 200 });
export const SlugParams = Type.Object({ slug: Slug });
export const PhotoParams = Type.Object({ slug: Slug, photoId: Id });
export const AssetParams = Type.Object({ file: Type.String({ maxLength: 80 }) });
export const BaseTileParams = Type.Object({ version: Type.String({ maxLength: 20 }), z: Type.String({ maxLength: 2 }), x: Type.String({ maxLength: 7 }), file: Type.String({ maxLength: 12 }) });
export const BrandQuery = Type.Object({ c: Type.Optional(Type.String({ maxLength: 6 })) });

// ---- replies (documentation and contract: /data and /history are sent as ready JSON) ----

const Iso = Type.String({ format: 'date-time' });
const StopType = Type.Union([Type.Literal('pickup'), Type.Literal('delivery'), Type.Literal('waypoint')]);
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Url = Type.String({ description: 'A path on this server' });
const Picture = Type.Object({ url: Url, caption: Nullable(Type.String()) });
const Field = Type.Object({ key: Type.String(), value: Type.String() });

/** The latest position of each layer a link shows (positions.contract.ts PublicPosition). */
export const PublicPositionSchema = Type.Object(
  {
    layer: LayerSchema,
    lat: Type.Number(),
    lon: Type.Number(),
    recorded_at: Iso,
    speed_mps: Nullable(Type.Number()),
    heading_deg: Nullable(Type.Number()),
    accuracy_m: Nullable(Type.Number()),
  },
  { $id: 'PublicPosition' },
);

/**
 * What a tracking link shows (links/public-view.ts): the fields the link's visibility allows,
 * and no other; optional fields are absent when their section is off.
 */
export const PublicDataSchema = Type.Object(
  {
    org: Type.Object({ name: Type.String(), logo_url: Nullable(Url), brand_color: Nullable(Type.String()), country: Type.String() }),
    kind: Type.Union([Type.Literal('order'), Type.Literal('consignment'), Type.Literal('vehicle'), Type.Literal('tracker_session')]),
    title: Nullable(Type.String()),
    reference: Type.Optional(Type.String()),
    status: Type.Optional(Type.Union(['draft', 'planned', 'in_transit', 'delivered', 'cancelled', 'exception'].map((s) => Type.Literal(s)))),
    delivered_at: Type.Optional(Nullable(Iso)),
    progress: Type.Optional(Type.Object({ stages: Type.Array(Type.String()), current_stage: Nullable(Type.Integer()) })),
    eta: Type.Optional(
      Type.Object({
        at: Nullable(Iso),
        source: Nullable(Type.Union([Type.Literal('manual'), Type.Literal('computed')])),
        calculated_at: Nullable(Iso),
        window: Nullable(Type.Object({ start: Nullable(Iso), end: Nullable(Iso) })),
        delivered_at: Nullable(Iso),
      }),
    ),
    customer_reference: Type.Optional(Nullable(Type.String())),
    container_number: Type.Optional(Nullable(Type.String())),
    transport_service: Type.Optional(Nullable(Type.String())),
    custom_fields: Type.Optional(Type.Array(Field)),
    extra_fields: Type.Optional(Type.Array(Field)),
    stops: Type.Optional(
      Type.Array(
        Type.Object({
          index: Type.Integer(),
          type: StopType,
          name: Nullable(Type.String()),
          address: Nullable(Type.String()),
          reference: Type.Optional(Nullable(Type.String())),
          window_start: Type.Optional(Nullable(Iso)),
          window_end: Type.Optional(Nullable(Iso)),
          eta: Type.Optional(Nullable(Iso)),
          arrived_at: Nullable(Iso),
          departed_at: Nullable(Iso),
        }),
      ),
    ),
    cargo: Type.Optional(Type.Array(Type.Object({ description: Type.String(), quantity: Nullable(Type.Number()), packaging: Nullable(Type.String()), weight_kg: Nullable(Type.Number()) }))),
    pallet_scans: Type.Optional(
      Type.Array(
        Type.Object({
          cargo_index: Nullable(Type.Integer()),
          stop_index: Nullable(Type.Integer()),
          event: Type.String(),
          code: Nullable(Type.String()),
          place: Nullable(Type.String()),
          scanned_at: Nullable(Iso),
        }),
      ),
    ),
    hero_photo: Type.Optional(Nullable(Picture)),
    photos: Type.Array(Picture),
    notes: Type.Optional(Type.Array(Type.Object({ body: Type.String(), created_at: Nullable(Iso) }))),
    proof_of_delivery: Type.Optional(Nullable(Type.Object({ url: Url, content_type: Nullable(Type.String()), signed_by: Nullable(Type.String()), captured_at: Nullable(Iso) }))),
    map: Type.Object({
      shown: Type.Boolean(),
      layers: Type.Array(LayerSchema),
      history: Type.Boolean(),
      segments: Type.Array(Type.Object({ index: Type.Integer(), name: Nullable(Type.String()) })),
      markers: Type.Array(Type.Object({ type: StopType, lat: Type.Number(), lon: Type.Number(), label: Nullable(Type.String()), number: Type.Integer({ description: 'Shown on the marker and in the legend' }) })),
      next_stop: Nullable(Type.Integer({ description: 'The number of the marker the vehicle heads to (the dashed line), or null' })),
    }),
    timeline: Type.Array(
      Type.Object({
        at: Iso,
        type: Type.Union(['created', 'picked_up', 'departed', 'arrived', 'delivered', 'status', 'stage', 'scan', 'pod'].map((t) => Type.Literal(t))),
        stop: Type.Optional(Type.Object({ index: Type.Integer(), type: StopType, name: Nullable(Type.String()) })),
        status: Type.Optional(Type.String()),
        stage: Type.Optional(Type.String()),
        scan: Type.Optional(Type.Object({ event: Type.String(), code: Nullable(Type.String()), place: Nullable(Type.String()) })),
      }),
      { description: 'What happened, newest first (at most 100 entries), only from what the link shows: its stop times, stages, status, scans and proof of delivery' },
    ),
    updated_at: Nullable(Iso),
    positions: Type.Array(Type.Ref(PublicPositionSchema)),
  },
  { $id: 'PublicData' },
);

/** `/t/{slug}/history`: per layer, points as [epoch ms, lat, lon], oldest first. */
export const PublicHistorySchema = Type.Object({
  layers: Type.Array(
    Type.Object({
      layer: LayerSchema,
      points: Type.Array(Type.Array(Type.Number(), { minItems: 3, maxItems: 3, description: '[epoch ms, lat, lon]' })),
      total: Type.Integer(),
      downsampled: Type.Boolean(),
    }),
  ),
  from: Nullable(Iso),
  to: Nullable(Iso),
});

/** The one body of every unavailable link: 404 (unknown, revoked, …) or 410 (expired). */
export const publicErrors = { 404: Type.Ref(ErrorSchema), 410: Type.Ref(ErrorSchema) };
