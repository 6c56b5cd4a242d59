// Leakage property for the computed ETA: it is recomputed as a device reports, so its
// calculated_at is the time a device last reported. For random templates and link options, the
// report times of a driver whose position the link hides never reach the page, /data or the live
// stream, while the ETA itself is still shown. The markers are those times (unique to the
// millisecond); the oracle decides independently of links/visibility.ts when the driver is hidden.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { before, it } from 'node:test';
import fc from 'fast-check';
import { describeStores, type TestOrg } from '../helpers/context.js';
import { uniqueRef } from '../helpers/fixtures.js';
import { LAYERS, type Layer } from '../helpers/leakage-fixture.js';
import { openSse } from '../helpers/sse.js';
import { SECTION_KEYS, type SectionKey } from '../../src/modules/links/template.js';

const RUNS = Number(process.env.LEAKAGE_RUNS ?? 60);
const MIN = 60_000;

const caseArb = fc.record({
  template: fc.record(Object.fromEntries(SECTION_KEYS.map((k) => [k, fc.boolean()])) as Record<SectionKey, fc.Arbitrary<boolean>>),
  // The ETA shown in most cases: that is where its time could leak.
  eta: fc.constantFrom(true, true, true, false),
  map: fc.option(fc.boolean(), { nil: undefined }),
  driver: fc.constantFrom('always', 'en_route_to_delivery', 'never'),
  layers: fc.option(fc.subarray([...LAYERS], { minLength: 1 }), { nil: undefined }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** A shipment on its way whose ETA was computed from its driver's phone; returns it and the phone's report times. */
async function computedEtaShipment(ctx: Parameters<Parameters<typeof describeStores>[1]>[0], org: TestOrg) {
  const now = Date.now();
  const s = await ctx().app.inject({
    method: 'POST',
    url: '/api/v1/shipments',
    headers: { authorization: `Bearer ${org.api_key}` },
    payload: {
      kind: 'consignment',
      reference: uniqueRef('ETA'),
      title: 'Visible title',
      status: 'in_transit',
      stops: [
        { type: 'pickup', name: 'Depot', lat: 52.1, lon: 4.1, departed_at: new Date(now - 60 * MIN).toISOString() },
        { type: 'delivery', name: 'Customer', lat: 52.4, lon: 4.6 },
      ],
    },
  });
  assert.equal(s.statusCode, 201, s.body);
  const id = JSON.parse(s.body).id as string;
  const db = ctx().store.db;
  const deviceId = randomUUID();
  await db.insertInto('devices').values({ id: deviceId, org_id: org.org_id, name: 'Driver phone', external_id: randomUUID(), token_hash: randomUUID(), created_at: now, last_seen_at: null }).execute();
  await db.insertInto('sources').values({ id: randomUUID(), org_id: org.org_id, shipment_id: id, device_id: deviceId, layer: 'driver', segment: null, created_at: now, attached_at: now - 2 * 60 * MIN, detached_at: null }).execute();
  // Two reports, the newest a minute and a half ago, at milliseconds nothing else has.
  const reports = [now - 6 * MIN - Math.floor(Math.random() * 999), now - 1.5 * MIN - Math.floor(Math.random() * 999)].map(Math.round);
  for (const [i, t] of reports.entries()) {
    await db.insertInto('positions').values({ org_id: org.org_id, device_id: deviceId, recorded_at: t, received_at: t, lat: 52.2 + i * 0.02, lon: 4.3 + i * 0.02, accuracy_m: 5, speed_mps: 14, heading_deg: 45, altitude_m: null, battery_pct: 80 }).execute();
  }
  // Computed as ingestion does, right when the newest report arrived.
  const eta = await ctx().services.eta.recompute(org.org_id, id, reports[1]);
  assert.ok(eta !== null, 'the ETA was computed from the driver');
  return { id, reports: reports.map((t) => new Date(t).toISOString()) };
}

await describeStores(
  'computed ETA leakage',
  (ctx) => {
    let org: TestOrg;
    let base = '';
    let fx: { id: string; reports: string[] };
    before(async () => {
      org = await ctx().newOrg();
      fx = await computedEtaShipment(ctx, org);
      await ctx().app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    });

    async function runCase(c: Case): Promise<{ hidden: boolean; etaShown: boolean; timeShown: boolean }> {
      const t = await org.api.put('/api/v1/org/link-template', { ...c.template, driver_position: c.driver });
      assert.equal(t.status, 200, t.text);
      const options: Record<string, unknown> = { eta: c.eta, ...(c.map === undefined ? {} : { map: c.map }), ...(c.layers ? { layers: c.layers } : {}) };
      const l = await org.api.post(`/api/v1/shipments/${fx.id}/links`, { options });
      assert.equal(l.status, 201, l.text);
      try {
        const map = c.map ?? c.template.map;
        const layers: Layer[] = map ? [...(c.layers ?? LAYERS)] : [];
        // The oracle: the phone's positions show only on the map, in the driver layer or as the cargo
        // it carries (the shipment has no cargo tracker of its own), and never with the gate shut;
        // "en route to delivery" is open where it reported from.
        const hidden = !(layers.includes('driver') || layers.includes('cargo')) || c.driver === 'never';
        const path = `/t/${l.body.slug}`;
        const page = (await ctx().anon.get(path)).text;
        const data = await ctx().anon.get(`${path}/data`);
        const stream = await openSse(`${base}${path}/events`);
        let events = '';
        try {
          assert.equal(stream.status, 200);
          if (c.eta) await stream.waitFor((e) => e.event === 'eta', 15_000);
          events = JSON.stringify(stream.events);
        } finally {
          stream.close();
        }
        for (const [name, text] of [['page', page], ['data', data.text], ['events', events]] as const) {
          assert.match(page, /Visible title/, 'a control: the page is the real one');
          if (!hidden) continue;
          for (const r of fx.reports) {
            const at = text.indexOf(r);
            if (at >= 0) assert.fail(`the hidden driver's report time leaked in ${name}: …${text.slice(Math.max(0, at - 120), at + 40)}…`);
          }
        }
        // The ETA itself is still there where the link shows it: only its time is withheld.
        assert.equal(Boolean(data.body.eta?.at), c.eta, 'the ETA shows exactly when the link shows it');
        if (c.eta) assert.equal(data.body.eta.source, 'computed');
        return { hidden, etaShown: c.eta, timeShown: fx.reports.some((r) => data.text.includes(r)) };
      } finally {
        await org.api.post(`/api/v1/links/${l.body.id}/revoke`);
      }
    }

    it(`never shows a hidden driver's report time through a computed ETA on the page, /data or the live stream (${RUNS} cases)`, { timeout: Math.max(300_000, RUNS * 3_000) }, async () => {
      let hiddenWithEta = 0;
      let shown = 0;
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const r = await runCase(c);
          if (r.hidden && r.etaShown) hiddenWithEta++;
          if (r.timeShown) shown++;
        }),
        { numRuns: RUNS, includeErrorInReport: true },
      );
      assert.ok(hiddenWithEta >= 5, `the ETA was shown with the driver hidden in ${hiddenWithEta} cases`);
      assert.ok(shown >= 3, `a visible driver's report times do show (${shown} cases), so a leak would be seen`);
    });

    it('shows a computed ETA’s time where the link shows every position, and withholds it with the driver layer hidden', async () => {
      await org.api.put('/api/v1/org/link-template', { eta: true, map: true, driver_position: 'always' });
      // One active general link at a time: each is revoked before the next.
      const etaThrough = async (options: Record<string, unknown>) => {
        const l = await org.api.post(`/api/v1/shipments/${fx.id}/links`, { options });
        assert.equal(l.status, 201, l.text);
        const r = await ctx().anon.get(`/t/${l.body.slug}/data`);
        await org.api.post(`/api/v1/links/${l.body.id}/revoke`);
        assert.ok(r.body?.eta, r.text.slice(0, 600));
        return r.body.eta as { at: string | null; source: string | null; calculated_at: string | null };
      };
      assert.equal((await etaThrough({})).calculated_at, fx.reports[1], 'every position shown: the time is no secret');
      // The tracker layer alone: the phone shows neither as the driver nor as the cargo it carries.
      const withheld = await etaThrough({ layers: ['tracker'] });
      assert.equal(withheld.calculated_at, null, 'old code: the hidden phone’s last report time');
      assert.equal(withheld.source, 'computed');
      assert.ok(withheld.at, 'the ETA itself is shown');
    });
  },
  { PUBLIC_RATE_LIMIT: '1000000', SSE_MAX_PER_IP: '100000' },
);
