// The public timeline ("What happened", issue 18 item 3) on both stores: built on the server from
// what the link shows, newest first, in /data and on the page in the visitor's language; a link
// hiding a section shows none of that section's entries.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody, PDF } from '../../../test/helpers/fixtures.js';

const T0 = Date.parse('2026-11-30T06:00:00.000Z');
const at = (h: number) => new Date(T0 + h * 3_600_000).toISOString();

/** A shipment that went through everything a timeline shows. */
async function busyShipment(org: TestOrg) {
  const s = await org.api.post(
    '/api/v1/shipments',
    consignmentBody({
      status: 'planned',
      stages: ['Booked', 'Loaded', 'On the road'],
      current_stage: 0,
      stops: [
        { type: 'pickup', name: 'Depot Zwolle', lat: 52.5, lon: 6.1 },
        { type: 'waypoint', name: 'Cross-dock Utrecht', lat: 52.09, lon: 5.11 },
        { type: 'delivery', name: 'Store Breda', lat: 51.59, lon: 4.78 },
      ],
    }),
  );
  assert.equal(s.status, 201, s.text);
  const id: string = s.body.id;
  const ev = async (body: Record<string, unknown>) => {
    const r = await org.api.post(`/api/v1/shipments/${id}/events`, body);
    assert.equal(r.status, 200, r.text);
  };
  await ev({ type: 'stage_changed', current_stage: 1, occurred_at: at(1) });
  const scan = await org.api.post(`/api/v1/shipments/${id}/pallet-scans`, { cargo_index: 0, stop_index: 0, event: 'staged', code: 'PAL-7', place: 'Dock 3', scanned_at: at(1.5) });
  assert.equal(scan.status, 201, scan.text);
  await ev({ type: 'stop_departed', stop_index: 0, occurred_at: at(2) });
  await ev({ type: 'stop_arrived', stop_index: 1, occurred_at: at(3) });
  await ev({ type: 'stop_departed', stop_index: 1, occurred_at: at(4) });
  await ev({ type: 'status_changed', status: 'exception', occurred_at: at(4.5) });
  return id;
}

let recipients = 0;
/** A link with these options (each its own recipient: a shipment has one general link). */
async function linkOf(org: TestOrg, id: string, options: Record<string, unknown> = {}) {
  const l = await org.api.post(`/api/v1/shipments/${id}/links`, { options, recipient: { email: `r${++recipients}@example.test` } });
  assert.equal(l.status, 201, l.text);
  return new URL(l.body.url).pathname;
}

