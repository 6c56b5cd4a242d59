// A partner org reads a shipment shared with it through every API route it can call: no reply
// holds any of the owner's private values (each planted as a unique marker, table below), while
// the operational ones it needs are there. On both stores. The pure rule is property-tested in
// src/modules/links/partner-view.test.ts; this proves every route goes through it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { describeStores, type ApiResponse } from '../helpers/context.js';
import { consignmentBody, PDF, PNG, uniqueRef } from '../helpers/fixtures.js';
import { shareWithPartner } from '../helpers/partners.js';
import { expectEditsHidden, newMillisecond, type Edit } from '../helpers/edits.js';

const mark = (tag: string) => `PL${randomBytes(4).toString('hex')}${tag}`;

await describeStores('what a partner org sees through the API', (ctx) => {
  it('never returns a field, photo, note, contact, link, device or person the partner must not see', async () => {
    const owner = await ctx().newOrg({ name: 'Owner Logistics' });
    const partner = await ctx().newOrg({ name: 'Partner Courier' });
    const hidden: Record<string, string> = {};
    const shown: Record<string, string> = {};
    const h = (what: string) => (hidden[what] = mark(what));
    const s = (what: string) => (shown[what] = mark(what));

    const now = Date.now();
    const created = await owner.api.post('/api/v1/shipments', {
      kind: 'consignment',
      reference: `${s('reference')}-${uniqueRef()}`,
      title: s('title'),
      status: 'in_transit',
      customer_reference: h('customer_reference'),
      container_number: s('container_number'),
      custom_fields: [
        { key: s('custom_key'), value: s('custom_value'), shareable: true },
        { key: h('custom_key_private'), value: h('custom_value_private'), shareable: false },
      ],
      extra_fields: [
        { key: s('extra_key'), value: s('extra_value'), shareable: true },
        { key: h('extra_key_private'), value: h('extra_value_private'), shareable: false },
      ],
      internal: { vin: h('vin'), stock_number: h('stock'), cost: 913579.25, price: 864209.75, payments: [{ ref: h('payment') }], line_items: [{ sku: h('line_item') }], messages: [{ text: h('message') }], custom: h('internal_other') },
      stops: [
        { type: 'pickup', name: s('pickup_name'), address: s('pickup_address'), lat: 51.9, lon: 4.4, reference: s('stop_reference'), contact: { name: h('stop_contact'), email: `${h('stop_contact_email').toLowerCase()}@example.test` } },
        { type: 'delivery', name: s('delivery_name'), lat: 52.1, lon: 5.1, contact: { name: h('delivery_contact') } },
      ],
      cargo: [{ description: s('cargo'), quantity: 3 }],
      contacts: [{ name: h('shipment_contact'), email: `${h('shipment_contact_email').toLowerCase()}@example.test` }],
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;

    // Notes: a customer note by a named key (its author is staff identity), an internal one.
    const staff = await owner.withRole('dispatcher');
    const keyName = h('note_author');
    const key = await owner.api.post('/api/v1/api-keys', { name: keyName, role: 'dispatcher' });
    const author = ctx().client(key.body.api_key);
    assert.equal((await author.post(`/api/v1/shipments/${id}/notes`, { scope: 'customer', body: s('customer_note') })).status, 201);
    assert.equal((await staff.post(`/api/v1/shipments/${id}/notes`, { scope: 'internal', body: h('internal_note') })).status, 201);
    // Photos: the hero is the partner's; a gallery photo is not (nor its id).
    const hero = (await owner.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png')).body;
    const gallery = (await owner.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png')).body;
    hidden.gallery_photo_id = gallery.id;
    await owner.api.put(`/api/v1/shipments/${id}/hero-photo`, { photo_id: hero.id });
    // Proof of delivery: that it was captured, never the file or who signed.
    const pod = await owner.api.send('PUT', `/api/v1/shipments/${id}/proof-of-delivery`, PDF, 'application/pdf', { 'x-signed-by': h('pod_signer') });
    assert.equal(pod.status, 200, pod.text);
    // A tracking link with a recipient: the owner's alone.
    const link = await owner.api.post(`/api/v1/shipments/${id}/links`, { recipient: { name: h('link_recipient'), email: `${h('link_recipient_email').toLowerCase()}@example.test` } });
    assert.equal(link.status, 201, link.text);
    hidden.link_slug = link.body.slug;
    hidden.link_id = link.body.id;
    // A device with a name and an external id, reporting positions the partner does see.
    const device = await owner.api.post('/api/v1/devices', { name: h('device_name'), external_id: h('device_external_id') + randomBytes(12).toString('hex') });
    assert.equal(device.status, 201, device.text);
    hidden.device_id = device.body.id;
    // Attached since a minute ago: the fix below lies inside the attachment window however slow this run is.
    assert.equal((await owner.api.post(`/api/v1/shipments/${id}/sources`, { device_id: device.body.id, layer: 'driver', from: new Date(now - 60_000).toISOString() })).status, 201);
    const fix = { device_id: device.body.id, recorded_at: new Date(now + 1000).toISOString(), lat: 52.0123457, lon: 4.9876543, battery_pct: 42 };
    assert.equal((await owner.api.post('/api/v1/positions', { positions: [fix] })).body.accepted, 1);
    hidden.owner_email = owner.owner_email;
    hidden.cost = '913579';
    hidden.price = '864209';

    await shareWithPartner(owner, partner, id);

    // Every route a partner might call about this shipment, and what it must answer.
    const replies: [string, ApiResponse, number][] = [];
    const call = async (url: string, status: number) => replies.push([url, await partner.api.get(url), status]);
    await call(`/api/v1/shipments/${id}`, 200);
    await call('/api/v1/shipments?include_shared=true', 200);
    await call('/api/v1/shipments?shared=true', 200);
    await call(`/api/v1/shipments/${id}/positions`, 200);
    await call(`/api/v1/shipments/${id}/photos/${hero.id}`, 200);
    await call(`/api/v1/shipments/${id}/photos/${gallery.id}`, 404);
    await call(`/api/v1/shipments/${id}/proof-of-delivery`, 403);
    await call(`/api/v1/shipments/${id}/events`, 403);
    await call(`/api/v1/shipments/${id}/sources`, 403);
    await call(`/api/v1/shipments/${id}/tracking`, 403);
    await call(`/api/v1/shipments/${id}/partners`, 403);
    await call(`/api/v1/links?shipment_id=${id}`, 200);
    await call(`/api/v1/links/${link.body.id}`, 404);
    await call('/api/v1/partners', 200);
    await call('/api/v1/partner-invitations', 200);
    await call('/api/v1/partner-invitations/received', 200);
    await call('/api/v1/audit-log', 200);
    for (const [url, r, status] of replies) {
      assert.equal(r.status, status, `${url}: ${r.text.slice(0, 200)}`);
      const text = r.text.toLowerCase();
      for (const [what, needle] of Object.entries(hidden)) assert.ok(!text.includes(needle.toLowerCase()), `${what} reached the partner through ${url}`);
    }
    // Searching by a value the partner cannot see finds nothing (no oracle through ?q=).
    const probe = await partner.api.get(`/api/v1/shipments?include_shared=true&q=${hidden.customer_reference}`);
    assert.deepEqual(probe.body.items, []);
    assert.equal((await owner.api.get(`/api/v1/shipments?q=${hidden.customer_reference}`)).body.items.length, 1, 'the owner finds it');

    // What the partner needs is all there.
    const view = replies[0][1].text;
    for (const [what, needle] of Object.entries(shown)) assert.ok(view.includes(needle), `${what} is missing for the partner`);
    assert.equal(replies[0][1].body.proof_of_delivery.captured_at !== null, true);
    assert.deepEqual(replies[0][1].body.shared_by, { org_id: owner.org_id, name: 'Owner Logistics' });
    const track = replies[3][1].body.items as { layer: string; lat: number }[];
    assert.ok(track.some((p) => p.layer === 'driver' && p.lat === fix.lat), 'the partner sees the driver position');
    // And never the share action: no link creation, whatever it sends (403: it knows the shipment exists).
    assert.equal((await partner.api.post(`/api/v1/shipments/${id}/links`, {})).status, 403);
    assert.equal((await partner.api.post(`/api/v1/shipments/${id}/partners`, { partner_org_id: partner.org_id })).status, 403);
  });

  it('shows the partner a device’s positions only while it carried the shared shipment, like every public output', async () => {
    const owner = await ctx().newOrg({ name: 'Owner Windows' });
    const partner = await ctx().newOrg({ name: 'Partner Windows' });
    const MIN = 60_000;
    const now = Date.now();
    const phone = (await owner.api.post('/api/v1/devices', { name: 'Truck phone', external_id: `win-${randomBytes(12).toString('hex')}` })).body.id as string;
    // Latitudes whose decimals appear nowhere else, so a text search finds them in any reply.
    const lat = (n: number) => Number(`51.${String(100_000 + Math.floor(Math.random() * 800_000)).padStart(6, '0')}${n}7`);
    const post = async (at: number, la: number) => assert.equal((await owner.api.post('/api/v1/positions', { positions: [{ device_id: phone, recorded_at: new Date(at).toISOString(), lat: la, lon: 4.5 }] })).body.accepted, 1);
    // The phone's earlier trip, for another customer, before it carried this shipment.
    const earlier = [lat(1), lat(2)];
    await post(now - 50 * MIN, earlier[0]);
    await post(now - 40 * MIN, earlier[1]);
    const created = await owner.api.post('/api/v1/shipments', {
      kind: 'consignment',
      reference: `WIN-${uniqueRef()}`,
      status: 'in_transit',
      eta: new Date(now + 2 * 3600_000).toISOString(),
      stops: [
        { type: 'pickup', name: 'A', lat: 51.9, lon: 4.4 },
        { type: 'delivery', name: 'B', lat: 52.1, lon: 5.1 },
      ],
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const source = await owner.api.post(`/api/v1/shipments/${id}/sources`, { device_id: phone, layer: 'driver', from: new Date(now - 20 * MIN).toISOString() });
    assert.equal(source.status, 201, source.text);
    const carried = lat(3);
    await post(now - 10 * MIN, carried);
    await shareWithPartner(owner, partner, id);
    // Detached: what it reports afterwards is no longer this shipment's.
    assert.ok((await owner.api.delete(`/api/v1/shipments/${id}/sources/${source.body.id}`)).status < 300);
    const afterwards = lat(4);
    await post(Date.now() + 1000, afterwards);

    const track = await partner.api.get(`/api/v1/shipments/${id}/positions?from=${encodeURIComponent(new Date(now - 3600_000).toISOString())}`);
    assert.equal(track.status, 200, track.text);
    assert.deepEqual((track.body.items as { layer: string; lat: number }[]).filter((p) => p.layer === 'driver').map((p) => p.lat), [carried]);
    for (const la of [...earlier, afterwards]) assert.ok(!track.text.includes(String(la)), `${la} (outside the attachment window) reached the partner`);
    // The owner's own track still has the whole device history (its own data); the ETA is the partner's too.
    assert.ok((await owner.api.get(`/api/v1/shipments/${id}/positions?from=${encodeURIComponent(new Date(now - 3600_000).toISOString())}`)).text.includes(String(earlier[0])));
    assert.equal((await partner.api.get(`/api/v1/shipments/${id}`)).body.eta, created.body.eta);
  });

  it("keeps the partner's updated_at when the owner changes only what the partner cannot see, and moves it for what it sees", async () => {
    const owner = await ctx().newOrg({ name: 'Owner Updates' });
    const partner = await ctx().newOrg({ name: 'Partner Updates' });
    const id = (await owner.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit' }))).body.id as string;
    await shareWithPartner(owner, partner, id);
    const seen = async () => {
      const one = await partner.api.get(`/api/v1/shipments/${id}`);
      assert.equal(one.status, 200, one.text);
      const listed = (await partner.api.get('/api/v1/shipments?shared=true')).body.items.find((s: { id: string }) => s.id === id);
      assert.equal(listed?.updated_at, one.body.updated_at, 'the list says the same');
      return one.body as { updated_at: string; notes: { created_at: string }[] };
    };
    const before = (await seen()).updated_at;
    await new Promise((r) => setTimeout(r, 5));
    // Hidden writes: an internal note, a field not marked shareable, the customer reference, a tracking link.
    assert.equal((await owner.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'internal', body: 'call the warehouse' })).status, 201);
    assert.equal((await owner.api.patch(`/api/v1/shipments/${id}`, { extra_fields: [{ key: 'margin', value: '12%', shareable: false }], customer_reference: 'PO-99' })).status, 200);
    assert.equal((await owner.api.post(`/api/v1/shipments/${id}/links`, {})).status, 201);
    assert.notEqual((await owner.api.get(`/api/v1/shipments/${id}`)).body.updated_at, before, "the owner's own view moved");
    assert.equal((await seen()).updated_at, before, "old code: the shipment's own updated_at, moved by writes the partner cannot see");
    // A shown change: a customer note is the newest thing the partner sees.
    assert.equal((await owner.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'customer', body: 'Ring twice' })).status, 201);
    const after = await seen();
    assert.equal(after.updated_at, after.notes[0]?.created_at);
    assert.ok(Date.parse(after.updated_at) > Date.parse(before));
  });

  // Edits of what the partner sees move its updated_at to the edit's time; edits of what it does
  // not see, or that change nothing, leave it where it was (shipments/change-times.ts).
  const sharedShipment = async (ownerName: string, partnerName: string) => {
    const owner = await ctx().newOrg({ name: ownerName });
    const partner = await ctx().newOrg({ name: partnerName });
    const body = consignmentBody({ status: 'in_transit' });
    const id = (await owner.api.post('/api/v1/shipments', body)).body.id as string;
    await shareWithPartner(owner, partner, id);
    const ownerTime = async () => (await owner.api.get(`/api/v1/shipments/${id}`)).body.updated_at as string;
    const seen = async () => {
      const one = await partner.api.get(`/api/v1/shipments/${id}`);
      assert.equal(one.status, 200, one.text);
      const listed = (await partner.api.get('/api/v1/shipments?shared=true')).body.items.find((s: { id: string }) => s.id === id);
      assert.equal(listed?.updated_at, one.body.updated_at, 'the list says the same');
      return { updated_at: one.body.updated_at as string, text: one.text };
    };
    return { owner, partner, id, body, ownerTime, seen };
  };
  it("moves the partner's updated_at to the time of an edit of anything it sees", async () => {
    const { owner, id, body, ownerTime, seen } = await sharedShipment('Owner Visible Edits', 'Partner Visible Edits');
    const patch = (change: Record<string, unknown>) => owner.api.patch(`/api/v1/shipments/${id}`, change);
    const photo = async () => (await owner.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png')).body.id as string;
    let hero = '';
    const edits: Edit[] = [
      ['title', () => patch({ title: 'Tiles, 14 pallets' })],
      ['reference', () => patch({ reference: uniqueRef('CN') })],
      ['container number', () => patch({ container_number: 'MSCU7654321' })],
      ['status (not a delivery)', () => owner.api.post(`/api/v1/shipments/${id}/events`, { type: 'status_changed', status: 'exception' })],
      ['current stage', () => patch({ current_stage: 1 })],
      ['cargo', () => patch({ cargo: [{ description: 'Pallets of tiles', quantity: 14, packaging: 'EUR pallet', weight_kg: 9800 }] })],
      ['a stop window (PATCH stops)', () => patch({ stops: body.stops.map((st, i) => (i === 1 ? { ...st, window_end: '2026-12-01T17:00:00.000Z' } : st)) })],
      ['a stop address (stop route)', () => owner.api.patch(`/api/v1/shipments/${id}/stops/1`, { address: 'High St 4' })],
      ['a stop added', () => owner.api.post(`/api/v1/shipments/${id}/stops`, { type: 'waypoint', name: 'Border', position: 1 })],
      ['that stop removed', () => owner.api.delete(`/api/v1/shipments/${id}/stops/1`)],
      ['a segment renamed', () => patch({ segments: [{ name: 'Last mile', from_stop: 0, to_stop: 1 }] })],
      ['a hero photo chosen', async () => owner.api.put(`/api/v1/shipments/${id}/hero-photo`, { photo_id: (hero = await photo()) })],
      ['the hero photo deleted', () => owner.api.delete(`/api/v1/shipments/${id}/photos/${hero}`)],
      ['a shareable custom field', () => patch({ custom_fields: [{ key: 'dock', value: '8', shareable: true }] })],
      ['an extra field made shareable', () => patch({ extra_fields: [{ key: 'temp', value: '4C', shareable: true }] })],
      ['a shared field removed', () => patch({ extra_fields: [] })],
    ];
    for (const [what, edit] of edits) {
      await newMillisecond();
      const r = await edit();
      assert.ok(r.status < 300, `${what}: ${r.text}`);
      assert.equal((await seen()).updated_at, await ownerTime(), `${what}: old code kept the partner's updated_at where it was`);
    }
  });

  it("keeps the partner's updated_at, and the time of a hidden edit out of its view, for every edit it cannot see", async () => {
    const { owner, id, body, ownerTime, seen } = await sharedShipment('Owner Hidden Edits', 'Partner Hidden Edits');
    const patch = (change: Record<string, unknown>) => owner.api.patch(`/api/v1/shipments/${id}`, change);
    const note = await owner.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'internal', body: 'call the warehouse' });
    // A gallery photo: the partner sees the hero only (partnerPhotoIds).
    const gallery = (await owner.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png')).body.id as string;
    const before = await seen();
    const edits: Edit[] = [
      ['a field not marked shareable', () => patch({ extra_fields: [{ key: 'temp', value: '6C', shareable: false }] })],
      ['a new field not marked shareable', () => patch({ custom_fields: [...body.custom_fields, { key: 'margin', value: '12%', shareable: false }] })],
      ['the customer reference', () => patch({ customer_reference: 'PO-99' })],
      ['internal data', () => patch({ internal: { vin: 'VIN999' } })],
      ['shipment contacts', () => patch({ contacts: [{ email: 'new@example.test' }] })],
      ['a stop contact (PATCH stops)', () => patch({ stops: body.stops.map((st, i) => (i === 0 ? { ...st, contact: { name: 'Piet' } } : st)) })],
      ['a stop contact (stop route)', () => owner.api.patch(`/api/v1/shipments/${id}/stops/1`, { contact: { name: 'Dora' } })],
      ['an internal note removed', () => owner.api.delete(`/api/v1/shipments/${id}/notes/${note.body.id}`)],
      ['a gallery photo deleted', () => owner.api.delete(`/api/v1/shipments/${id}/photos/${gallery}`)],
    ];
    await expectEditsHidden(edits, { name: 'partner', before, read: seen, ownerTime });
  });

  it("moves nothing for a PATCH that changes nothing, and never for another org's edits", async () => {
    const { owner, partner, id, body, ownerTime, seen } = await sharedShipment('Owner No-op', 'Partner No-op');
    const before = (await seen()).updated_at;
    await newMillisecond();
    const { kind: _kind, internal: _internal, ...same } = body;
    const noop = await owner.api.patch(`/api/v1/shipments/${id}`, { ...same, status: 'in_transit' });
    assert.equal(noop.status, 200, noop.text);
    assert.notEqual(await ownerTime(), before, "the owner's row was written");
    assert.equal((await seen()).updated_at, before, 'an unchanged PATCH moved the partner’s updated_at');
    // Another org, its own shipment shared with the same partner: its edits are its shipment's only.
    const other = await ctx().newOrg({ name: 'Other Owner' });
    const otherId = (await other.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit' }))).body.id as string;
    await shareWithPartner(other, partner, otherId);
    await newMillisecond();
    assert.equal((await other.api.patch(`/api/v1/shipments/${otherId}`, { title: 'Other title', custom_fields: [{ key: 'dock', value: '9', shareable: true }] })).status, 200);
    assert.equal((await other.api.patch(`/api/v1/shipments/${id}`, { title: 'Not yours' })).status, 404);
    assert.equal((await partner.api.patch(`/api/v1/shipments/${id}`, { title: 'Not yours either' })).status, 403);
    assert.equal((await seen()).updated_at, before, "another org's edits moved it");
    const otherSeen = (await partner.api.get(`/api/v1/shipments/${otherId}`)).body.updated_at;
    assert.equal(otherSeen, (await other.api.get(`/api/v1/shipments/${otherId}`)).body.updated_at, "the other org's shipment moved to its own edit's time");
  });
});
