// Domain events of a shipment. Listeners that must be atomic with the change (e.g. the
// notification outbox) run inside its transaction; the rest run after commit.
import type { DbTransaction, ShipmentEventTable } from '../../db/schema.js';

export type ShipmentEventType = ShipmentEventTable['type'] | 'shipment_updated' | 'shipment_deleted';

export interface ShipmentEvent {
  id: string;
  orgId: string;
  shipmentId: string;
  type: ShipmentEventType;
  data: Record<string, unknown>;
  occurredAt: number;
}

export type InTransactionListener = (trx: DbTransaction, event: ShipmentEvent) => Promise<void>;
export type AfterCommitListener = (event: ShipmentEvent) => void | Promise<void>;

export class ShipmentEventBus {
  private readonly inTx: InTransactionListener[] = [];
  private readonly after: AfterCommitListener[] = [];
  private errorLog: (err: unknown) => void = () => {};

  onInTransaction(listener: InTransactionListener): void {
    this.inTx.push(listener);
  }
  onAfterCommit(listener: AfterCommitListener): void {
    this.after.push(listener);
  }
  setErrorLog(log: (err: unknown) => void): void {
    this.errorLog = log;
  }

  async runInTransaction(trx: DbTransaction, events: ShipmentEvent[]): Promise<void> {
    for (const e of events) for (const l of this.inTx) await l(trx, e);
  }

  /** After-commit listeners must not fail the request that already committed. */
  async runAfterCommit(events: ShipmentEvent[]): Promise<void> {
    for (const e of events) {
      for (const l of this.after) {
        try {
          await l(e);
        } catch (err) {
          this.errorLog(err);
        }
      }
    }
  }
}
