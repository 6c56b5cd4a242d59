// The links part of `npm start`: the demo org auto-creates a general link for every shipment;
// this picks photos and notes for the vehicle's link and records the URLs the demo prints.
import type { Actor } from '../auth/roles.js';
import type { DemoState } from '../../demo/demo.js';
import type { Services } from '../../services.js';

export async function linksDemo(services: Services, actor: Actor, state: DemoState): Promise<void> {
  const links: Record<string, string> = {};
  for (const [name, shipmentId] of Object.entries(state.shipments)) {
    const t = await services.links.tracking(actor, shipmentId);
    let general = t.general;
    if (!general) general = await services.links.create(actor, shipmentId, {});
    if (name === 'vehicle') {
      const s = await services.shipments.viewFor(actor.orgId, shipmentId);
      const photoIds = (s?.photos ?? []).slice(1).map((p) => p.id);
      general = await services.links.update(actor, general.id, { options: { photo_ids: photoIds, customer_notes: true } });
    }
    if (name === 'consignment') {
      general = await services.links.update(actor, general.id, { options: { customer_notes: true, custom_fields: true, container_number: true } });
    }
    links[name] = general.url;
  }
  (state as DemoState & { links?: Record<string, string> }).links = links;
}
