import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody, PDF, PNG, uniqueRef } from '../../../test/helpers/fixtures.js';

await describeStores('shipments API', (ctx) => {
  it('creates a shipment with nested stops, cargo and segments and reads it back', async () => {
    const { api } = await ctx().newOrg();
    const body = consignmentBody();
    const created = await api.post('/api/v1/shipments', body);
    assert.equal(created.status, 201, created.text);
    const s = created.body;
    assert.equal(s.reference, body.reference);
    assert.equal(s.stops.length, 2);
    assert.equal(s.stops[1].window_start, '2026-12-01T12:00:00.000Z');
    assert.deepEqual(s.stops[0].contact, { name: 'Pia', email: 'pia@example.test' });
    assert.equal(s.cargo[0].weight_kg, 8400);
    assert.deepEqual(s.segments.map((g: { from_stop: number; to_stop: number }) => [g.from_stop, g.to_stop]), [[0, 1]]);
    assert.equal(s.internal.vin, 'VIN123');
    assert.equal(s.eta_source, 'manual');
    const read = await api.get(`/api/v1/shipments/${s.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, s);
  });

  it('rejects a second shipment with the same reference in the org with 409, but another org may reuse it', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const body = consignmentBody();
    assert.equal((await a.api.post('/api/v1/shipments', body)).status, 201);
    const dup = await a.api.post('/api/v1/shipments', body);
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'conflict');
    assert.equal((await b.api.post('/api/v1/shipments', body)).status, 201);
  });

  it('patches fields, replaces nested arrays and records status and ETA events', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const p = await api.patch(`/api/v1/shipments/${s.id}`, { status: 'in_transit', eta: '2026-12-01T15:30:00.000Z', cargo: [{ description: 'Boxes', quantity: 3 }] });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.status, 'in_transit');
    assert.equal(p.body.cargo.length, 1);
    assert.equal(p.body.cargo[0].description, 'Boxes');
    assert.equal(p.body.stops.length, 2, 'stops not sent keep their value');
    const ev = await api.get(`/api/v1/shipments/${s.id}/events`);
    const types = ev.body.items.map((e: { type: string }) => e.type);
    assert.deepEqual(types.sort(), ['eta_changed', 'shipment_created', 'status_changed'].sort());
    const eta = ev.body.items.find((e: { type: string }) => e.type === 'eta_changed');
    assert.equal(eta.data.minutes, 90);
  });

  it('rejects inconsistent shapes: segment to a missing stop, stage out of range, lat without lon', async () => {
    const { api } = await ctx().newOrg();
    const r = await api.post('/api/v1/shipments', consignmentBody({ segments: [{ from_stop: 0, to_stop: 5 }], current_stage: 7, stops: [{ type: 'pickup', lat: 1 }] }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'validation_failed');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    assert.ok(paths.includes('body/current_stage'));
    assert.ok(paths.includes('body/stops/0'));
    assert.ok(paths.includes('body/segments/0/to_stop'));
  });

  it('lists with filters and cursor pagination without gaps or repeats', async () => {
    const { api } = await ctx().newOrg();
    const refs: string[] = [];
    for (let i = 0; i < 7; i++) {
      const ref = uniqueRef('PG');
      refs.push(ref);
      await api.post('/api/v1/shipments', { kind: 'order', reference: ref, status: i % 2 ? 'delivered' : 'planned' });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { items: { reference: string }[]; next_cursor: string | null } } = await api.get(`/api/v1/shipments?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= 3);
      seen.push(...r.body.items.map((s: { reference: string }) => s.reference));
      cursor = r.body.next_cursor;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [...refs].sort());
    const delivered = await api.get('/api/v1/shipments?status=delivered');
    assert.equal(delivered.body.items.length, 3);
    const one = await api.get(`/api/v1/shipments?reference=${refs[4]}`);
    assert.deepEqual(one.body.items.map((s: { reference: string }) => s.reference), [refs[4]]);
    const bad = await api.get('/api/v1/shipments?cursor=garbage');
    assert.equal(bad.status, 400);
  });

  it('records stop arrival and departure; departing the pickup puts a planned shipment in transit', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const dep = await api.post(`/api/v1/shipments/${s.id}/events`, { type: 'stop_departed', stop_index: 0, occurred_at: '2026-12-01T08:00:00.000Z' });
    assert.equal(dep.status, 200, dep.text);
    assert.equal(dep.body.stops[0].departed_at, '2026-12-01T08:00:00.000Z');
    assert.equal(dep.body.status, 'in_transit');
    const arr = await api.post(`/api/v1/shipments/${s.id}/events`, { type: 'stop_arrived', stop_index: 1 });
    assert.ok(arr.body.stops[1].arrived_at);
    const bad = await api.post(`/api/v1/shipments/${s.id}/events`, { type: 'stop_arrived', stop_index: 9 });
    assert.equal(bad.status, 400);
    const delivered = await api.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'delivered' });
    assert.equal(delivered.body.status, 'delivered');
    assert.ok(delivered.body.delivered_at);
  });

  it('stores notes, photos (images only), the hero photo, pallet scans, contacts and proof of delivery', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const note = await api.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'customer', body: 'Ring twice' });
    assert.equal(note.status, 201);
    const photo = await api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png');
    assert.equal(photo.status, 201, photo.text);
    const notImage = await api.send('POST', `/api/v1/shipments/${s.id}/photos`, Buffer.from('MZ this is an exe'), 'image/png');
    assert.equal(notImage.status, 415);
    assert.equal(notImage.body.error.code, 'unsupported_media_type');
    const img = await api.get(`/api/v1/shipments/${s.id}/photos/${photo.body.id}`);
    assert.equal(img.status, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    const hero = await api.put(`/api/v1/shipments/${s.id}/hero-photo`, { photo_id: photo.body.id });
    assert.equal(hero.body.hero_photo_id, photo.body.id);
    const wrongHero = await api.put(`/api/v1/shipments/${s.id}/hero-photo`, { photo_id: 'nope' });
    assert.equal(wrongHero.status, 400);
    const scan = await api.post(`/api/v1/shipments/${s.id}/pallet-scans`, { cargo_index: 0, stop_index: 0, event: 'loaded', code: 'PAL-1' });
    assert.equal(scan.status, 201, scan.text);
    const badScan = await api.post(`/api/v1/shipments/${s.id}/pallet-scans`, { cargo_index: 4, event: 'loaded' });
    assert.equal(badScan.status, 400);
    const contact = await api.post(`/api/v1/shipments/${s.id}/contacts`, { name: 'Ann', email: 'Ann@Example.test' });
    assert.equal(contact.body.email, 'ann@example.test');
    const pod = await api.send('PUT', `/api/v1/shipments/${s.id}/proof-of-delivery`, PDF, 'application/pdf');
    assert.equal(pod.status, 200, pod.text);
    assert.equal(pod.body.proof_of_delivery.content_type, 'application/pdf');
    const full = (await api.get(`/api/v1/shipments/${s.id}`)).body;
    assert.equal(full.notes.length, 1);
    assert.equal(full.photos.length, 1);
    assert.equal(full.pallet_scans[0].code, 'PAL-1');
    assert.equal(full.contacts.length, 1);
    const podFile = await api.get(`/api/v1/shipments/${s.id}/proof-of-delivery`);
    assert.equal(podFile.status, 200);
    assert.ok(podFile.text.startsWith('%PDF-'));
  });

  it('deletes a shipment with everything in it', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    await api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png');
    assert.equal((await api.delete(`/api/v1/shipments/${s.id}`)).status, 204);
    assert.equal((await api.get(`/api/v1/shipments/${s.id}`)).status, 404);
    const photos = await ctx().store.db.selectFrom('photos').select('id').where('shipment_id', '=', s.id).execute();
    assert.equal(photos.length, 0);
  });
});
