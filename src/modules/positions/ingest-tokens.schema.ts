// Shapes of ingest tokens (the admin API) and of the Traccar forwarding endpoint's reply.
import { Type } from '@sinclair/typebox';
import { FreeJson, Nullable, Page } from '../../shared/schema.js';

const Iso = Type.String({ format: 'date-time' });

export const IngestTokenCreate = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }, { additionalProperties: false });

export const IngestTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, to tell tokens apart' }),
  created_by: Nullable(Type.String()),
  created_at: Iso,
  last_used_at: Nullable(Iso),
  revoked_at: Nullable(Iso),
});
export const IngestTokensPage = Page(IngestTokenSchema);

export const IngestTokenCreated = Type.Object({
  ...IngestTokenSchema.properties,
  token: Type.String({ description: 'The secret, shown only in this reply' }),
  traccar: Type.Object({
    forward_url: Type.String({ description: 'traccar.xml: forward.url' }),
    forward_header: Type.String({ description: 'traccar.xml: forward.header' }),
  }),
});

export const TraccarReply = Type.Object({
  result: Type.Union([Type.Literal('stored'), Type.Literal('duplicate'), Type.Literal('ignored')]),
  reason: Type.Optional(Type.String({ description: 'Why an ignored position was not stored (no GPS fix, outdated, out of range)' })),
});

export const TraccarBody = FreeJson(Type.Unknown({
  description:
    'Traccar’s PositionData as its JSON position forwarder sends it: {"position":{"fixTime","latitude","longitude","speed" (knots),"course","altitude","accuracy","valid","outdated","attributes":{"batteryLevel"…},…},"device":{"uniqueId",…}}',
}));
