// A webhook's deliveries (GET /api/v1/webhooks/{id}/deliveries) used to be found by
// `dedupe_key LIKE 'webhook:<id>:%'`, which no index served: both stores read every email and
// webhook the org ever sent (the outbox is never purged) through an org index and checked each
// row. A prefix LIKE is not reliably indexable on both stores (SQLite's LIKE ignores case;
// PostgreSQL needs text_pattern_ops or the C collation), so the webhook's id becomes a column of
// its own, with an index in the list's page order.
//
// The column is generated from dedupe_key (`webhook:<id>:<event>`, see WebhooksService.row), not
// written by the code: rows already in the outbox get it as the migration runs, and so do rows
// an older instance still writes during a rolling upgrade (it does not know the column), so no
// delivery ever goes missing from the list. It is null for emails and for a key of any other
// shape. SQLite can only add a VIRTUAL generated column (computed when read, stored in the
// index); PostgreSQL only has STORED ones (adding it rewrites the table once).
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

export function outboxWebhookId(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // What follows `webhook:` (8 characters) up to the next colon; the two stores only name the
      // function that finds the colon differently.
      const colon = dialect === 'sqlite' ? sql`instr(substr(dedupe_key, 9), ':')` : sql`strpos(substr(dedupe_key, 9), ':')`;
      const webhookId = sql`case when kind = 'webhook' and substr(dedupe_key, 1, 8) = 'webhook:' and ${colon} > 1 then substr(dedupe_key, 9, ${colon} - 1) end`;
      await db.schema
        .alterTable('outbox')
        .addColumn('webhook_id', 'text', (c) => (dialect === 'sqlite' ? c.generatedAlwaysAs(webhookId) : c.generatedAlwaysAs(webhookId).stored()))
        .execute();
      // Only webhook deliveries have one: the emails stay out of the index.
      await db.schema
        .createIndex('outbox_webhook_created')
        .on('outbox')
        .columns(['webhook_id', 'created_at', 'id'])
        .where(sql.ref('webhook_id'), 'is not', null)
        .execute();
    },
  };
}
