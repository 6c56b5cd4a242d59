// What a link hides leaves no trace in what it shows: neither the time of a hidden change (the
// "Updated" line) nor, where the status is hidden, when (or that) the shipment was delivered.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody, PNG, uniqueRef } from '../../../test/helpers/fixtures.js';
import type { ApiResponse } from '../../../test/helpers/context.js';
import { expectEditsHidden, newMillisecond, type Edit } from '../../../test/helpers/edits.js';

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

  // Edits of what a link shows move its updated_at to the edit's time; edits of what it hides (by
  // the link's sections or the field's own marking), or that change nothing, leave it.
  const linked = async (options: Record<string, unknown>) => {
    const org = await ctx().newOrg();
    const body = consignmentBody({ status: 'in_transit' });
    const id = (await org.api.post('/api/v1/shipments', body)).body.id as string;
    const link = await org.api.post(`/api/v1/shipments/${id}/links`, { options });
    assert.equal(link.status, 201, link.text);
    const data = async () => {
      const r = await ctx().anon.get(`/t/${link.body.slug}/data`);
      assert.equal(r.status, 200, r.text);
      return { updated_at: r.body.updated_at as string | null, text: r.text };
    };
    const page = async () => (await ctx().anon.get(`/t/${link.body.slug}`)).text;
    const patch = (change: Record<string, unknown>) => org.api.patch(`/api/v1/shipments/${id}`, change);
    const ownerTime = async () => (await org.api.get(`/api/v1/shipments/${id}`)).body.updated_at as string;
    /**
     * Makes each edit, then checks that the link kept `before`'s updated_at and shows the edit's
     * time nowhere, on /data or the page (and, with `sameText`, that its /data did not change at all).
     */
    const expectHidden = (edits: Edit[], before: { updated_at: string | null; text: string }, sameText = false) =>
      expectEditsHidden(edits, { name: 'link', before, read: data, ownerTime, alsoRead: page, sameText });
    return { org, id, body, data, page, patch, ownerTime, expectHidden };
  };

  it('moves a link’s updated_at to the time of an edit of anything it shows', async () => {
    const all = { custom_fields: true, extra_fields: true, customer_reference: true, container_number: true, transport_service: true };
    const { org, id, body, data, patch, ownerTime } = await linked(all);
    const edits: Edit[] = [
      ['title', () => patch({ title: 'Tiles, 14 pallets' })],
      ['reference', () => patch({ reference: uniqueRef('CN') })],
      ['customer reference', () => patch({ customer_reference: 'PO-99' })],
      ['transport service', () => patch({ transport_service: 'LTL' })],
      ['status (not a delivery)', () => org.api.post(`/api/v1/shipments/${id}/events`, { type: 'status_changed', status: 'exception' })],
      ['stages', () => patch({ stages: ['Booked', 'Loaded', 'Picked up', 'Delivered'] })],
      ['cargo', () => patch({ cargo: [{ description: 'Pallets of tiles', quantity: 14, packaging: 'EUR pallet', weight_kg: 9800 }] })],
      ['a stop reference (PATCH stops)', () => patch({ stops: body.stops.map((st, i) => (i === 0 ? { ...st, reference: 'PU-2' } : st)) })],
      ['a stop window (stop route)', () => org.api.patch(`/api/v1/shipments/${id}/stops/1`, { window_end: '2026-12-01T17:00:00.000Z' })],
      ['a stop place on the map', () => org.api.patch(`/api/v1/shipments/${id}/stops/0`, { lat: 52.38, lon: 4.9 })],
      ['a shareable custom field', () => patch({ custom_fields: [{ key: 'dock', value: '8', shareable: true }] })],
      ['an extra field made shareable', () => patch({ extra_fields: [{ key: 'temp', value: '4C', shareable: true }] })],
    ];
    for (const [what, edit] of edits) {
      await newMillisecond();
      const r = await edit();
      assert.ok(r.status < 300, `${what}: ${r.text}`);
      assert.equal((await data()).updated_at, await ownerTime(), `${what}: old code kept the link's updated_at where it was`);
    }
  });

  it('moves the updated_at of a link hiding the stops for what still shows them: its scans’ stop numbers, its map’s markers', async () => {
    const { org, id, data, ownerTime, expectHidden } = await linked({ stops: false, pallet_scans: true, map: true });
    const stops = `/api/v1/shipments/${id}/stops`;
    assert.equal((await org.api.post(`/api/v1/shipments/${id}/pallet-scans`, { stop_index: 1, event: 'unloaded', code: 'PAL-1' })).status, 201);
    // A waypoint after the destination, and its place: the link shows neither, nor does any scan refer to it.
    await expectHidden(
      [
        ['a waypoint appended', () => org.api.post(stops, { type: 'waypoint', name: 'Yard' })],
        ['a waypoint’s place (hidden with the stops)', () => org.api.patch(`${stops}/2`, { lat: 52.5, lon: 5.5 })],
        ['that waypoint removed', () => org.api.delete(`${stops}/2`)],
      ],
      await data(),
      true,
    );
    const edits: Edit[] = [
      ['a stop inserted before the scanned one (its scan’s stop_index 1 → 2)', () => org.api.post(stops, { type: 'waypoint', name: 'Border', position: 0 })],
      ['the pickup’s place (a marker on the map)', () => org.api.patch(`${stops}/1`, { lat: 52.38, lon: 4.9 })],
      ['a stop removed before the scanned one (2 → 1)', () => org.api.delete(`${stops}/0`)],
    ];
    for (const [what, edit] of edits) {
      await newMillisecond();
      const r = await edit();
      assert.ok(r.status < 300, `${what}: ${r.text}`);
      assert.equal((await data()).updated_at, await ownerTime(), `old code: ${what} left the link's updated_at where it was`);
    }
    assert.equal(JSON.parse((await data()).text).pallet_scans[0].stop_index, 1);
  });

  it('moves a link’s updated_at for a rename of a segment it shares and the deletion of a photo it picks, and only those', async () => {
    const org = await ctx().newOrg();
    const body = consignmentBody({ status: 'in_transit', segments: [{ name: 'Main haul', from_stop: 0, to_stop: 1 }, { name: 'Last mile', from_stop: 0, to_stop: 1 }] });
    const id = (await org.api.post('/api/v1/shipments', body)).body.id as string;
    const photo = async () => (await org.api.send('POST', `/api/v1/shipments/${id}/photos`, PNG, 'image/png')).body.id as string;
    const [first, second] = [await photo(), await photo()];
    const slugOf = async (email: string, options: Record<string, unknown>) => {
      const l = await org.api.post(`/api/v1/shipments/${id}/links`, { recipient: { email }, options });
      assert.equal(l.status, 201, l.text);
      return l.body.slug as string;
    };
    // One link shares the second segment and picks the first photo; the other shares every segment and picks the second photo.
    const links = { some: await slugOf('some@example.test', { segments: [1], photo_ids: [first] }), all: await slugOf('all@example.test', { photo_ids: [second] }) };
    const seen = async (slug: string) => {
      const r = await ctx().anon.get(`/t/${slug}/data`);
      assert.equal(r.status, 200, r.text);
      return { updated_at: r.body.updated_at as string | null, text: r.text };
    };
    const ownerTime = async () => (await org.api.get(`/api/v1/shipments/${id}`)).body.updated_at as string;
    const renamed = (names: string[]) => org.api.patch(`/api/v1/shipments/${id}`, { segments: body.segments.map((g, i) => ({ ...g, name: names[i] })) });
    const edits: [string, () => Promise<ApiResponse>, Record<keyof typeof links, boolean>][] = [
      ['the first segment renamed', () => renamed(['Trunk', 'Last mile']), { some: false, all: true }],
      ['the second segment renamed', () => renamed(['Trunk', 'Final mile']), { some: true, all: true }],
      ['the second photo deleted', () => org.api.delete(`/api/v1/shipments/${id}/photos/${second}`), { some: false, all: true }],
      ['the first photo deleted', () => org.api.delete(`/api/v1/shipments/${id}/photos/${first}`), { some: true, all: false }],
    ];
    for (const [what, edit, moves] of edits) {
      const before = { some: await seen(links.some), all: await seen(links.all) };
      await newMillisecond();
      const r = await edit();
      assert.ok(r.status < 300, `${what}: ${r.text}`);
      const at = await ownerTime();
      for (const k of ['some', 'all'] as const) {
        const after = await seen(links[k]);
        assert.equal(after.text !== before[k].text, moves[k], `${what}: whether the ${k} link shows it`);
        if (moves[k]) assert.equal(after.updated_at, at, `old code: ${what} left the ${k} link's updated_at where it was`);
        else assert.ok(after.updated_at === before[k].updated_at && !after.text.includes(at), `${what} moved the ${k} link's updated_at`);
      }
    }
  });

  it('keeps a link’s updated_at, and the time of a hidden edit off its page, for every edit it hides', async () => {
    const hiding = { status: false, progress: false, cargo: false, stop_references: false, estimated_times: false, custom_fields: false, customer_reference: false, container_number: true };
    const { org, id, body, data, patch, ownerTime, expectHidden } = await linked(hiding);
    const before = await data();
    const edits: Edit[] = [
      ['status (section hidden)', () => org.api.post(`/api/v1/shipments/${id}/events`, { type: 'status_changed', status: 'exception' })],
      ['current stage (section hidden)', () => patch({ current_stage: 1 })],
      ['cargo (section hidden)', () => patch({ cargo: [{ description: 'Secret cargo' }] })],
      ['a stop reference (hidden)', () => org.api.patch(`/api/v1/shipments/${id}/stops/0`, { reference: 'PU-9' })],
      // The pickup's: the destination's window is the ETA's, which this link shows.
      ['a stop window (estimates hidden)', () => patch({ stops: body.stops.map((st, i) => (i === 0 ? { ...st, window_start: '2026-12-01T08:00:00.000Z' } : st)) })],
      ['a shareable custom field (section hidden)', () => patch({ custom_fields: [{ key: 'dock', value: '9', shareable: true }] })],
      ['the customer reference (section hidden)', () => patch({ customer_reference: 'PO-77' })],
      ['a field not marked shareable', () => patch({ extra_fields: [{ key: 'temp', value: '6C', shareable: false }] })],
      ['internal data', () => patch({ internal: { vin: 'VIN999' } })],
      ['an internal note', () => org.api.post(`/api/v1/shipments/${id}/notes`, { scope: 'internal', body: 'call the warehouse' })],
    ];
    await expectHidden(edits, before);
    // Delivered where the status is hidden: the ETA block shows no estimate, nor an edit of the ETA.
    assert.ok((await org.api.post(`/api/v1/shipments/${id}/events`, { type: 'status_changed', status: 'delivered' })).status < 300);
    const delivered = (await data()).updated_at;
    await newMillisecond();
    assert.equal((await patch({ eta: '2026-12-01T15:00:00.000Z' })).status, 200);
    const etaEditedAt = await ownerTime();
    const after = await data();
    assert.equal(after.updated_at, delivered, 'an ETA edit no estimate shows moved the link’s updated_at');
    assert.ok(!after.text.includes(etaEditedAt));
  });

  it('keeps a link’s updated_at for an edit of the destination’s own ETA where the shipment’s ETA is shown in its place', async () => {
    // The default link shows the ETA and the stops' estimates; the destination then shows the
    // shipment's ETA (set here), and its own expected time appears nowhere.
    const { org, id, data, ownerTime, expectHidden } = await linked({});
    const before = await data();
    assert.equal(JSON.parse(before.text).stops[1].eta, '2026-12-01T14:00:00.000Z', 'the destination shows the shipment’s ETA');
    const edits: Edit[] = [
      ['the destination’s own ETA (stop route)', () => org.api.patch(`/api/v1/shipments/${id}/stops/1`, { eta: '2026-12-01T15:00:00.000Z' })],
      ['the destination’s own ETA (event)', () => org.api.post(`/api/v1/shipments/${id}/events`, { type: 'eta_changed', stop_index: 1, eta: '2026-12-01T15:30:00.000Z' })],
    ];
    await expectHidden(edits, before, true);
    // Another stop's own expected time is shown: its edit still moves the link's updated_at.
    await newMillisecond();
    assert.ok((await org.api.patch(`/api/v1/shipments/${id}/stops/0`, { eta: '2026-12-01T09:00:00.000Z' })).status < 300);
    assert.equal((await data()).updated_at, await ownerTime(), 'the pickup’s ETA is shown');
  });

  it('moves a link’s updated_at for an edit of the destination’s ETA or window its ETA block shows, without the stops’ estimates', async () => {
    const org = await ctx().newOrg();
    const id = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit', eta: null }))).body.id as string;
    const link = await org.api.post(`/api/v1/shipments/${id}/links`, { options: { estimated_times: false } });
    assert.equal(link.status, 201, link.text);
    const data = async () => (await ctx().anon.get(`/t/${link.body.slug}/data`)).body as { updated_at: string | null; eta: { at: string | null; window: { end: string | null } | null } };
    const ownerTime = async () => (await org.api.get(`/api/v1/shipments/${id}`)).body.updated_at as string;
    const edits: [string, Record<string, unknown>, (d: Awaited<ReturnType<typeof data>>) => unknown, string][] = [
      ['the destination’s window', { window_end: '2026-12-01T17:00:00.000Z' }, (d) => d.eta.window?.end, '2026-12-01T17:00:00.000Z'],
      ['the destination’s own ETA (the shipment has none)', { eta: '2026-12-01T15:00:00.000Z' }, (d) => d.eta.at, '2026-12-01T15:00:00.000Z'],
    ];
    for (const [what, change, shownValue, value] of edits) {
      await newMillisecond();
      assert.equal((await org.api.patch(`/api/v1/shipments/${id}/stops/1`, change)).status, 200);
      const after = await data();
      assert.equal(shownValue(after), value, `${what} is shown in the ETA block`);
      assert.equal(after.updated_at, await ownerTime(), `old code: ${what} left the link's updated_at where it was`);
    }
  });

  it('moves nothing for a PATCH that changes nothing', async () => {
    const { data, body, patch, ownerTime } = await linked({ custom_fields: true, container_number: true });
    const before = (await data()).updated_at;
    await newMillisecond();
    const { kind: _kind, internal: _internal, ...same } = body;
    assert.equal((await patch(same)).status, 200);
    assert.notEqual(await ownerTime(), before, "the shipment's row was written");
    assert.equal((await data()).updated_at, before);
  });
});
