// The partners part of `npm start`: a courier org connected to the demo org the way users do it
// (a handle, an invitation, an acceptance), with ORD-2041 shared with it, so signing in as the
// courier shows a shipment another org shared: its tracking, none of Acme's private data.
import { createOrgWithOwner } from '../orgs/bootstrap.js';
import { cliActor, type Actor } from '../auth/roles.js';
import type { DemoState } from '../../demo/demo.js';
import type { Services } from '../../services.js';

export interface PartnerDemoState {
  partner?: { org_name: string; owner_email: string; owner_password: string };
}

export async function partnersDemo(services: Services, actor: Actor, state: DemoState): Promise<void> {
  const courier = await createOrgWithOwner(services, { name: 'Rijn Couriers', country: 'NL', ownerEmail: 'owner@rijn-couriers.example' });
  const courierActor = cliActor(courier.org_id);
  await services.orgs.update(actor, { handle: 'acme-haulage' });
  await services.orgs.update(courierActor, { handle: 'rijn-couriers' });
  await services.partners.invite(actor, { handle: 'rijn-couriers' });
  const [invitation] = (await services.partners.received(courierActor, {})).items;
  await services.partners.accept(courierActor, invitation.id);
  await services.partners.shareShipment(actor, state.shipments.order, courier.org_id);
  (state as DemoState & PartnerDemoState).partner = { org_name: 'Rijn Couriers', owner_email: courier.owner_email, owner_password: courier.owner_password };
}

/** The line `npm start` prints for the partner org. */
export const partnerDemoLines = (state: DemoState): string[] => {
  const p = (state as DemoState & PartnerDemoState).partner;
  return p ? [`  Partner:     ${p.org_name} sees ORD-2041 shared by Acme   (sign in as ${p.owner_email} / ${p.owner_password})`] : [];
};
