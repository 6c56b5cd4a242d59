// A shipment's timeline: its events, oldest first, and recording one (status, stop arrival or
// departure, stage, ETA) with the changes it makes. The shipment's event route and a stop's
// (stops.service.ts) both record through here, so status, ETA, notifications and live updates
// follow a driver app's "arrived" exactly as they follow the same event sent for the shipment.
import type { DbTransaction, ShipmentRow, ShipmentTable } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { ShipmentEvent, ShipmentEventBus } from './shipments.events.js';
import type { ShipmentsRepository } from './shipments.repository.js';
import { etaChange, eventRow, newShipmentEvent } from './shipments.rules.js';
import type { ShipmentEventInput } from './shipments.schema.js';
import { shipmentView, type ShipmentView } from './shipments.view.js';
import { arrivalOrDeparture } from './stops.service.js';
import { recordChanges, tracked } from './change-times.js';

/** Who may change a shipment: its owner; a partner it was shared with gets 403, anyone else 404 (ShipmentsService). */
export interface OwnerGate {
  /** With `lockAt`, inside a write transaction: the shipment stays locked until it ends. */
  requireOwn(actor: Actor, id: string, trx?: DbTransaction, lockAt?: number): Promise<ShipmentRow>;
}

export class TimelineService {
  constructor(
    private readonly repo: ShipmentsRepository,
    private readonly gate: OwnerGate,
    private readonly events: ShipmentEventBus,
    private readonly audit: AuditService,
  ) {}

  /** The shipment's timeline, oldest first. */
  async list(actor: Actor, id: string, q: { limit?: number; cursor?: string }) {
    await this.gate.requireOwn(actor, id);
    const limit = q.limit ?? 50;
    const p = page(await this.repo.pageEvents(actor.orgId, id, decodeCursor(q.cursor), limit), limit, (e) => ({ at: e.occurred_at, id: e.id }));
    return {
      items: p.items.map((e) => ({ id: e.id, type: e.type, data: JSON.parse(e.data) as Record<string, unknown>, occurred_at: toIso(e.occurred_at), created_at: toIso(e.created_at) })),
      next_cursor: p.next_cursor,
    };
  }

  /**
   * Records an event and applies what it changes, in one transaction with the shipment locked.
   * A stop index the shipment lacks is a 400 on `body/stop_index`, or a 404 when the stop is in
   * the path (`missingStop: 'not_found'`).
   */
  async record(actor: Actor, id: string, input: ShipmentEventInput, missingStop: 'invalid' | 'not_found' = 'invalid'): Promise<ShipmentView> {
    requireRole(actor, 'dispatcher', 'record shipment events');
    const now = nowMs();
    const at = fromIso(input.occurred_at) ?? now;
    const event = (type: ShipmentEvent['type'], data: Record<string, unknown>) => newShipmentEvent(actor.orgId, id, type, data, at);
    const raised: ShipmentEvent[] = [];
    await this.repo.transaction(async (trx) => {
      const s = await this.gate.requireOwn(actor, id, trx, now);
      const kids = await this.repo.children(actor.orgId, id, trx);
      const stopAt = (index: number) => {
        const stop = kids.stops.find((st) => st.seq === index);
        if (stop) return stop;
        if (missingStop === 'not_found') throw AppError.notFound('Stop');
        throw AppError.validation('No stop with this index', [{ path: 'body/stop_index', message: `the shipment has ${kids.stops.length} stops` }]);
      };
      const set: Partial<ShipmentTable> = { updated_at: now };
      if (input.type === 'status_changed') {
        if (input.status !== s.status) {
          set.status = input.status;
          if (input.status === 'delivered') set.delivered_at = at;
          raised.push(event('status_changed', { from: s.status, to: input.status }));
        }
      } else if (input.type === 'stop_arrived' || input.type === 'stop_departed') {
        const stop = stopAt(input.stop_index);
        const change = arrivalOrDeparture(s, stop, input.type, at);
        await this.repo.updateStop(trx, actor.orgId, id, stop.seq, change.stop);
        Object.assign(set, change.shipment);
        raised.push(...change.events.map((e) => event(e.type, e.data)));
      } else if (input.type === 'stage_changed') {
        const stages = JSON.parse(s.stages) as string[];
        if (input.current_stage >= stages.length) {
          throw AppError.validation('No stage with this index', [{ path: 'body/current_stage', message: `the shipment has ${stages.length} stages` }]);
        }
        set.current_stage = input.current_stage;
        raised.push(event('stage_changed', { from: s.current_stage, to: input.current_stage }));
      } else if (input.type === 'eta_changed') {
        const eta = fromIso(input.eta);
        if (input.stop_index !== undefined) {
          const stop = stopAt(input.stop_index);
          await this.repo.updateStop(trx, actor.orgId, id, stop.seq, { eta });
          raised.push(event('eta_changed', { ...etaChange(stop.eta, eta), stop_index: stop.seq }));
        } else {
          set.eta = eta;
          set.eta_source = eta === null ? null : 'manual';
          set.eta_calculated_at = eta === null ? null : now;
          raised.push(event('eta_changed', etaChange(s.eta, eta)));
        }
      }
      await this.repo.update(trx, actor.orgId, id, set);
      await recordChanges(this.repo, trx, actor.orgId, id, tracked(s, kids), now);
      for (const e of raised) await this.repo.insertEvent(trx, eventRow(e, now));
      await this.events.runInTransaction(trx, raised);
    });
    await this.audit.record(actor, 'shipment.event', { type: 'shipment', id }, { event: input.type });
    await this.events.runAfterCommit([...raised, newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    const s = await this.repo.find(actor.orgId, id);
    if (!s) throw AppError.notFound('Shipment');
    return shipmentView(s, await this.repo.children(actor.orgId, id));
  }
}