await describeStores('public timeline', (ctx) => {
  it('lists what happened newest first in /data, and words it on the page in the visitor language', async () => {
    const org = await ctx().newOrg({ country: 'NL' });
    const id = await busyShipment(org);
    const path = await linkOf(org, id);
    const data = await ctx().anon.get(`${path}/data`);
    assert.equal(data.status, 200, data.text);
    const tl = data.body.timeline as { at: string; type: string; stop?: { name: string }; stage?: string; status?: string; scan?: { event: string } }[];
    assert.deepEqual(
      tl.filter((e) => e.type !== 'created').map((e) => [e.at, e.type, e.stop?.name ?? e.stage ?? e.status ?? e.scan?.event]),
      [
        [at(4.5), 'status', 'exception'],
        [at(4), 'departed', 'Cross-dock Utrecht'],
        [at(3), 'arrived', 'Cross-dock Utrecht'],
        [at(2), 'picked_up', 'Depot Zwolle'],
        [at(1.5), 'scan', 'staged'],
        [at(1), 'stage', 'Loaded'],
      ],
    );
    assert.equal(tl.filter((e) => e.type === 'created').length, 1, 'created once');
    const times = tl.map((e) => Date.parse(e.at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');

    const de = await ctx().anon.get(path, { 'accept-language': 'de-DE' });
    const section = /<section[^>]*id="timeline"[\s\S]*?<\/section>/.exec(de.text)?.[0] ?? '';
    assert.match(section, /<h2 id="timeline-h">Sendungsverlauf<\/h2>/);
    for (const words of ['Abgeholt', 'Depot Zwolle', 'Angekommen', 'Abgefahren', 'Schritt erreicht', 'Loaded', 'Palette bereitgestellt', 'PAL-7 · Dock 3', 'Verzögert, in Klärung', 'Sendung erstellt']) {
      assert.ok(section.includes(words), `${words} in the German timeline`);
    }
    assert.doesNotMatch(section, />staged</, 'no raw scan event');
    assert.ok(section.indexOf('Verzögert') < section.indexOf('Abgeholt'), 'newest first on the page');
    // The pallet-scan table words the event too.
    assert.match(de.text, /<td data-label="Ereignis">Palette bereitgestellt<\/td>/);
  });

  it('shows delivery and the proof of delivery once there are, and an unknown scan event as written', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const id = await busyShipment(org);
    await org.api.post(`/api/v1/shipments/${id}/pallet-scans`, { event: 'wrapped twice', scanned_at: at(5) });
    assert.equal((await org.api.post(`/api/v1/shipments/${id}/events`, { type: 'stop_arrived', stop_index: 2, occurred_at: at(6) })).status, 200);
    assert.equal((await org.api.post(`/api/v1/shipments/${id}/events`, { type: 'status_changed', status: 'delivered', occurred_at: at(6.5) })).status, 200);
    assert.equal((await org.api.send('PUT', `/api/v1/shipments/${id}/proof-of-delivery`, PDF, 'application/pdf', { 'x-signed-by': 'R. Jansen' })).status, 200);
    const path = await linkOf(org, id);
    const tl = (await ctx().anon.get(`${path}/data`)).body.timeline as { type: string }[];
    // The proof of delivery and the shipment itself are recorded now; the rest at its own time.
    assert.deepEqual(tl.filter((e) => e.type !== 'created').slice(0, 3).map((e) => e.type), ['pod', 'delivered', 'arrived']);
    const html = (await ctx().anon.get(path, { 'accept-language': 'en-GB' })).text;
    assert.match(html, /<span class="tl-what">Proof of delivery captured<\/span>/);
    assert.match(html, /<span class="tl-what">Pallet scan: wrapped twice<\/span>/);
    // Without the proof-of-delivery section, no entry for it.
    const noPod = (await ctx().anon.get(`${await linkOf(org, id, { proof_of_delivery: false })}/data`)).body.timeline as { type: string }[];
    assert.ok(!noPod.some((e) => e.type === 'pod'));
  });

  it('shows no entry of a section the link hides: stops and their times, stages, status, scans', async () => {
    const org = await ctx().newOrg({ country: 'GB' });
    const id = await busyShipment(org);
    const types = async (options: Record<string, unknown>) => {
      const path = await linkOf(org, id, options);
      const data = await ctx().anon.get(`${path}/data`);
      const html = (await ctx().anon.get(path)).text;
      return { types: new Set((data.body.timeline as { type: string }[]).map((e) => e.type)), json: data.text, html };
    };
    const noStops = await types({ stops: false });
    for (const t of ['picked_up', 'arrived', 'departed']) assert.ok(!noStops.types.has(t), `no ${t} without stops`);
    for (const text of [noStops.json, noStops.html]) {
      assert.ok(!text.includes('Cross-dock Utrecht') && !text.includes(at(3)) && !text.includes(at(4)), 'no stop name or stop time');
    }
    assert.ok(noStops.types.has('stage') && noStops.types.has('scan'), 'the rest stays');
    const noStage = await types({ progress: false });
    assert.ok(!noStage.types.has('stage') && !noStage.json.includes(at(1)) && !noStage.json.includes('Loaded'));
    const noStatus = await types({ status: false });
    assert.ok(!noStatus.types.has('status') && !noStatus.types.has('created') && !noStatus.json.includes(at(4.5)));
    const noScans = await types({ pallet_scans: false });
    assert.ok(!noScans.types.has('scan') && !noScans.json.includes('PAL-7'));
    const nothing = await types({ stops: false, progress: false, status: false, pallet_scans: false, proof_of_delivery: false });
    assert.equal(nothing.types.size, 0);
    assert.doesNotMatch(nothing.html, /id="timeline"/, 'no empty section');
  });
});
