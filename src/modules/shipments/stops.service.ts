// One stop of a shipment at a time (issue 17 item 4): add (append or insert), change, remove, and
// the arrival/departure a driver app reports. Each change locks the shipment for its transaction,
// so concurrent edits of one route run one after the other; a stop keeps its id, arrival and
// departure when others are added or removed around it, and what refers to stops by index
// (segments, pallet scans) moves with them.
import type { ShipmentRow, ShipmentTable, StopRow } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { nowMs } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { ShipmentEventBus, ShipmentEventType } from './shipments.events.js';
import type { Db, ShipmentsRepository } from './shipments.repository.js';
import { newShipmentEvent, stopProblems, stopRow } from './shipments.rules.js';
import type { StopInput } from './shipments.schema.js';
import { stopView, type ShipmentView } from './shipments.view.js';
import { MAX_STOPS, type StopAddInput, type StopEventInput, type StopPatchInput } from './stops.schema.js';
import type { OwnerGate, TimelineService } from './timeline.service.js';
import { recordChanges, tracked } from './change-times.js';

export type StopView = ReturnType<typeof stopView>;

/**
 * The rule of an arrival or departure at a stop: the stop's time, its event, and leaving the
 * first pickup puts a planned (or draft) shipment on the road.
 */
export function arrivalOrDeparture(s: ShipmentRow, stop: StopRow, type: 'stop_arrived' | 'stop_departed', at: number) {
  const events: { type: ShipmentEventType; data: Record<string, unknown> }[] = [{ type, data: { stop_index: stop.seq, stop_id: stop.id, stop_type: stop.type } }];
  const shipment: Partial<ShipmentTable> = {};
  if (type === 'stop_departed' && stop.type === 'pickup' && (s.status === 'planned' || s.status === 'draft')) {
    shipment.status = 'in_transit';
    events.push({ type: 'status_changed', data: { from: s.status, to: 'in_transit' } });
  }
  return { stop: type === 'stop_arrived' ? { arrived_at: at } : { departed_at: at }, shipment, events };
}

/** A stored stop as the request shape, so a partial change can be merged into it and checked whole. */
function asInput(st: StopRow): StopInput {
  const { id: _id, index: _index, ...input } = stopView(st);
  return input;
}

export class StopsService {
  constructor(
    private readonly repo: ShipmentsRepository,
    private readonly gate: OwnerGate,
    private readonly events: ShipmentEventBus,
    private readonly audit: AuditService,
    private readonly timeline: TimelineService,
  ) {}

  /** Appends a stop, or inserts it before the stop at `position` (those after it move up one). */
  async add(actor: Actor, id: string, input: StopAddInput): Promise<StopView> {
    requireRole(actor, 'dispatcher', 'change stops');
    const { position, ...stop } = input;
    const problems = stopProblems(stop, 'body');
    if (problems.length) throw AppError.validation('The stop is not consistent', problems);
    const now = nowMs();
    const row = await this.change(actor, id, now, async (trx, stops) => {
      if (stops.length >= MAX_STOPS) throw AppError.conflict(`A shipment has at most ${MAX_STOPS} stops`);
      const seq = position ?? stops.length;
      if (seq > stops.length) throw AppError.validation('No such position', [{ path: 'body/position', message: `the shipment has ${stops.length} stops: at most ${stops.length}` }]);
      if (seq < stops.length) await this.repo.shiftStopIndexes(trx, actor.orgId, id, seq, 1);
      const added = stopRow(actor.orgId, id, seq, stop);
      await this.repo.insertStop(trx, added);
      return added;
    });
    await this.audit.record(actor, 'shipment.stop_added', { type: 'shipment', id }, { index: row.seq });
    await this.changed(actor, id, now);
    return stopView(row);
  }

  /** Changes the fields sent; the stop keeps its id and position. */
  async update(actor: Actor, id: string, index: number, patch: StopPatchInput): Promise<StopView> {
    requireRole(actor, 'dispatcher', 'change stops');
    const now = nowMs();
    const row = await this.change(actor, id, now, async (trx, stops) => {
      const stop = stops.find((st) => st.seq === index);
      if (!stop) throw AppError.notFound('Stop');
      const merged = { ...asInput(stop), ...patch };
      const problems = stopProblems(merged, 'body');
      if (problems.length) throw AppError.validation('The stop is not consistent', problems);
      const { id: _newId, org_id: _org, shipment_id: _shipment, seq: _seq, ...columns } = stopRow(actor.orgId, id, stop.seq, merged);
      await this.repo.updateStop(trx, actor.orgId, id, stop.seq, columns);
      return { ...stop, ...columns };
    });
    await this.audit.record(actor, 'shipment.stop_updated', { type: 'shipment', id }, { index, fields: Object.keys(patch) });
    await this.changed(actor, id, now);
    return stopView(row);
  }

  /**
   * Removes a stop; those after it move down one. Refused (409) while a segment starts or ends at
   * it, since a link may share that segment: the segment is changed first. Pallet scans at the
   * stop stay, without a stop.
   */
  async remove(actor: Actor, id: string, index: number): Promise<void> {
    requireRole(actor, 'dispatcher', 'change stops');
    const now = nowMs();
    await this.change(actor, id, now, async (trx, stops, segments) => {
      if (!stops.some((st) => st.seq === index)) throw AppError.notFound('Stop');
      const bound = segments.filter((g) => g.from_stop === index || g.to_stop === index);
      if (bound.length) {
        throw AppError.conflict(
          'A segment starts or ends at this stop: change or remove the segment first',
          bound.map((g) => ({ path: `segments/${g.seq}`, message: `runs from stop ${g.from_stop ?? '–'} to stop ${g.to_stop ?? '–'}` })),
        );
      }
      await this.repo.deleteStop(trx, actor.orgId, id, index);
      await this.repo.shiftStopIndexes(trx, actor.orgId, id, index + 1, -1);
    });
    await this.audit.record(actor, 'shipment.stop_removed', { type: 'shipment', id }, { index });
    await this.changed(actor, id, now);
  }

  /** A driver app's "arrived" / "departed" at a stop: the shipment's own stop event, same rules. */
  recordEvent(actor: Actor, id: string, index: number, input: StopEventInput): Promise<ShipmentView> {
    const type = input.type === 'arrived' ? 'stop_arrived' : 'stop_departed';
    return this.timeline.record(actor, id, { type, stop_index: index, occurred_at: input.at }, 'not_found');
  }

  /**
   * Runs `fn` in a transaction with the caller's shipment locked and its current stops and
   * segments, and records what it changed that a partner or link may see (change-times.ts).
   */
  private async change<T>(actor: Actor, id: string, now: number, fn: (trx: Db, stops: StopRow[], segments: { seq: number; from_stop: number | null; to_stop: number | null }[]) => Promise<T>): Promise<T> {
    return this.repo.transaction(async (trx) => {
      const s = await this.gate.requireOwn(actor, id, trx, now);
      const kids = await this.repo.children(actor.orgId, id, trx);
      const result = await fn(trx, kids.stops, kids.segments);
      await recordChanges(this.repo, trx, actor.orgId, id, tracked(s, kids), now);
      return result;
    });
  }

  /** Live views, ETA and partners follow a changed route as they follow any change of the shipment. */
  private changed(actor: Actor, id: string, now: number): Promise<void> {
    return this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
  }
}
