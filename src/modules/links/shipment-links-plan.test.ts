// A shipment's links on SQLite (LinksRepository): each read seeks an index that starts with the
// shipment (tracking_links_shipment, or a partial one-active-link index) and checks the org on
// the rows found, on a store that never ran ANALYZE (a server never does). Without statistics
// SQLite used to read a shipment's list (listForShipment, the list filtered by shipment) through
// (org_id, created_at) instead: every link of the whole org, which grows with the org. findActive
// already took the partial indexes; it stays here as a guard. The org check itself must still hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPlanStore } from '../../../test/helpers/sqlite-plan.js';
import { LinksRepository } from './links.repository.js';

describe("a shipment's link reads on SQLite without statistics", () => {
  it('seek the shipment index and still keep to the org', async () => {
    const { handle, db, planOfRead, close } = await openPlanStore();
    const t0 = 1_700_000_000_000;
    const org = handle.prepare(`insert into orgs (id, name, country, link_template, created_at, updated_at) values (?, ?, 'NL', '{}', ?, ?)`);
    const shipment = handle.prepare(
      `insert into shipments (id, org_id, kind, reference, status, stages, custom_fields, extra_fields, internal, created_at, updated_at) values (?, ?, 'road', ?, 'planned', '[]', '{}', '{}', '{}', ?, ?)`,
    );
    const link = handle.prepare(
      `insert into tracking_links (id, org_id, shipment_id, slug, recipient_email, options, state, created_at, updated_at) values (?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
    );
    // One org with 500 shipments, each with an active general link, an active recipient link and
    // a revoked one; and one shipment of another org.
    handle.transaction(() => {
      org.run('o1', 'One', t0, t0);
      org.run('o2', 'Two', t0, t0);
      for (let i = 0; i < 500; i++) {
        const t = t0 + i * 1000;
        shipment.run(`s${i}`, 'o1', `R${i}`, t, t);
        link.run(`l${i}g`, 'o1', `s${i}`, `g${i}`, null, 'active', t, t);
        link.run(`l${i}r`, 'o1', `s${i}`, `r${i}`, 'a@example.com', 'active', t + 1, t + 1);
        link.run(`l${i}x`, 'o1', `s${i}`, `x${i}`, null, 'revoked', t + 2, t + 2);
      }
      shipment.run('x1', 'o2', 'X1', t0, t0);
      link.run('lx1', 'o2', 'x1', 'x', null, 'active', t0, t0);
    })();
    const repo = new LinksRepository(db, 'sqlite');
    const now = t0 + 1000 * 1000;

    const reads: [string, () => Promise<unknown>][] = [
      ['findActive general', () => repo.findActive('o1', 's7', null)],
      ['findActive recipient', () => repo.findActive('o1', 's7', 'a@example.com')],
      ['listForShipment', () => repo.listForShipment('o1', 's7')],
      ['list of a shipment', () => repo.list('o1', { shipmentId: 's7', limit: 20, now })],
      ['list of a shipment, active', () => repo.list('o1', { shipmentId: 's7', state: 'active', limit: 20, now })],
      ['list of a shipment, revoked', () => repo.list('o1', { shipmentId: 's7', state: 'revoked', limit: 20, now })],
      ['list of a shipment, next page', () => repo.list('o1', { shipmentId: 's7', before: { at: now, id: 'z' }, limit: 20, now })],
    ];
    for (const [name, read] of reads) {
      const plan = await planOfRead(name, read);
      const onLinks = plan.filter((d) => /^(SEARCH|SCAN) (tracking_links|l)\b/.test(d));
      assert.equal(onLinks.length, 1, `${name}: ${plan.join(' | ')}`);
      assert.match(onLinks[0], /USING (COVERING )?INDEX tracking_links_(shipment|one_general|one_per_recipient) \(shipment_id=\?/, `${name} reads the shipment's links by its index: ${plan.join(' | ')}`);
    }

    assert.equal((await repo.findActive('o1', 's7', null))?.id, 'l7g');
    assert.equal((await repo.findActive('o1', 's7', 'a@example.com'))?.id, 'l7r');
    assert.deepEqual((await repo.listForShipment('o1', 's7')).map((l) => l.id), ['l7x', 'l7r', 'l7g']);
    assert.deepEqual((await repo.list('o1', { shipmentId: 's7', limit: 20, now })).map((l) => l.id), ['l7x', 'l7r', 'l7g']);
    assert.deepEqual((await repo.list('o1', { shipmentId: 's7', state: 'revoked', limit: 20, now })).map((l) => l.id), ['l7x']);
    // Another org's shipment is out of reach by every read, its id known or not.
    assert.equal(await repo.findActive('o1', 'x1', null), undefined);
    assert.deepEqual(await repo.listForShipment('o1', 'x1'), []);
    assert.deepEqual(await repo.list('o1', { shipmentId: 'x1', limit: 20, now }), []);
    assert.equal((await repo.findActive('o2', 'x1', null))?.id, 'lx1');
    await close();
  });
});
