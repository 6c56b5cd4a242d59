import type { Kysely, Transaction } from 'kysely';
import type { Database, AuditLogRow } from '../../db/schema.js';
import type { Dialect } from '../../db/dialect.js';
import { orgCheckAfterSeek } from '../../db/org-filter.js';

export type Db = Kysely<Database> | Transaction<Database>;

export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(row: AuditLogRow, trx?: Db): Promise<void> {
    await (trx ?? this.db).insertInto('audit_log').values(row).execute();
  }

  async list(orgId: string, q: { action?: string; targetId?: string; before?: { at: number; id: string }; limit: number }) {
    // One target's entries are found by (target_id, created_at, id), the org's by (org_id, created_at).
    let query = this.db.selectFrom('audit_log').selectAll();
    query = q.targetId ? query.where(orgCheckAfterSeek(this.dialect, 'org_id', orgId)).where('target_id', '=', q.targetId) : query.where('org_id', '=', orgId);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.before) {
      const b = q.before;
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', b.at), eb.and([eb('created_at', '=', b.at), eb('id', '<', b.id)])]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit + 1).execute();
  }
}
