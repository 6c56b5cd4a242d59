// Upgrading a database whose outbox holds webhook deliveries to the one where a delivery's webhook
// is a column (20261206_0106_outbox_webhook_id), on both stores: the rows already there get their
// webhook, and so do rows written afterwards by an older instance that does not know the column
// (a rolling upgrade), so the webhook's deliveries list misses none of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createEmptyStore, storeKinds } from '../../test/helpers/stores.js';
import { NotificationsRepository } from '../modules/notifications/notifications.repository.js';
import { migrateTo, migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of the older schema, written by hand
type Loose = Kysely<any>;

const HOOK = '0b7e6a52-5f0e-4d7c-9a3e-2f1c8d4b6a10';
const OTHER = '7d41c2e0-93b8-4f5a-a6e1-0c2d9b8f7e35';

for (const kind of await storeKinds()) {
  describe(`upgrading an outbox with webhook deliveries [${kind}]`, () => {
    it("gives every delivery, old and still written the old way, its webhook, and lists them by it", async () => {
      const { store, cleanup } = await createEmptyStore(kind);
      try {
        await migrateTo(store, '20261206_0104_history_filter_indexes');
        const db = store.db as unknown as Loose;
        const t0 = 1_700_000_000_000;
        for (const org of ['o1', 'o2']) {
          await db.insertInto('orgs').values({ id: org, name: `Org ${org}`, country: 'NL', link_template: '{}', created_at: t0, updated_at: t0 }).execute();
        }
        // What an older version writes: no webhook_id.
        const row = (id: string, org: string, dedupe: string, k: 'email' | 'webhook', at: number) => ({
          id, org_id: org, dedupe_key: dedupe, kind: k, recipient: k === 'email' ? 'ann@example.test' : 'https://hooks.example/', payload: '{}', status: 'sent', attempts: 1, next_attempt_at: at, created_at: at,
        });
        await db
          .insertInto('outbox')
          .values([
            row('a', 'o1', `webhook:${HOOK}:link.created:l1`, 'webhook', t0 + 1),
            row('b', 'o1', `webhook:${HOOK}:ping:p1`, 'webhook', t0 + 2),
            row('c', 'o1', `webhook:${OTHER}:link.created:l1`, 'webhook', t0 + 3),
            row('d', 'o1', `task:t1:e1:ann@example.test`, 'email', t0 + 4),
            row('e', 'o1', `webhook:${HOOK}:not-a-webhook-row`, 'email', t0 + 5),
            row('f', 'o1', 'webhook:no-second-colon', 'webhook', t0 + 6),
            row('g', 'o2', `webhook:${HOOK}:link.created:l2`, 'webhook', t0 + 7),
          ])
          .execute();

        await migrateToLatest(store);
        await db.insertInto('outbox').values(row('h', 'o1', `webhook:${HOOK}:link.revoked:l1`, 'webhook', t0 + 8)).execute();

        const webhookOf = async () => Object.fromEntries((await db.selectFrom('outbox').select(['id', 'webhook_id']).orderBy('id').execute()).map((r) => [r.id, r.webhook_id]));
        assert.deepEqual(await webhookOf(), { a: HOOK, b: HOOK, c: OTHER, d: null, e: null, f: null, g: HOOK, h: HOOK });
        const repo = new NotificationsRepository(store.db as Kysely<Database>, store.dialect);
        const listed = async (org: string, webhookId: string) => (await repo.listOutbox(org, { kind: 'webhook', webhookId, limit: 10 })).map((r) => r.id);
        assert.deepEqual(await listed('o1', HOOK), ['h', 'b', 'a']);
        assert.deepEqual(await listed('o1', OTHER), ['c']);
        assert.deepEqual(await listed('o2', HOOK), ['g']);
      } finally {
        await cleanup();
      }
    });
  });
}
