// Retention of positions: which orgs keep them how long, and the bounded purge of old rows
// (retention.ts runs it). The one rule of what a shipment still needs is here too.
import { sql, type Expression, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export class RetentionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  orgRetention() {
    return this.db.selectFrom('orgs').select(['id', 'position_retention_days']).execute();
  }

  /**
   * Deletes up to `limit` of an org's positions older than cutoff unless a shipment still needs
   * them: one the device feeds that is not finished, or finished (delivered/cancelled) after the
   * cutoff. Bounded so that each statement stays short (statement timeout, locks); the retention
   * job repeats it until fewer than `limit` go.
   */
  async purge(orgId: string, cutoff: number, limit = 5000): Promise<number> {
    const doomed = this.db
      .selectFrom('positions')
      .select(['positions.device_id', 'positions.recorded_at'])
      .where('positions.org_id', '=', orgId)
      .where('positions.recorded_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sources')
              .innerJoin('shipments', 'shipments.id', 'sources.shipment_id')
              .select(sql<number>`1`.as('one'))
              .whereRef('sources.device_id', '=', 'positions.device_id')
              .where((eb) => shipmentNeedsPositions(eb, cutoff)),
          ),
        ),
      )
      .limit(limit);
    const r = await this.db
      .deleteFrom('positions')
      .where((eb) => eb(eb.refTuple('device_id', 'recorded_at'), 'in', doomed.$asTuple('device_id', 'recorded_at')))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/**
 * A shipment that still needs the positions of the devices feeding it at retention's `cutoff`:
 * not finished, or finished (delivered/cancelled) at or after the cutoff. The row purge (RetentionRepository.purge) and
 * the partition drop (partitions.repository.ts) keep positions by this one rule.
 */
export function shipmentNeedsPositions(eb: ExpressionBuilder<Database, 'shipments'>, cutoff: number | Expression<number>) {
  return eb.or([
    eb.and([eb('shipments.status', 'not in', ['delivered', 'cancelled']), eb('shipments.delivered_at', 'is', null)]),
    eb('shipments.delivered_at', '>=', cutoff),
    eb.and([eb('shipments.status', '=', 'cancelled'), eb('shipments.updated_at', '>=', cutoff)]),
  ]);
}
