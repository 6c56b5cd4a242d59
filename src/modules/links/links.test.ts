import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody, PDF, PNG } from '../../../test/helpers/fixtures.js';
import { shareWithPartner } from '../../../test/helpers/partners.js';

async function shipmentWithLink(org: TestOrg, body: Record<string, unknown> = {}, linkBody: Record<string, unknown> = {}) {
  const s = (await org.api.post('/api/v1/shipments', consignmentBody(body))).body;
  const l = await org.api.post(`/api/v1/shipments/${s.id}/links`, linkBody);
  assert.equal(l.status, 201, l.text);
  return { s, link: l.body, path: new URL(l.body.url).pathname };
}

await describeStores('tracking links lifecycle', (ctx) => {
  it('creates a general link with an unguessable URL-safe slug of at least 128 bits', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org);
    assert.match(link.slug, /^[A-Za-z0-9_-]{24,}$/);
    assert.ok(Buffer.from(link.slug, 'base64url').length >= 16);
    assert.equal(link.state, 'active');
    assert.equal(link.url, `http://tracklink.test/t/${link.slug}`);
    assert.equal((await ctx().anon.get(path)).status, 200);
  });

  it('allows one active general link per shipment but any number of recipient links', async () => {
    const org = await ctx().newOrg();
    const { s } = await shipmentWithLink(org);
    const again = await org.api.post(`/api/v1/shipments/${s.id}/links`, {});
    assert.equal(again.status, 409);
    const a = await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { name: 'A', email: 'a@example.test' } });
    const b = await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { name: 'B', email: 'b@example.test' } });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.body.slug, b.body.slug);
    const dup = await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'A@example.test' } });
    assert.equal(dup.status, 409);
  });

  it('applies option changes to the same URL on the very next request', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org);
    const before = await ctx().anon.get(`${path}/data`);
    assert.equal(before.body.status, 'planned');
    const p = await org.api.patch(`/api/v1/links/${link.id}`, { options: { status: false, container_number: true } });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.slug, link.slug);
    const after = await ctx().anon.get(`${path}/data`);
    assert.equal(after.body.status, undefined);
    assert.equal(after.body.container_number, 'MSCU1234567');
    const cleared = await org.api.patch(`/api/v1/links/${link.id}`, { options: { status: null } });
    assert.deepEqual(cleared.body.options, { container_number: true }, 'null clears an override, other keys keep their value');
    assert.equal((await ctx().anon.get(`${path}/data`)).body.status, 'planned');
  });

  it('shows shipment and template changes on the very next request despite the cache', async () => {
    const org = await ctx().newOrg();
    const { s, path } = await shipmentWithLink(org);
    assert.equal((await ctx().anon.get(`${path}/data`)).body.status, 'planned');
    await org.api.patch(`/api/v1/shipments/${s.id}`, { status: 'in_transit' });
    assert.equal((await ctx().anon.get(`${path}/data`)).body.status, 'in_transit');
    await org.api.put('/api/v1/org/link-template', { status: false });
    assert.equal((await ctx().anon.get(`${path}/data`)).body.status, undefined);
    await org.api.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'customer', body: 'Ring the bell' });
    await org.api.put('/api/v1/org/link-template', { customer_notes: true });
    assert.deepEqual((await ctx().anon.get(`${path}/data`)).body.notes.map((n: { body: string }) => n.body), ['Ring the bell']);
  });

  it('a revoked link answers the same 404 as an unknown one, at once and for ever', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org);
    assert.equal((await ctx().anon.get(path)).status, 200);
    const unknown = await ctx().anon.get('/t/AAAAAAAAAAAAAAAAAAAAAAAA');
    const r = await org.api.post(`/api/v1/links/${link.id}/revoke`);
    assert.equal(r.status, 200);
    assert.equal(r.body.state, 'revoked');
    const gone = await ctx().anon.get(path);
    assert.equal(gone.status, 404);
    assert.equal(gone.text, unknown.text);
    assert.equal((await ctx().anon.get(`${path}/data`)).status, 404);
    assert.equal((await org.api.patch(`/api/v1/links/${link.id}`, { options: { eta: false } })).status, 409, 'a revoked link cannot be revived');
    assert.equal((await ctx().anon.get(path)).status, 404);
  });

  it('regenerate revokes the old URL and issues a new one with the same options', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org, {}, { options: { eta: false, customer_reference: true } });
    const r = await org.api.post(`/api/v1/links/${link.id}/regenerate`);
    assert.equal(r.status, 201, r.text);
    assert.notEqual(r.body.slug, link.slug);
    assert.deepEqual(r.body.options, { eta: false, customer_reference: true });
    assert.equal((await ctx().anon.get(path)).status, 404);
    const fresh = await ctx().anon.get(`${new URL(r.body.url).pathname}/data`);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.customer_reference, 'PO-88');
    const old = await org.api.get(`/api/v1/links/${link.id}`);
    assert.equal(old.body.state, 'revoked');
    assert.equal(old.body.replaced_by, r.body.id);
  });

  it('deleting the shipment ends its links for ever', async () => {
    const org = await ctx().newOrg();
    const { s, path } = await shipmentWithLink(org);
    assert.equal((await ctx().anon.get(path)).status, 200);
    assert.equal((await org.api.delete(`/api/v1/shipments/${s.id}`)).status, 204);
    const r = await ctx().anon.get(path);
    assert.equal(r.status, 404);
    assert.equal(r.text, (await ctx().anon.get('/t/CCCCCCCCCCCCCCCCCCCCCCCC')).text, 'the same page as an unknown link');
  });

  it('unsharing (all segments or all layers off) or turning sharing off makes the link unavailable, and back', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org);
    await org.api.patch(`/api/v1/links/${link.id}`, { options: { segments: [] } });
    const unshared = await ctx().anon.get(path);
    assert.equal(unshared.status, 404);
    assert.equal(unshared.text, (await ctx().anon.get('/t/DDDDDDDDDDDDDDDDDDDDDDDD')).text, 'the same page as an unknown link');
    const view = await org.api.get(`/api/v1/links/${link.id}`);
    assert.equal(view.body.unavailable_reason, 'unshared');
    await org.api.patch(`/api/v1/links/${link.id}`, { options: { segments: null, layers: [] } });
    assert.equal((await ctx().anon.get(path)).status, 404);
    await org.api.patch(`/api/v1/links/${link.id}`, { options: { layers: ['tracker'] } });
    assert.equal((await ctx().anon.get(path)).status, 200);
    await org.api.patch('/api/v1/org', { sharing_enabled: false });
    assert.equal((await ctx().anon.get(path)).status, 404);
    await org.api.patch('/api/v1/org', { sharing_enabled: true });
    assert.equal((await ctx().anon.get(path)).status, 200);
  });

  it('a billing lock hides every link of the org until it is unlocked', async () => {
    const org = await ctx().newOrg();
    const a = await shipmentWithLink(org);
    const b = await shipmentWithLink(org);
    await org.api.patch('/api/v1/org', { billing_state: 'locked' });
    const unknown = await ctx().anon.get('/t/BBBBBBBBBBBBBBBBBBBBBBBB');
    for (const x of [a, b]) {
      const r = await ctx().anon.get(x.path);
      assert.equal(r.status, 404);
      assert.equal(r.text, unknown.text);
    }
    await org.api.patch('/api/v1/org', { billing_state: 'active' });
    assert.equal((await ctx().anon.get(a.path)).status, 200);
    assert.equal((await ctx().anon.get(b.path)).status, 200);
  });

  it('expires at expires_at with a 410 page, and comes back when the expiry moves', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org, {}, { expires_at: new Date(Date.now() + 60_000).toISOString() });
    assert.equal((await ctx().anon.get(path)).status, 200);
    await org.api.patch(`/api/v1/links/${link.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
    const r = await ctx().anon.get(path);
    assert.equal(r.status, 410);
    assert.match(r.text, /expired/);
    assert.equal((await ctx().anon.get(`${path}/data`)).status, 410);
    assert.equal((await org.api.get(`/api/v1/links/${link.id}`)).body.state, 'expired');
    assert.equal((await org.api.get('/api/v1/links?state=expired')).body.items.length, 1);
    await org.api.patch(`/api/v1/links/${link.id}`, { expires_at: null });
    assert.equal((await ctx().anon.get(path)).status, 200);
  });

  it('expires after link_inactivity_days without a shipment update', async () => {
    const org = await ctx().newOrg();
    const { s, link, path } = await shipmentWithLink(org);
    await ctx().store.db.updateTable('shipments').set({ updated_at: Date.now() - 31 * 86_400_000 }).where('id', '=', s.id).execute();
    ctx().services.publicLinks.invalidateShipment(s.id);
    assert.equal((await ctx().anon.get(path)).status, 410);
    assert.equal((await org.api.get(`/api/v1/links?state=expired&shipment_id=${s.id}`)).body.items[0].id, link.id);
    assert.equal((await org.api.get(`/api/v1/links?state=active&shipment_id=${s.id}`)).body.items.length, 0);
    await org.api.patch('/api/v1/org', { link_inactivity_days: 60 });
    assert.equal((await ctx().anon.get(path)).status, 200);
  });

  it('counts as expired only active links, in the list of a shipment and in the sweep', async () => {
    const org = await ctx().newOrg();
    const old = await shipmentWithLink(org);
    const fresh = await shipmentWithLink(org);
    assert.equal((await org.api.post(`/api/v1/links/${old.link.id}/revoke`, {})).status, 200);
    await ctx().store.db.updateTable('shipments').set({ updated_at: Date.now() - 31 * 86_400_000 }).where('id', '=', old.s.id).execute();
    const seen: string[] = [];
    ctx().services.links.onChange((e) => {
      if (e.linkId === old.link.id) seen.push(e.type);
    });
    // The revoked link of a shipment gone quiet is revoked, not expired, and belongs to its own shipment only.
    assert.deepEqual((await org.api.get('/api/v1/links?state=expired')).body.items, []);
    assert.deepEqual((await org.api.get(`/api/v1/links?state=expired&shipment_id=${fresh.s.id}`)).body.items, []);
    await ctx().services.publicLinks.sweepExpired();
    assert.deepEqual(seen, []);
    assert.ok(!(await ctx().repos.links.expiredUnannounced(Date.now(), 500)).some((l) => l.id === old.link.id));
  });

  it('announces an expiry once, from the sweep or from the first visit after it', async () => {
    const org = await ctx().newOrg();
    const { link, path } = await shipmentWithLink(org);
    const seen: string[] = [];
    ctx().services.links.onChange((e) => {
      if (e.linkId === link.id) seen.push(e.type);
    });
    await ctx().store.db.updateTable('tracking_links').set({ expires_at: Date.now() - 1000 }).where('id', '=', link.id).execute();
    ctx().services.publicLinks.invalidateLink(link.id);
    await ctx().services.publicLinks.sweepExpired();
    await ctx().services.publicLinks.sweepExpired();
    assert.equal((await ctx().anon.get(path)).status, 410);
    assert.deepEqual(seen, ['expired']);
  });

  it('a new general link replaces one that expired', async () => {
    const org = await ctx().newOrg();
    const { s, link } = await shipmentWithLink(org, {}, { expires_at: new Date(Date.now() + 50).toISOString() });
    await new Promise((r) => setTimeout(r, 80));
    const again = await org.api.post(`/api/v1/shipments/${s.id}/links`, {});
    assert.equal(again.status, 201, again.text);
    assert.equal((await org.api.get(`/api/v1/links/${link.id}`)).body.state, 'revoked');
  });

  it('counts views without storing visitors, and lists links with their stats and state', async () => {
    const org = await ctx().newOrg();
    const { s, link, path } = await shipmentWithLink(org);
    const seen: string[] = [];
    ctx().services.links.onChange((e) => {
      if (e.linkId === link.id) seen.push(e.type);
    });
    await ctx().anon.get(path);
    await ctx().anon.get(path);
    await ctx().anon.get(`${path}/data`);
    const l = await org.api.get(`/api/v1/links?shipment_id=${s.id}`);
    assert.equal(l.body.items.length, 1);
    assert.equal(l.body.items[0].view_count, 2);
    assert.ok(l.body.items[0].first_viewed_at);
    assert.ok(l.body.items[0].last_viewed_at);
    assert.deepEqual(seen, ['first_viewed']);
    const row = await ctx().store.db.selectFrom('tracking_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes('127.0.0.1'));
  });

  it('writes audit entries naming who created, changed, revoked and regenerated', async () => {
    const org = await ctx().newOrg();
    const { link } = await shipmentWithLink(org);
    await org.api.patch(`/api/v1/links/${link.id}`, { options: { eta: false } });
    const re = await org.api.post(`/api/v1/links/${link.id}/regenerate`);
    await org.api.post(`/api/v1/links/${re.body.id}/revoke`);
    const rows = await ctx().store.db.selectFrom('audit_log').selectAll().where('org_id', '=', org.org_id).where('target_type', '=', 'link').execute();
    const actions = rows.map((r) => r.action).sort();
    assert.deepEqual(actions, ['link.created', 'link.regenerated', 'link.revoked', 'link.updated']);
    assert.ok(rows.every((r) => r.actor_type === 'api_key' && r.actor_label));
  });

  it('refuses options naming segments or photos the shipment does not have', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const r = await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { segments: [3], photo_ids: ['nope'] } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.error.details.map((d: { path: string }) => d.path).sort(), ['body/options/photo_ids/0', 'body/options/segments/0']);
  });

  it('viewers may list links but not create them; another org sees not_found', async () => {
    const org = await ctx().newOrg();
    const other = await ctx().newOrg();
    const { s, link } = await shipmentWithLink(org);
    const viewer = await org.withRole('viewer');
    assert.equal((await viewer.get('/api/v1/links')).status, 200);
    assert.equal((await viewer.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'x@example.test' } })).status, 403);
    assert.equal((await other.api.get(`/api/v1/links/${link.id}`)).status, 404);
    assert.equal((await other.api.post(`/api/v1/links/${link.id}/revoke`)).status, 404);
    assert.equal((await other.api.post(`/api/v1/shipments/${s.id}/links`, {})).status, 404);
  });

  it('a partner org that sees a shared shipment can never create or change its links', async () => {
    const owner = await ctx().newOrg();
    const partner = await ctx().newOrg();
    const { s, link } = await shipmentWithLink(owner);
    await shareWithPartner(owner, partner, s.id);
    assert.equal((await partner.api.get(`/api/v1/shipments/${s.id}`)).status, 200, 'the partner sees the shipment');
    // It knows the shipment exists, so it is refused outright (403), not told it does not exist.
    const create = await partner.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'p@example.test' } });
    assert.equal(create.status, 403);
    assert.equal(create.body.error.code, 'forbidden');
    assert.match(create.body.error.message, /only its owner can share/);
    // The owner's link ids are never the partner's to know: one of them is as unknown as any.
    assert.equal((await partner.api.patch(`/api/v1/links/${link.id}`, { options: { eta: false } })).status, 404);
    assert.equal((await partner.api.get(`/api/v1/shipments/${s.id}/tracking`)).status, 403);
    assert.equal((await owner.api.get(`/api/v1/shipments/${s.id}/tracking`)).body.active_count, 1, 'no link was created');
  });

  it('auto-creates the general link for new shipments when the org turns it on, and backfills the rest', async () => {
    const org = await ctx().newOrg();
    const before = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    await org.api.patch('/api/v1/org', { auto_create_links: true });
    const after = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const t = await org.api.get(`/api/v1/shipments/${after.id}/tracking`);
    assert.equal(t.body.public, true);
    assert.ok(t.body.general.url);
    assert.equal((await org.api.get(`/api/v1/shipments/${before.id}/tracking`)).body.general, null);
    const b = await org.api.post('/api/v1/links/backfill');
    assert.equal(b.status, 200, b.text);
    assert.equal(b.body.created, 1);
    assert.ok((await org.api.get(`/api/v1/shipments/${before.id}/tracking`)).body.general.url);
    assert.equal((await org.api.post('/api/v1/links/backfill')).body.created, 0);
    const audit = await ctx().store.db.selectFrom('audit_log').selectAll().where('org_id', '=', org.org_id).where('action', '=', 'link.created').execute();
    assert.ok(audit.some((r) => r.actor_type === 'system'));
  });

  it('ensureRecipientLink returns the same active link per email and a new one after revoke', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const links = ctx().services.links;
    const [a, b] = await Promise.all([
      links.ensureRecipientLink(org.org_id, s.id, { name: 'Dirk', email: 'Dirk@example.test' }),
      links.ensureRecipientLink(org.org_id, s.id, { name: 'Dirk', email: 'dirk@example.test' }),
    ]);
    assert.equal(a.id, b.id);
    assert.equal((await ctx().anon.get(new URL(a.url).pathname)).status, 200);
    await org.api.post(`/api/v1/links/${a.id}/revoke`);
    const c = await links.ensureRecipientLink(org.org_id, s.id, { name: 'Dirk', email: 'dirk@example.test' });
    assert.notEqual(c.id, a.id);
  });

  it('serves picked photos and the proof of delivery through the link only while shared', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const p1 = (await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png')).body;
    const p2 = (await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png')).body;
    await org.api.send('PUT', `/api/v1/shipments/${s.id}/proof-of-delivery`, PDF, 'application/pdf');
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { photo_ids: [p1.id] } })).body;
    const path = new URL(link.url).pathname;
    assert.equal((await ctx().anon.get(`${path}/photos/${p1.id}`)).status, 200);
    assert.equal((await ctx().anon.get(`${path}/photos/${p2.id}`)).status, 404);
    const pod = await ctx().anon.get(`${path}/pod.pdf`);
    assert.equal(pod.status, 200);
    assert.match(pod.text, /^%PDF-/);
    await org.api.patch(`/api/v1/links/${link.id}`, { options: { proof_of_delivery: false, photo_ids: [] } });
    assert.equal((await ctx().anon.get(`${path}/pod.pdf`)).status, 404);
    assert.equal((await ctx().anon.get(`${path}/photos/${p1.id}`)).status, 404);
  });

  it('renders the QR code of the link as SVG', async () => {
    const org = await ctx().newOrg();
    const { link } = await shipmentWithLink(org);
    const r = await org.api.get(`/api/v1/links/${link.id}/qr.svg`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /image\/svg\+xml/);
    assert.match(r.text, /^<svg[\s\S]*<\/svg>\s*$/);
  });
});
