// What a link hides leaves no trace in what it shows: neither the time of a hidden change (the
// "Updated" line) nor, where the status is hidden, when (or that) the shipment was delivered.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';

await describeStores('public view: no trace of what a link hides', (ctx) => {
  it('keeps the public "updated" time when only hidden things change, and moves it for a shown one', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit' }))).body;
    const link = await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { customer_notes: true, custom_fields: false } });
    assert.equal(link.status, 201, link.text);
    const data = async () => (await ctx().anon.get(`/t/${link.body.slug}/data`)).body as { updated_at: string | null; notes?: { created_at: string }[] };
    const before = (await data()).updated_at;
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'internal', body: 'call the warehouse' })).status, 201);
    assert.equal((await org.api.patch(`/api/v1/shipments/${s.id}`, { custom_fields: [{ key: 'margin', value: '12%', shareable: false }] })).status, 200);
    const afterHidden = await data();
    assert.equal(afterHidden.updated_at, before, 'old code: the shipment\'s own updated_at, moved by an internal note and a hidden field');
    const page = await ctx().anon.get(`/t/${link.body.slug}`);
    assert.equal(page.status, 200);
    assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'customer', body: 'Ring twice' })).status, 201);
    const afterShown = await data();
    assert.equal(afterShown.updated_at, afterShown.notes?.[0]?.created_at, 'a shown note is the newest thing shown');
    assert.ok(afterShown.updated_at && (!before || Date.parse(afterShown.updated_at) >= Date.parse(before)));
  });

  it('tells a link that hides the status neither when nor that the shipment was delivered, not even through its ETA', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit' }))).body;
    const hiding = await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'hide@example.test' }, options: { status: false, progress: false, eta: true } });
    const showing = await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'show@example.test' }, options: { status: true, eta: true } });
    assert.equal(hiding.status, 201, hiding.text);
    assert.equal((await org.api.patch(`/api/v1/shipments/${s.id}`, { status: 'delivered' })).status, 200);
    const shown = (await ctx().anon.get(`/t/${showing.body.slug}/data`)).body;
    assert.equal(shown.status, 'delivered');
    assert.ok(shown.eta.delivered_at, 'a link showing the status shows when');
    const hidden = await ctx().anon.get(`/t/${hiding.body.slug}/data`);
    assert.equal(hidden.body.status, undefined);
    assert.equal(hidden.body.eta.delivered_at, null, 'old code: the delivery time through the ETA block');
    assert.equal(hidden.body.eta.at, null, 'no estimate left to show once delivered');
    assert.doesNotMatch(hidden.text, new RegExp(shown.eta.delivered_at.slice(0, 16)), 'the delivery time appears nowhere');
    const page = await ctx().anon.get(`/t/${hiding.body.slug}`);
    assert.equal(page.status, 200);
    // (The stage list, whose last stage is called "Delivered", is hidden too: it is not the status.)
    assert.doesNotMatch(page.text, /[Dd]elivered|[Gg]eleverd/, 'the page says nothing of a delivery');
  });
});
