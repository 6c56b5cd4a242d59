import { Type, type Static } from '@sinclair/typebox';

export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const BrandColor = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
/** An org's public handle: what partners type to invite it (stored lowercase). */
export const HANDLE_PATTERN = '[A-Za-z0-9][A-Za-z0-9-]{1,30}[A-Za-z0-9]';
export const Handle = Type.String({
  pattern: `^${HANDLE_PATTERN}$`,
  description: '3-32 letters, digits or hyphens, not starting or ending with a hyphen; case-insensitive',
});

export const OrgSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  country: Type.String(),
  time_zone: Type.String({ description: "IANA time zone of the org's country (UTC where one zone does not cover it): tracking pages and the admin app show times in it" }),
  brand_color: Type.Union([Type.String(), Type.Null()]),
  logo_url: Type.Union([Type.String(), Type.Null()]),
  billing_state: Type.Union([Type.Literal('active'), Type.Literal('locked')]),
  sharing_enabled: Type.Boolean(),
  auto_create_links: Type.Boolean(),
  link_inactivity_days: Type.Integer(),
  position_retention_days: Type.Integer(),
  handle: Type.Union([Type.String(), Type.Null()], { description: 'Public handle partners invite this organization by' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const OrgPatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    country: Type.Optional(CountryCode),
    brand_color: Type.Optional(Type.Union([BrandColor, Type.Null()])),
    billing_state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('locked')])),
    sharing_enabled: Type.Optional(Type.Boolean()),
    auto_create_links: Type.Optional(Type.Boolean()),
    link_inactivity_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    position_retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    handle: Type.Optional(Type.Union([Handle, Type.Null()])),
  },
  { additionalProperties: false },
);
export type OrgPatch = Static<typeof OrgPatchSchema>;

export const OrgCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  country: CountryCode,
});
