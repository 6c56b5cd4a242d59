// The tenant-wide link template: the default visibility of every shareable section.
// Link options override it key by key (see visibility.ts).
import { Type, type Static } from '@sinclair/typebox';

export const DriverPosition = Type.Union([Type.Literal('always'), Type.Literal('en_route_to_delivery'), Type.Literal('never')]);

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

const sectionProps = Object.fromEntries(SECTION_KEYS.map((k) => [k, Type.Boolean()])) as Record<SectionKey, ReturnType<typeof Type.Boolean>>;

export const LinkTemplateSchema = Type.Object(
  { ...sectionProps, driver_position: DriverPosition },
  { additionalProperties: false },
);
export type LinkTemplate = Static<typeof LinkTemplateSchema>;

/** PUT accepts a partial template: keys not sent keep their current value. */
export const LinkTemplatePatchSchema = Type.Partial(Type.Object({ ...sectionProps, driver_position: DriverPosition }), {
  additionalProperties: false,
});

export const DEFAULT_LINK_TEMPLATE: LinkTemplate = Object.freeze({
  status: true,
  progress: true,
  eta: true,
  // The shipment's own reference: what a recipient quotes when they call (AfterShip, Onfleet and
  // DHL always show one).
  reference: true,
  stops: true,
  stop_references: true,
  estimated_times: true,
  cargo: true,
  pallet_scans: true,
  customer_reference: false,
  container_number: false,
  transport_service: false,
  custom_fields: false,
  extra_fields: false,
  hero_photo: true,
  customer_notes: false,
  proof_of_delivery: true,
  map: true,
  history: true,
  driver_position: 'en_route_to_delivery',
});

/** A stored template, completed with defaults for keys added after it was saved. */
export function parseTemplate(json: string): LinkTemplate {
  const stored = JSON.parse(json) as Partial<LinkTemplate>;
  return { ...DEFAULT_LINK_TEMPLATE, ...stored };
}
