// The org condition of a query that also names a more selective key (a device, a shipment).
import { sql, type SqlBool } from 'kysely';
import type { Dialect } from './dialect.js';

/**
 * `column = orgId`, which SQLite must not use an index for. SQLite keeps no statistics unless
 * ANALYZE runs (the server never does), and without them it read `org_id = ? AND device_id = ?`
 * (or `shipment_id = ?`) through an index that starts with org_id: every row of the whole org,
 * checked one by one for the device or shipment, a cost that grows with the tenant (40 ms for
 * one device's 60 newest positions among an org's 200,000). The unary plus keeps the org check
 * off any index there, so the device's or shipment's index finds the rows and the org check
 * filters them: the filter stays, only the plan changes. PostgreSQL keeps statistics and plans
 * these well, so it gets the plain condition.
 */
export function orgCheckAfterSeek(dialect: Dialect, column: 'org_id' | 'l.org_id', orgId: string) {
  return dialect === 'sqlite' ? sql<SqlBool>`+${sql.ref(column)} = ${orgId}` : sql<SqlBool>`${sql.ref(column)} = ${orgId}`;
}
