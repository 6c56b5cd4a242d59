// ETA after ingestion: the devices of requests arriving together are looked up together (one
// query, not one per phone), and every shipment they drive still gets its ETA.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { inTransitOrderBody } from '../../../test/helpers/fixtures.js';
import { PositionsRepository } from './positions.repository.js';

const iso = (ms: number) => new Date(ms).toISOString();

describeStores('ETA scheduling after ingestion', (ctx) => {
  it('looks up the shipments of one turn\'s devices in one query, and computes the ETA of each shipment they drive', async () => {
    const org = await ctx().newOrg();
    const phones: { id: string; token: string; shipmentId: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await org.api.post('/api/v1/shipments', inTransitOrderBody());
      assert.equal(s.status, 201, s.text);
      const d = (await org.api.post('/api/v1/devices', { name: `Phone ${i}` })).body as { id: string; token: string };
      const src = await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: d.id, layer: 'driver', from: iso(Date.now() - 7200_000) });
      assert.equal(src.status, 201, src.text);
      phones.push({ ...d, shipmentId: s.body.id });
    }
    const lookups: string[][] = [];
    const original = PositionsRepository.prototype.shipmentsOfDevices;
    PositionsRepository.prototype.shipmentsOfDevices = function (this: PositionsRepository, orgId: string, deviceIds: string[]) {
      if (orgId === org.org_id) lookups.push([...deviceIds]);
      return original.call(this, orgId, deviceIds);
    };
    try {
      // Through the protocol: each phone posts once, and each shipment gets a computed ETA.
      const at = Math.floor(Date.now() / 1000) - 60;
      const replies = await Promise.all(phones.map((p, i) => ctx().app.inject({ method: 'POST', url: `/ingest/osmand/${p.token}?timestamp=${at}&lat=52.0${i}&lon=4.9&speed=15` })));
      assert.deepEqual(replies.map((r) => r.statusCode), [200, 200, 200, 200]);
      await ctx().services.eta.drain();
      assert.deepEqual(lookups.flat().sort(), phones.map((p) => p.id).sort(), 'every device looked up once');
      lookups.length = 0;
      // Four requests' worth of devices in one turn (as coalesced commits announce them): one query.
      for (const p of phones) ctx().services.eta.scheduleForDevices(org.org_id, [p.id]);
      await ctx().services.eta.drain();
      assert.deepEqual(lookups.map((ids) => [...ids].sort()), [phones.map((p) => p.id).sort()]);
    } finally {
      PositionsRepository.prototype.shipmentsOfDevices = original;
    }
    for (const p of phones) {
      const eta = await ctx().services.eta.etaFor(org.org_id, p.shipmentId);
      assert.equal(eta?.eta_source, 'computed', `shipment of ${p.id}`);
    }
  });
});
