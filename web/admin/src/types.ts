// The API's shapes as the admin app reads them, all derived from the generated OpenAPI types
// (generated/api-schema.d.ts, `npm run gen:api-types`): nothing here is declared by hand, so a
// change of a route's schema shows up as a type error in the app, not as drift.
import type { components, operations } from './generated/api-schema';

type Schemas = components['schemas'];
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of an operation's success reply (200 unless given). */
export type Reply<Op extends keyof operations, Status extends keyof operations[Op]['responses'] = 200 & keyof operations[Op]['responses']> = Json<operations[Op]['responses'][Status]>;
/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Item<L> = L extends { items: (infer I)[] } ? I : never;

export type Role = User['role'];
export type ShipmentStatus = Schemas['Shipment']['status'];
export type ShipmentKind = Schemas['Shipment']['kind'];
export type LinkState = Schemas['TrackingLink']['state'];
export type Layer = Schemas['Source']['layer'];

export type Org = Reply<'getOrg'>;
export type User = Item<Reply<'listUsers'>>;
export type Me = Reply<'getCurrentActor'>;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * A shipment as the app shows it: the owner's view, where a partner's view (shared with you)
 * lacks the owner-only fields and names who shared it.
 */
export type Shipment = EitherView<Schemas['Shipment'], Schemas['PartnerShipment']>;
/** A nested object both views have (a stop, a note, the proof of delivery): the partner's fields, with the owner-only ones optional. */
type EitherItem<O, P> = P extends object ? P & Partial<Omit<NonNullable<O>, keyof P>> : P;
/** Fields both views have (lists merged item by item), then either view's own fields as optional. */
type EitherView<O, P> = {
  [K in keyof O & keyof P]: O[K] extends (infer OI)[] ? (P[K] extends (infer PI)[] ? EitherItem<OI, PI>[] : P[K]) : EitherItem<O[K], P[K]>;
} & Partial<Omit<O, keyof P>> &
  Partial<Omit<P, keyof O>>;
export type Stop = Shipment['stops'][number];
export type Field = Schemas['Shipment']['custom_fields'][number];
export type CargoLine = Schemas['Shipment']['cargo'][number];
export type Segment = Schemas['Shipment']['segments'][number];
export type Photo = Schemas['Shipment']['photos'][number];
export type Note = Schemas['Shipment']['notes'][number];
/** What the shipment form sends: the nested shapes of the create body (no ids, no recorded times). */
export type StopInput = NonNullable<Body<'createShipment'>['stops']>[number];
export type CargoInput = NonNullable<Body<'createShipment'>['cargo']>[number];
export type SegmentInput = NonNullable<Body<'createShipment'>['segments']>[number];

export type Partner = Item<Reply<'listPartners'>>;
export type SentInvitation = Item<Reply<'listSentPartnerInvitations'>>;
export type ReceivedInvitation = Item<Reply<'listReceivedPartnerInvitations'>>;

export type LinkTemplate = Reply<'getLinkTemplate'>;
export type DriverPosition = LinkTemplate['driver_position'];
/** A link's overrides of the org template, as the link routes take them. */
export type LinkOptions = NonNullable<Body<'updateTrackingLink'>['options']>;
export type TrackingLink = Schemas['TrackingLink'];
export type SectionKey = Exclude<keyof LinkTemplate, 'driver_position'>;

export type Tracking = Reply<'getShipmentTracking'>;
export type ApiKey = Item<Reply<'listApiKeys'>>;
export type Device = Schemas['Device'];
/** A device with its credentials, as registration and a new token return them (once). */
export type DeviceCredentials = Reply<'createDevice', 201>;
export type Position = Item<Reply<'listShipmentPositions'>>;
/** A device attached to a shipment as one of its layers (kept after detaching, with `until`). */
export type Source = Schemas['Source'];
/** A partner organization a shipment is shared with. */
export type ShipmentShare = Item<Reply<'listShipmentPartners'>>;
