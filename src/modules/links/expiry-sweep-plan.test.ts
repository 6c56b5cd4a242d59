// The expiry sweep's read on SQLite (LinksRepository.expiredUnannounced, run every minute across
// orgs): it walks the partial index of active links whose expiry was not announced yet, oldest
// first, on a store that never ran ANALYZE (a server never does). It used to scan every link ever
// made (revoked ones, expired and announced ones) and sort the live ones: a cost that grew with
// all the links of all orgs' history, every minute. Which links it returns must not change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { LinksRepository } from './links.repository.js';

const DAY = 86_400_000;

describe('the expiry sweep on SQLite without statistics', () => {
  it('reads only unannounced active links, oldest first', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const now = t0 + 100 * DAY;
    const org = handle.prepare(`insert into orgs (id, name, country, link_template, link_inactivity_days, created_at, updated_at) values (?, ?, 'NL', '{}', ?, ?, ?)`);
    const shipment = handle.prepare(
      `insert into shipments (id, org_id, kind, reference, status, stages, custom_fields, extra_fields, internal, created_at, updated_at) values (?, ?, 'road', ?, 'planned', '[]', '{}', '{}', '{}', ?, ?)`,
    );
    const link = handle.prepare(
      `insert into tracking_links (id, org_id, shipment_id, slug, recipient_email, options, expires_at, state, created_at, updated_at, expired_notified_at) values (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?)`,
    );
    handle.transaction(() => {
      org.run('o1', 'One', 30, t0, t0);
      org.run('o2', 'Two', 5, t0, t0);
      // o1's history: 3,000 shipments quiet for 60 days, each link revoked or expired and announced.
      for (let i = 0; i < 3000; i++) {
        const t = t0 + i;
        shipment.run(`h${i}`, 'o1', `H${i}`, t, t);
        link.run(`lh${i}`, 'o1', `h${i}`, `h${i}`, null, null, i % 2 ? 'revoked' : 'active', t, t, i % 2 ? null : t0 + 40 * DAY);
      }
      // Live shipments: o1's updated 10 days ago (inside its 30), o2's 10 days ago (past its 5).
      shipment.run('a', 'o1', 'A', t0, now - 10 * DAY);
      shipment.run('b', 'o2', 'B', t0, now - 10 * DAY);
      const live = (id: string, org: string, s: string, email: string | null, expires: number | null, state: string, at: number) =>
        link.run(id, org, s, id, email, expires, state, t0 + at, t0 + at, null);
      live('a-open', 'o1', 'a', null, null, 'active', 50 * DAY);
      live('a-due', 'o1', 'a', 'p@example.com', now - 1, 'active', 52 * DAY);
      live('a-later', 'o1', 'a', 'q@example.com', now + DAY, 'active', 51 * DAY);
      live('a-revoked', 'o1', 'a', 'r@example.com', now - 1, 'revoked', 49 * DAY);
      live('b-quiet', 'o2', 'b', null, null, 'active', 48 * DAY);
      live('b-quiet-to', 'o2', 'b', 's@example.com', now + DAY, 'active', 53 * DAY);
    })();
    const repo = new LinksRepository(db, 'sqlite');

    const plan = await planOfRead('expiredUnannounced', () => repo.expiredUnannounced(now, 500));
    const onLinks = plan.filter((d) => /^(SEARCH|SCAN) (tracking_links|l)\b/.test(d));
    assert.equal(onLinks.length, 1, plan.join(' | '));
    assert.match(onLinks[0], /USING INDEX tracking_links_unannounced\b/, `the sweep reads the unannounced active links only: ${plan.join(' | ')}`);
    assert.ok(!plan.some((d) => /TEMP B-TREE/.test(d)), `the sweep needs no sort: ${plan.join(' | ')}`);

    // Expired by inactivity (o2's 5 days) or by expiry, oldest first; not the revoked one, not the
    // one still inside both limits, each org's own inactivity applying; and of the history (all of
    // it quiet long enough to have expired), neither the revoked links nor the announced ones.
    const ids = async (limit: number) => (await repo.expiredUnannounced(now, limit)).map((l) => l.id);
    assert.deepEqual(await ids(500), ['b-quiet', 'a-due', 'b-quiet-to']);
    assert.deepEqual(await ids(2), ['b-quiet', 'a-due']);
    assert.equal(await repo.markExpiredNotified('b-quiet', now), true);
    assert.deepEqual(await ids(500), ['a-due', 'b-quiet-to']);
    await close();
  });
});
