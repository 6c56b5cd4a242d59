// The simulator: GPX routes, and driving a device through the real OsmAnd endpoint.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { haversineM } from './geo.js';
import { BUILTIN_ROUTES, parseGpx, runSimulation, walk } from './simulator.js';

const GPX = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="OsmAnd" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>Test</name></metadata>
  <trk><name>Morning</name>
    <trkseg>
      <trkpt lat="52.0907" lon="5.1214"><ele>4</ele><time>2026-11-25T08:00:00Z</time></trkpt>
      <trkpt lat="52.0950" lon="5.1300"><ele>5</ele><time>2026-11-25T08:01:00Z</time></trkpt>
    </trkseg>
    <trkseg><trkpt lat="52.1000" lon="5.1400"/></trkseg>
  </trk>
</gpx>`;

it('reads the track points of every segment of a GPX file, and falls back to route points', () => {
  assert.deepEqual(parseGpx(GPX), [[52.0907, 5.1214], [52.095, 5.13], [52.1, 5.14]]);
  const rte = '<gpx><rte><rtept lat="1.5" lon="2.5"/><rtept lat="1.6" lon="2.6"/></rte></gpx>';
  assert.deepEqual(parseGpx(rte), [[1.5, 2.5], [1.6, 2.6]]);
  assert.throws(() => parseGpx('<kml></kml>'), /GPX/);
  assert.throws(() => parseGpx('<gpx><wpt lat="1" lon="2"/></gpx>'), /two points/);
});

it('walks a route in steps of the given length, ending at its last point', () => {
  const route = BUILTIN_ROUTES['rotterdam-utrecht'];
  const steps = [...walk(route, 500)];
  for (let i = 1; i < steps.length; i++) assert.ok(haversineM(steps[i - 1].lat, steps[i - 1].lon, steps[i].lat, steps[i].lon) <= 501);
  assert.deepEqual([steps.at(-1)?.lat, steps.at(-1)?.lon], route.at(-1));
});

describeStores('simulator', (ctx) => {
  let base = '';
  before(async () => {
    base = await ctx().app.listen({ port: 0, host: '127.0.0.1' });
  });

  it('drives a device along a route through /ingest/osmand at the chosen speed', async () => {
    const org = await ctx().newOrg();
    const d = (await org.api.post('/api/v1/devices', { name: 'Sim' })).body as { id: string; external_id: string };
    const statuses: (number | null)[] = [];
    const sent = await runSimulation({
      baseUrl: base,
      externalId: d.external_id,
      route: BUILTIN_ROUTES['rotterdam-utrecht'],
      speedKmh: 90,
      intervalS: 10,
      paceMs: 1,
      maxFixes: 15,
      onFix: (f) => statuses.push(f.status),
    });
    assert.equal(sent, 15);
    assert.ok(statuses.every((s) => s === 200), JSON.stringify(statuses));
    const pts = (await ctx().repos.positions.recent(org.org_id, d.id, 100)).reverse();
    assert.equal(pts.length, 15);
    // 90 km/h for 10 s is 250 m between fixes; speed arrives in knots and is stored in m/s.
    const gap = haversineM(pts[1].lat, pts[1].lon, pts[2].lat, pts[2].lon);
    assert.ok(Math.abs(gap - 250) < 5, `gap ${gap}`);
    assert.ok(Math.abs((pts[3].speed_mps ?? 0) - 25) < 0.1);
    assert.equal(pts[1].recorded_at - pts[0].recorded_at, 10_000);
  });
});
