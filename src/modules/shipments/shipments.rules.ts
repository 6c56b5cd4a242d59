// Row builders and cross-field rules for shipments: pure functions, no I/O.
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import type { ShipmentEvent } from './shipments.events.js';
import type { ShipmentChildren } from './shipments.repository.js';
import type { SegmentInput, ShipmentPatch, StopInput } from './shipments.schema.js';

/** The columns every ordered child of a shipment (stop, cargo line, segment) starts with. */
const childOf = (orgId: string, shipmentId: string, seq: number) => ({ id: newId(), org_id: orgId, shipment_id: shipmentId, seq });

export function childRows(orgId: string, shipmentId: string, input: ShipmentPatch): ShipmentChildren {
  return {
    stops: (input.stops ?? []).map((s, seq) => stopRow(orgId, shipmentId, seq, s)),
    cargo: (input.cargo ?? []).map((c, seq) => ({
      ...childOf(orgId, shipmentId, seq),
      description: c.description,
      quantity: c.quantity ?? null,
      packaging: c.packaging ?? null,
      weight_kg: c.weight_kg ?? null,
    })),
    segments: (input.segments ?? []).map((g, seq) => ({
      ...childOf(orgId, shipmentId, seq),
      name: g.name ?? null,
      from_stop: g.from_stop ?? null,
      to_stop: g.to_stop ?? null,
    })),
    contacts: (input.contacts ?? []).map((c) => ({ id: newId(), org_id: orgId, shipment_id: shipmentId, name: c.name ?? null, email: c.email.toLowerCase(), created_at: nowMs() })),
  };
}

/** The stored row of one stop at position `seq` (a new id each time: callers keep an existing one). */
export function stopRow(orgId: string, shipmentId: string, seq: number, s: StopInput) {
  return {
    ...childOf(orgId, shipmentId, seq),
    type: s.type,
    name: s.name ?? null,
    address: s.address ?? null,
    lat: s.lat ?? null,
    lon: s.lon ?? null,
    reference: s.reference ?? null,
    window_start: fromIso(s.window_start),
    window_end: fromIso(s.window_end),
    eta: fromIso(s.eta),
    arrived_at: fromIso(s.arrived_at),
    departed_at: fromIso(s.departed_at),
    contact_name: s.contact?.name ?? null,
    contact_email: s.contact?.email?.toLowerCase() ?? null,
  };
}

export function newShipmentEvent(orgId: string, shipmentId: string, type: ShipmentEvent['type'], data: Record<string, unknown>, at: number): ShipmentEvent {
  return { id: newId(), orgId, shipmentId, type, data, occurredAt: at };
}

export function eventRow(e: ShipmentEvent, createdAt: number) {
  return {
    id: e.id,
    org_id: e.orgId,
    shipment_id: e.shipmentId,
    type: e.type as 'status_changed',
    data: JSON.stringify(e.data),
    occurred_at: e.occurredAt,
    created_at: createdAt,
  };
}

export function etaChange(before: number | null, after: number | null) {
  const minutes = before !== null && after !== null ? Math.round((after - before) / 60000) : null;
  return { from: toIso(before), to: toIso(after), minutes };
}

export function normalizeFields(fields: { key: string; value: string; shareable?: boolean }[] | undefined) {
  return (fields ?? []).map((f) => ({ key: f.key, value: f.value, shareable: f.shareable ?? false }));
}

type StopShape = { lat?: number | null; lon?: number | null; window_start?: string | number | null; window_end?: string | number | null };

/** What is wrong with one stop that its schema cannot tell (`at`: the stop's path in the request). */
export function stopProblems(st: StopShape, at: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if ((st.lat == null) !== (st.lon == null)) problems.push({ path: at, message: 'lat and lon go together' });
  const ws = typeof st.window_start === 'string' ? fromIso(st.window_start) : st.window_start;
  const we = typeof st.window_end === 'string' ? fromIso(st.window_end) : st.window_end;
  if (ws != null && we != null && ws > we) problems.push({ path: `${at}/window_end`, message: 'must not be before window_start' });
  return problems;
}

/** Cross-field rules a JSON schema cannot express; all problems are reported at once. */
export function checkShape(
  s: { current_stage?: number | null },
  stops: StopShape[],
  stages: string[],
  segments?: SegmentInput[],
): void {
  const problems: ErrorDetail[] = [];
  if (s.current_stage != null && s.current_stage >= stages.length) {
    problems.push({ path: 'body/current_stage', message: `must be less than the number of stages (${stages.length})` });
  }
  stops.forEach((st, i) => problems.push(...stopProblems(st, `body/stops/${i}`)));
  (segments ?? []).forEach((g, i) => {
    for (const k of ['from_stop', 'to_stop'] as const) {
      const v = g[k];
      if (v != null && v >= stops.length) problems.push({ path: `body/segments/${i}/${k}`, message: `no stop ${v} (the shipment has ${stops.length})` });
    }
    if (g.from_stop != null && g.to_stop != null && g.from_stop > g.to_stop) problems.push({ path: `body/segments/${i}`, message: 'from_stop must not come after to_stop' });
  });
  if (problems.length) throw AppError.validation('The shipment is not consistent', problems);
}
