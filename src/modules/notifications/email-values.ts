// What an email to a tracking link's recipient may say. Its variables are read from that link's
// public view (links/public-view.ts, built from the link's LinkPolicy): whatever the recipient's
// page does not show, the email does not say either; the variable renders empty. The template
// preview names such variables, so an editor sees why a value is missing.
import type { Org } from '../../db/schema.js';
import { publicShipment } from '../links/public-view.js';
import type { LinkPolicy, ShownFields } from '../links/visibility.js';
import type { ShipmentView } from '../shipments/shipments.view.js';
import { formatTime, statusWords, TEMPLATE_VARIABLES, type TemplateParts, type TemplateValues, type VariableName } from './render.js';

/**
 * The stop an email talks about: the one its event named, else the next stop not yet reached
 * (what a recipient most likely cares about), else the last one.
 */
export function stopFor(shipment: ShipmentView, stopIndex: number | null) {
  if (stopIndex !== null) return shipment.stops.find((s) => s.index === stopIndex) ?? null;
  return shipment.stops.find((s) => !s.arrived_at) ?? shipment.stops[shipment.stops.length - 1] ?? null;
}

export function templateValues(org: Org, shipment: ShipmentView, policy: LinkPolicy, stopIndex: number | null, recipientName: string | null, trackingLink: string): TemplateValues {
  // The same view the recipient's page and /data show; the base only shapes URLs no variable uses.
  const view = publicShipment(shipment, org, policy, '');
  const chosen = stopFor(shipment, stopIndex);
  const stop = chosen ? (view.stops?.find((s) => s.index === chosen.index) ?? null) : null;
  return {
    'shipment.tracking_link': trackingLink,
    'shipment.reference': view.reference ?? '',
    'shipment.title': view.title ?? '',
    'shipment.status': view.status ? statusWords(view.status) : '',
    'shipment.eta': formatTime(view.eta?.at),
    'stop.name': stop?.name ?? '',
    'stop.address': stop?.address ?? '',
    'stop.eta': formatTime(stop?.eta),
    'recipient.name': recipientName ?? '',
    'org.name': org.name,
  };
}

const FIELD_WORDS: Record<keyof ShownFields, string> = {
  reference: 'the shipment reference',
  status: 'the status',
  stage: 'the progress stage',
  eta: 'the estimated arrival',
  stops: 'the stops',
  stopTimes: 'stop arrival and departure times',
  stopEstimates: "the stops' estimated times",
  stopReferences: 'stop references',
};

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Variables the template uses that render empty because the policy's link does not show their part. */
export function hiddenVariables(parts: TemplateParts, policy: LinkPolicy): { variable: VariableName; message: string }[] {
  const used = new Set<string>();
  for (const key of ['subject', 'html', 'text'] as const) for (const m of parts[key].matchAll(TAG)) used.add(m[1]);
  const out: { variable: VariableName; message: string }[] = [];
  for (const v of TEMPLATE_VARIABLES) {
    if (!used.has(v.name) || v.shows === null || policy.fields[v.shows]) continue;
    out.push({ variable: v.name, message: `{{${v.name}}} renders empty: the recipient's tracking link does not show ${FIELD_WORDS[v.shows]} (link template), so the email does not say it either` });
  }
  return out;
}
