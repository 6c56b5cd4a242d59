// Request shapes for one stop of a shipment (issue 17 item 4): add, change, remove, and the
// arrival/departure a driver app reports. The reply is the stop (StopSchema) or the shipment.
import { Type, type Static } from '@sinclair/typebox';
import { Id, Timestamp } from '../../shared/schema.js';
import { StopInput } from './shipments.schema.js';

/** A shipment has at most this many stops, as in the whole `stops` array of a shipment. */
export const MAX_STOPS = 100;

export const StopIndexParams = Type.Object(
  { id: Id, index: Type.Integer({ minimum: 0, maximum: 10_000, description: "The stop's position in the route, from 0 (its `index`)" }) },
  { additionalProperties: false },
);

export const StopAddInput = Type.Object(
  {
    ...StopInput.properties,
    position: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_STOPS, description: 'Insert before the stop at this index (later stops move up one); default: append after the last stop' }),
    ),
  },
  { additionalProperties: false },
);
export type StopAddInput = Static<typeof StopAddInput>;

export const StopPatchInput = Type.Partial(StopInput, { additionalProperties: false, minProperties: 1, description: 'Only the fields sent change; `contact` is replaced whole' });
export type StopPatchInput = Static<typeof StopPatchInput>;

export const StopEventInput = Type.Object(
  {
    type: Type.Union([Type.Literal('arrived'), Type.Literal('departed')]),
    at: Type.Optional({ ...Timestamp, description: 'When it happened (ISO 8601); default: now' }),
  },
  { additionalProperties: false },
);
export type StopEventInput = Static<typeof StopEventInput>;
