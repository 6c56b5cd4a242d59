// A webhook's deliveries on SQLite (WebhooksService.deliveries, the list behind
// GET /api/v1/webhooks/{id}/deliveries), on a store that never ran ANALYZE (a server never does):
// they are sought by (webhook_id, created_at, id) newest first and checked for the org. They used
// to be found by `dedupe_key LIKE 'webhook:<id>:%'` through (org_id, created_at): every email and
// webhook the org ever sent (the outbox is never purged), checked one by one and sorted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/roles.js';
import { NotificationsRepository } from './notifications.repository.js';
import { WebhooksService } from './webhooks.service.js';

const HOOK = '0b7e6a52-5f0e-4d7c-9a3e-2f1c8d4b6a10';

describe("a webhook's deliveries on SQLite without statistics", () => {
  it('seeks the webhook index in page order, pages on, and keeps to the org', async () => {
    const { handle, db, queries, planOf, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const row = handle.prepare(`insert into outbox (id, org_id, dedupe_key, kind, recipient, payload, status, next_attempt_at, created_at) values (?, ?, ?, ?, ?, '{}', ?, ?, ?)`);
    handle.prepare(`insert into webhooks (id, org_id, url, events, secret, enabled, created_at) values (?, 'o1', 'https://hooks.example/a', '[]', 's', 1, ?)`).run(HOOK, t0);
    // One org's 5,000 notifications: emails, and the deliveries of 7 other webhooks; every 250th
    // is this webhook's (a link event or a test ping). Another org's rows carrying the same
    // webhook id in their key, newest of all.
    handle.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const t = t0 + i * 1000;
        const id = `n${String(i).padStart(5, '0')}`;
        if (i % 250 === 7) row.run(id, 'o1', `webhook:${HOOK}:${i % 500 === 7 ? 'ping' : 'link.created'}:l${i}`, 'webhook', 'https://hooks.example/a', i % 3 ? 'sent' : 'failed', t, t);
        else if (i % 2) row.run(id, 'o1', `webhook:hook${i % 7}:link.created:l${i}`, 'webhook', 'https://hooks.example/b', 'sent', t, t);
        else row.run(id, 'o1', `e${i}`, 'email', `r${i % 250}@example.com`, 'sent', t, t);
      }
      row.run('x1', 'o2', `webhook:${HOOK}:link.created:lx1`, 'webhook', 'https://other.example/', 'sent', t0, t0 + 9_999_000);
      row.run('x2', 'o2', `webhook:${HOOK}:ping:px2`, 'webhook', 'https://other.example/', 'sent', t0, t0 + 9_998_000);
    })();
    const repo = new NotificationsRepository(db, 'sqlite');
    const hooks = new WebhooksService(repo, {} as AuditService, () => {}, false);
    const admin: Actor = { orgId: 'o1', role: 'admin', type: 'user', id: 'u1', label: 'admin' };
    const deliveries = async (q: { limit?: number; cursor?: string }) => {
      queries.length = 0;
      const page = await hooks.deliveries(admin, HOOK, q);
      const reads = queries.filter((x) => /from "outbox"/.test(x.sql));
      assert.equal(reads.length, 1, 'one read of the outbox');
      return { ids: page.items.map((d) => d.id), next: page.next_cursor, plan: planOf(reads[0]) };
    };

    const first = await deliveries({ limit: 3 });
    assert.deepEqual(first.ids, ['n04757', 'n04507', 'n04257']);
    assert.ok(first.next);
    const second = await deliveries({ limit: 3, cursor: first.next ?? undefined });
    assert.deepEqual(second.ids, ['n04007', 'n03757', 'n03507']);
    const all = await deliveries({ limit: 50 });
    assert.deepEqual(all.ids, Array.from({ length: 20 }, (_, k) => `n${String(4757 - 250 * k).padStart(5, '0')}`));
    assert.equal(all.next, null);
    for (const [name, read] of [['first page', first], ['next page', second], ['whole list', all]] as const) {
      assert.equal(read.plan.length, 1, `${name} needs no sort: ${read.plan.join(' | ')}`);
      assert.match(read.plan[0], /^SEARCH outbox USING INDEX outbox_webhook_created \(webhook_id=\?/, `${name} reads the webhook's rows by their index: ${read.plan.join(' | ')}`);
    }

    // Another org's rows with this webhook's id are not listed; that org sees its own.
    assert.deepEqual(
      (await repo.listOutbox('o2', { kind: 'webhook', webhookId: HOOK, limit: 20 })).map((r) => r.id),
      ['x1', 'x2'],
    );
    // The test-ping limit counts the org's last minute only (index (org_id, created_at)).
    queries.length = 0;
    const pings = await repo.testDeliveriesSince(db, 'o1', t0 + 4000 * 1000, 10);
    assert.deepEqual(pings, [t0 + 4507 * 1000, t0 + 4007 * 1000]);
    assert.match(planOf(queries[0])[0], /USING INDEX outbox_org_created \(org_id=\? AND created_at>\?\)/);
    await close();
  });
});
