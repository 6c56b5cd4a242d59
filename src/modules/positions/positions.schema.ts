// Request shapes for devices, sources and ingestion. Positions inside a batch are validated one
// by one in the service (bad ones are reported by index, good ones kept), so the batch schema
// only fixes the envelope.
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, Timestamp } from '../../shared/schema.js';

export const LayerSchema = Type.Union([Type.Literal('driver'), Type.Literal('cargo'), Type.Literal('tracker')]);

export const DeviceCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    external_id: Type.Optional(
      Type.String({
        minLength: 6,
        maxLength: 200,
        pattern: '^[A-Za-z0-9._:@-]+$',
        description: 'Unique within the org. Leave out for a generated one, which alone may authenticate on the bare /ingest/osmand; a device with a chosen id sends to its osmand_url (/ingest/osmand/<token>)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceCreate = Static<typeof DeviceCreate>;

export const SourceCreate = Type.Object(
  { device_id: Id, layer: LayerSchema, segment: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1000 }))) },
  { additionalProperties: false },
);

export const PositionBatch = Type.Object(
  { positions: Type.Array(Type.Unknown(), { description: 'Up to 1,000 positions: {device_id, recorded_at, lat, lon, accuracy_m?, speed_mps?, heading_deg?, altitude_m?, battery_pct?}' }) },
  { additionalProperties: false },
);

export const PartnerPositionBatch = Type.Object(
  { layer: Type.Optional(LayerSchema), positions: Type.Array(Type.Unknown()) },
  { additionalProperties: false },
);

export const ShipmentPositionsQuery = Type.Object(
  { from: Type.Optional(Timestamp), to: Type.Optional(Timestamp), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })) },
  { additionalProperties: false },
);

export const HistoryQuery = Type.Object(
  { layer: Type.Optional(LayerSchema), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) },
  { additionalProperties: false },
);

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) });

/** The device token in `/ingest/osmand/<token>`; any string, so a wrong one gets the same answer as an unknown id. */
export const DeviceTokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/** OsmAnd parameters arrive as strings (query or form); anything else is ignored, not refused. */
export const OsmandParams = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 500 }))]));

export const IngestResultSchema = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String() })),
});
