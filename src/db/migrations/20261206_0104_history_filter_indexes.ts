// Indexes for reads that used to walk a whole history to find a few rows. Each list is newest
// first by (created_at, id), so each list's index ends in that order and a page reads only its
// own rows. On SQLite, which keeps no statistics (the server never runs ANALYZE), the plan follows
// the shape of the query alone: without these, SQLite read the org's every row through
// (org_id, created_at) and checked each one for the filter.
import { sql, type Kysely, type Migration } from 'kysely';

export const historyFilterIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    // GET /api/v1/audit-log?action= (the audit log is never purged).
    await db.schema.createIndex('audit_log_org_action_created').on('audit_log').columns(['org_id', 'action', 'created_at', 'id']).execute();
    // GET /api/v1/outbox?task_id= and ?recipient= (the outbox is never purged). A task belongs to
    // one org, so its index needs no org; one address may receive mail from many orgs, so the
    // recipient's index starts with the org.
    await db.schema.createIndex('outbox_task_created').on('outbox').columns(['task_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('outbox_org_recipient_created').on('outbox').columns(['org_id', 'recipient', 'created_at', 'id']).execute();
    // GET /api/v1/shipments?status=: (org_id, status) gave neither the page order nor a reason to
    // prefer it; the new index has it as its prefix, so it replaces it.
    await db.schema.createIndex('shipments_org_status_created').on('shipments').columns(['org_id', 'status', 'created_at', 'id']).execute();
    await db.schema.dropIndex('shipments_org_status').execute();
    // The expiry sweep (every minute, across orgs) looks at active links whose expiry was not yet
    // announced, oldest first: only those, not every link ever made (revoked, or expired and
    // announced), which it used to read whole and sort.
    await db.schema
      .createIndex('tracking_links_unannounced')
      .on('tracking_links')
      .column('created_at')
      .where(sql.ref('state'), '=', 'active')
      .where(sql.ref('expired_notified_at'), 'is', null)
      .execute();
  },
};
