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
   * The end (exclusive) of the next purge step: the recorded_at `rows` positions into the org's
   * positions from `from` on (null: from the first), read from the (org_id, recorded_at) index;
   * `cutoff` when fewer remain before it. A step always moves on (ties: at least 1 ms).
   */
  async purgeStepEnd(orgId: string, from: number | null, cutoff: number, rows: number): Promise<number> {
    let q = this.db.selectFrom('positions').select('recorded_at').where('org_id', '=', orgId).where('recorded_at', '<', cutoff);
    if (from !== null) q = q.where('recorded_at', '>=', from);
    const r = await q.orderBy('recorded_at').limit(1).offset(rows).executeTakeFirst();
    if (!r) return cutoff;
    const end = Number(r.recorded_at);
    return from !== null && end <= from ? from + 1 : end;
  }

  /**
   * Deletes an org's positions recorded in [range.from, range.to) (range.to at most the cutoff)
   * unless a shipment still needs them: one the device feeds that is not finished, or finished
   * (delivered/cancelled) after the cutoff. The retention job walks the expired range in steps
   * (purgeStepEnd), so each statement stays short (statement timeout, locks) and reads only its
   * own range: never the rows earlier steps deleted (dead until vacuum) or kept.
   */
  async purge(orgId: string, cutoff: number, range: { from: number | null; to: number }): Promise<number> {
    let q = this.db
      .deleteFrom('positions')
      .where('positions.org_id', '=', orgId)
      .where('positions.recorded_at', '<', Math.min(range.to, cutoff))
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
      );
    if (range.from !== null) q = q.where('positions.recorded_at', '>=', range.from);
    const r = await q.executeTakeFirst();
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
