// Request and response shapes for partner organizations, invitations and shipment shares.
import { Type, type Static } from '@sinclair/typebox';
import { Email, Id, ListQuery, Nullable, Page } from '../../shared/schema.js';
import { HANDLE_PATTERN } from '../orgs/orgs.schema.js';

const Iso = Type.String({ format: 'date-time' });

export const InvitationCreate = Type.Union(
  [
    Type.Object({ handle: Type.String({ pattern: `^@?${HANDLE_PATTERN}$`, description: 'e.g. "acme-haulage" or "@acme-haulage"' }) }, { additionalProperties: false }),
    Type.Object({ email: Email }, { additionalProperties: false }),
  ],
  { description: "The partner organization's public handle (with or without @), or the email of one of its owners or admins" },
);
export type InvitationCreate = Static<typeof InvitationCreate>;

export const PartnerOrg = Type.Object({ org_id: Type.String(), name: Type.String(), handle: Nullable(Type.String()) });

export const Partner = Type.Object({ ...PartnerOrg.properties, since: Iso });

export const SentInvitation = Type.Object({
  id: Type.String(),
  address: Type.String({ description: 'What you typed: "@handle" or an email' }),
  state: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('withdrawn'), Type.Literal('expired')], {
    description: 'A declined invitation stays pending here until it expires, like one nobody answered: the inviter never learns that an address named an organization unless it accepts',
  }),
  created_at: Iso,
  expires_at: Iso,
  responded_at: Nullable(Iso),
  partner: Type.Union([PartnerOrg, Type.Null()], { description: 'The organization, once it accepted' }),
});

export const InvitationSent = Type.Object({ ...SentInvitation.properties, message: Type.String() });

export const ReceivedInvitation = Type.Object({
  id: Type.String(),
  from: PartnerOrg,
  address: Type.String({ description: 'How you were addressed: your handle or one of your admins' }),
  created_at: Iso,
  expires_at: Iso,
});

export const PartnersPage = Page(Partner);
export const SentPage = Page(SentInvitation);
export const ReceivedPage = Page(ReceivedInvitation);
export const ListOnlyQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const ShipmentShareInput = Type.Object({ partner_org_id: Id }, { additionalProperties: false });
export const ShipmentShare = Type.Object({ ...PartnerOrg.properties, partner_org_id: Type.String(), created_at: Iso });
export const ShipmentShares = Type.Object({ items: Type.Array(ShipmentShare) });
export const ShipmentSharesPage = Page(ShipmentShare);
