// The audit log of one target (GET /api/v1/audit-log?target_id=) is listed newest first by
// (created_at, id): an index in that order, so the list reads that target's entries only and not
// the org's whole history (the audit log is never purged).
import type { Kysely, Migration } from 'kysely';

export const auditLogTargetCreated: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('audit_log_target_created').on('audit_log').columns(['target_id', 'created_at', 'id']).execute();
  },
};
