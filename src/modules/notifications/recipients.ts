// Which contact tasks an event fires, and who receives each resulting email. Pure functions, so
// the in-transaction listener and the recalculation agree exactly (and share dedupe keys).
import type { TaskRow } from './notifications.repository.js';
import type { Trigger } from './notifications.schema.js';

export interface StopContact {
  seq: number;
  contact_name: string | null;
  contact_email: string | null;
}
export interface ShipmentContact {
  name: string | null;
  email: string;
}
export interface Delivery {
  /** The stop the email is about ({{stop.*}}), or null for "the next stop". */
  stopIndex: number | null;
  name: string | null;
  email: string;
  dedupeKey: string;
}

export const isTrigger = (type: string): type is Trigger =>
  type === 'shipment_created' || type === 'status_changed' || type === 'stop_arrived' || type === 'stop_departed' || type === 'eta_changed';

export const eventStopIndex = (data: Record<string, unknown>): number | null => (typeof data.stop_index === 'number' ? data.stop_index : null);

export function taskFires(task: Pick<TaskRow, 'trigger' | 'status' | 'eta_change_minutes' | 'level'>, type: string, data: Record<string, unknown>): boolean {
  if (task.trigger !== type) return false;
  if (type === 'status_changed') return task.status === null || data.to === task.status;
  if (type === 'eta_changed') {
    // A stop-level task follows stop ETAs; a shipment-level task follows the shipment's ETA.
    if ((task.level === 'stop') !== (eventStopIndex(data) !== null)) return false;
    return typeof data.minutes === 'number' && Math.abs(data.minutes) > (task.eta_change_minutes ?? 0);
  }
  return true;
}

/**
 * Stop level: one email per stop the event concerns (its stop, or every stop for shipment-wide
 * events), each about that stop. Shipment level: one email per address; a stop contact's email is
 * about their own stop. The dedupe key (task, event, stop, address) is what makes delivery at most once.
 */
export function deliveriesFor(task: Pick<TaskRow, 'id' | 'level' | 'recipients'>, eventId: string, stopIndex: number | null, stops: StopContact[], contacts: ShipmentContact[]): Delivery[] {
  const recipients = JSON.parse(task.recipients) as string[];
  const concerned = stopIndex === null ? stops : stops.filter((s) => s.seq === stopIndex);
  const out = new Map<string, Delivery>();
  const add = (about: number | null, name: string | null, email: string | null) => {
    if (!email) return;
    const address = email.toLowerCase();
    const stopKey = task.level === 'stop' ? String(about) : '-';
    const dedupeKey = `email:${task.id}:${eventId}:${stopKey}:${address}`;
    if (!out.has(dedupeKey)) out.set(dedupeKey, { stopIndex: about, name, email: address, dedupeKey });
  };
  const others = (about: number | null) => {
    for (const r of recipients) {
      if (r === 'shipment_contacts') for (const c of contacts) add(about, c.name, c.email);
      else if (r !== 'stop_contact') add(about, null, r);
    }
  };
  if (task.level === 'stop') {
    for (const st of concerned) {
      if (recipients.includes('stop_contact')) add(st.seq, st.contact_name, st.contact_email);
      others(st.seq);
    }
  } else {
    if (recipients.includes('stop_contact')) for (const st of concerned) add(st.seq, st.contact_name, st.contact_email);
    others(stopIndex);
  }
  return [...out.values()];
}
