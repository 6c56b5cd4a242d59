// One stop at a time (issue 17 item 4), on both stores: inserting and removing keeps every other
// stop (id, arrival, departure) and what refers to stops by index; a bad index is a 404 or 400
// with the error body and changes nothing; concurrent changes lose nothing; a stop event does
// exactly what the shipment's own stop event does (status, timeline, notifications).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';

interface Stop {
  id: string;
  index: number;
  name: string | null;
  address: string | null;
  arrived_at: string | null;
  departed_at: string | null;
  window_end: string | null;
  contact: { name: string | null; email: string | null } | null;
}

const shipment = async (org: TestOrg, overrides: Record<string, unknown> = {}) => {
  const r = await org.api.post('/api/v1/shipments', consignmentBody(overrides));
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string; stops: Stop[] };
};
const read = async (org: TestOrg, id: string) => (await org.api.get(`/api/v1/shipments/${id}`)).body;
const assertError = (r: { status: number; body: { error?: { code: string; message: string } } }, status: number, code: string) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error?.code, code);
  assert.ok(r.body.error?.message);
};

await describeStores('stops of a shipment, one at a time', (ctx) => {
  it('inserts a stop at a position: later stops move up with their ids and arrival, and segments and pallet scans follow', async () => {
    const org = await ctx().newOrg();
    const s = await shipment(org);
    const arrived = await org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'stop_arrived', stop_index: 1, occurred_at: '2026-12-01T13:00:00.000Z' });
    assert.equal(arrived.status, 200, arrived.text);
    assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/pallet-scans`, { stop_index: 1, event: 'unloaded' })).status, 201);

    const added = await org.api.post(`/api/v1/shipments/${s.id}/stops`, { type: 'waypoint', name: 'Cross dock', lat: 52.1, lon: 4.7, position: 1 });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.index, 1);
    assert.equal(added.body.name, 'Cross dock');
    const after = await read(org, s.id);
    assert.deepEqual(after.stops.map((st: Stop) => st.name), ['Depot', 'Cross dock', 'Customer']);
    assert.deepEqual(after.stops.map((st: Stop) => st.index), [0, 1, 2]);
    assert.deepEqual([after.stops[0].id, after.stops[2].id], [s.stops[0].id, s.stops[1].id], 'the other stops keep their ids');
    assert.equal(after.stops[1].id, added.body.id);
    assert.equal(after.stops[2].arrived_at, '2026-12-01T13:00:00.000Z', 'and their arrival');
    assert.deepEqual(after.segments.map((g: { from_stop: number; to_stop: number }) => [g.from_stop, g.to_stop]), [[0, 2]]);
    assert.deepEqual(after.pallet_scans.map((p: { stop_index: number }) => p.stop_index), [2]);

    const appended = await org.api.post(`/api/v1/shipments/${s.id}/stops`, { type: 'delivery', name: 'Second customer' });
    assert.equal(appended.status, 201, appended.text);
    assert.equal(appended.body.index, 3);
    assertError(await org.api.post(`/api/v1/shipments/${s.id}/stops`, { type: 'waypoint', position: 5 }), 400, 'validation_failed');
    assertError(await org.api.post(`/api/v1/shipments/${s.id}/stops`, { type: 'waypoint', lat: 52 }), 400, 'validation_failed');
    assert.equal((await read(org, s.id)).stops.length, 4, 'a refused stop is not added');
  });

  it('changes only the fields sent; a missing index is a 404, a malformed one or an inconsistent stop a 400, and nothing is written', async () => {
    const org = await ctx().newOrg();
    const s = await shipment(org);
    const changed = await org.api.patch(`/api/v1/shipments/${s.id}/stops/1`, { name: 'Client', window_end: '2026-12-01T17:00:00.000Z' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.id, s.stops[1].id);
    assert.equal(changed.body.name, 'Client');
    assert.equal(changed.body.window_end, '2026-12-01T17:00:00.000Z');
    assert.equal(changed.body.address, 'High St 2');
    assert.deepEqual(changed.body.contact, { name: 'Dirk', email: 'dirk@example.test' });
    assert.deepEqual((await read(org, s.id)).stops[1], changed.body);

    const bad = await org.api.patch(`/api/v1/shipments/${s.id}/stops/1`, { window_start: '2026-12-01T18:00:00.000Z' });
    assertError(bad, 400, 'validation_failed');
    assert.equal(bad.body.error.details[0].path, 'body/window_end');
    assertError(await org.api.patch(`/api/v1/shipments/${s.id}/stops/1`, { lat: null }), 400, 'validation_failed');
    assertError(await org.api.patch(`/api/v1/shipments/${s.id}/stops/1`, {}), 400, 'validation_failed');
    assertError(await org.api.patch(`/api/v1/shipments/${s.id}/stops/one`, { name: 'x' }), 400, 'validation_failed');
    assertError(await org.api.patch(`/api/v1/shipments/${s.id}/stops/2`, { name: 'x' }), 404, 'not_found');
    assert.deepEqual((await read(org, s.id)).stops[1], changed.body, 'refused changes leave the stop as it was');

    const other = await ctx().newOrg();
    assertError(await other.api.patch(`/api/v1/shipments/${s.id}/stops/0`, { name: 'x' }), 404, 'not_found');
    assertError(await other.api.post(`/api/v1/shipments/${s.id}/stops`, { type: 'waypoint' }), 404, 'not_found');
    const viewer = await org.withRole('viewer');
    assertError(await viewer.delete(`/api/v1/shipments/${s.id}/stops/0`), 403, 'forbidden');
  });

  it('removes a stop: later stops move down, a segment ending there refuses it (409), pallet scans there keep no stop', async () => {
    const org = await ctx().newOrg();
    const s = await shipment(org, {
      stops: [
        { type: 'pickup', name: 'Depot', lat: 52.37, lon: 4.89 },
        { type: 'waypoint', name: 'Cross dock', lat: 52.1, lon: 4.7 },
        { type: 'delivery', name: 'Customer', lat: 51.92, lon: 4.48 },
      ],
      segments: [{ name: 'Whole trip', from_stop: 0, to_stop: 2 }],
    });
    await org.api.post(`/api/v1/shipments/${s.id}/stops/2/events`, { type: 'arrived', at: '2026-12-01T13:00:00.000Z' });
    for (const stop_index of [1, 2]) assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/pallet-scans`, { stop_index, event: 'scanned' })).status, 201);

    const refused = await org.api.delete(`/api/v1/shipments/${s.id}/stops/2`);
    assertError(refused, 409, 'conflict');
    assert.equal(refused.body.error.details[0].path, 'segments/0');
    assertError(await org.api.delete(`/api/v1/shipments/${s.id}/stops/3`), 404, 'not_found');
    assert.equal((await read(org, s.id)).stops.length, 3);

    assert.equal((await org.api.delete(`/api/v1/shipments/${s.id}/stops/1`)).status, 204);
    const after = await read(org, s.id);
    assert.deepEqual(after.stops.map((st: Stop) => [st.index, st.name, st.id]), [[0, 'Depot', s.stops[0].id], [1, 'Customer', s.stops[2].id]]);
    assert.equal(after.stops[1].arrived_at, '2026-12-01T13:00:00.000Z');
    assert.deepEqual(after.segments.map((g: { from_stop: number; to_stop: number }) => [g.from_stop, g.to_stop]), [[0, 1]]);
    assert.deepEqual(after.pallet_scans.map((p: { stop_index: number | null }) => p.stop_index).sort(), [1, null]);
  });

  it('concurrent changes of one route lose nothing: every stop added at once is there, once, at its own index', async () => {
    const org = await ctx().newOrg();
    const s = await shipment(org, { stops: [{ type: 'pickup', name: 'Depot' }], segments: [] });
    const names = Array.from({ length: 12 }, (_, i) => `Stop ${i}`);
    const replies = await Promise.all(names.map((name, i) => org.api.post(`/api/v1/shipments/${s.id}/stops`, { type: 'waypoint', name, ...(i % 2 ? { position: 0 } : {}) })));
    for (const r of replies) assert.equal(r.status, 201, r.text);
    const after = await read(org, s.id);
    assert.deepEqual(after.stops.map((st: Stop) => st.index), Array.from({ length: 13 }, (_, i) => i));
    assert.deepEqual(after.stops.map((st: Stop) => st.name).sort(), ['Depot', ...names].sort());
    assert.equal(new Set(after.stops.map((st: Stop) => st.id)).size, 13);
  });

  it("a stop event does what the shipment's stop event does: status, timeline and notifications alike", async () => {
    const org = await ctx().newOrg();
    const template = await org.api.post('/api/v1/email-templates', { name: 'Left', subject: '{{shipment.reference}}', html: '<p>{{stop.name}}</p>', text: '{{stop.name}}' });
    assert.equal(template.status, 201, template.text);
    const task = await org.api.post('/api/v1/tasks', { name: 'Departed', trigger: 'stop_departed', level: 'stop', recipients: ['stop_contact'], template_id: template.body.id });
    assert.equal(task.status, 201, task.text);
    const viaShipment = await shipment(org);
    const viaStop = await shipment(org);
    const at = '2026-12-01T08:00:00.000Z';

    const a = await org.api.post(`/api/v1/shipments/${viaShipment.id}/events`, { type: 'stop_departed', stop_index: 0, occurred_at: at });
    const b = await org.api.post(`/api/v1/shipments/${viaStop.id}/stops/0/events`, { type: 'departed', at });
    assert.equal(b.status, a.status, b.text);
    for (const r of [a, b]) {
      assert.equal(r.body.status, 'in_transit', 'leaving the pickup puts the shipment on the road');
      assert.equal(r.body.stops[0].departed_at, at);
    }
    const timeline = async (id: string) =>
      (await org.api.get(`/api/v1/shipments/${id}/events`)).body.items.map((e: { type: string; data: Record<string, unknown>; occurred_at: string }) => ({
        type: e.type,
        data: { ...e.data, stop_id: undefined },
        occurred_at: e.occurred_at,
      }));
    // Both events of the departure happen at the same instant: the timeline orders them by id.
    const byType = (a: { type: string }, b: { type: string }) => a.type.localeCompare(b.type);
    const events = (await timeline(viaStop.id)).sort(byType);
    assert.deepEqual(events.map((e: { type: string }) => e.type), ['shipment_created', 'status_changed', 'stop_departed']);
    assert.deepEqual(events.slice(1), (await timeline(viaShipment.id)).sort(byType).slice(1));
    const outbox = async (id: string) => (await org.api.get(`/api/v1/outbox?shipment_id=${id}`)).body.items.map((r: { recipient: string; event_type: string }) => [r.recipient, r.event_type]);
    assert.deepEqual(await outbox(viaStop.id), [['pia@example.test', 'stop_departed']]);
    assert.deepEqual(await outbox(viaStop.id), await outbox(viaShipment.id));

    const arrived = await org.api.post(`/api/v1/shipments/${viaStop.id}/stops/1/events`, { type: 'arrived' });
    assert.equal(arrived.status, 200, arrived.text);
    assert.ok(arrived.body.stops[1].arrived_at, 'without `at`, now');
    assertError(await org.api.post(`/api/v1/shipments/${viaStop.id}/stops/2/events`, { type: 'arrived' }), 404, 'not_found');
    assertError(await org.api.post(`/api/v1/shipments/${viaStop.id}/stops/0/events`, { type: 'loaded' }), 400, 'validation_failed');
    const viewer = await org.withRole('viewer');
    assertError(await viewer.post(`/api/v1/shipments/${viaStop.id}/stops/0/events`, { type: 'arrived' }), 403, 'forbidden');
  });
});
