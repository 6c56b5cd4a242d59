// Shared by the live module's tests (src/modules/live/*.test.ts): a tracked shipment with two
// devices and a link, a bus that is down until told otherwise, and a polling wait.
import assert from 'node:assert/strict';
import type { TestContext, TestOrg } from './context.js';
import { inTransitOrderBody } from './fixtures.js';
import { LocalHub } from '../../src/modules/live/hub.js';

export const iso = (ms: number) => new Date(ms).toISOString();

export interface Tracked {
  org: TestOrg;
  shipmentId: string;
  driver: string;
  tracker: string;
  slug: string;
  linkId: string;
}

export async function tracked(ctx: TestContext, layers = ['driver'], sections: Record<string, boolean> = {}): Promise<Tracked> {
  const org = await ctx.newOrg();
  const s = await org.api.post('/api/v1/shipments', inTransitOrderBody({ segments: [{ from_stop: 0, to_stop: 1 }] }));
  const driver = (await org.api.post('/api/v1/devices', { name: 'Phone' })).body.id as string;
  const tracker = (await org.api.post('/api/v1/devices', { name: 'Tracker' })).body.id as string;
  await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: driver, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
  await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: tracker, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
  const link = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, { options: { layers, driver_position: 'always', ...sections } });
  assert.equal(link.status, 201, link.text);
  return { org, shipmentId: s.body.id, driver, tracker, slug: link.body.slug, linkId: link.body.id };
}

/** A bus that is down until told otherwise, as one not reachable at boot. */
export class FlakyHub extends LocalHub {
  constructor() {
    super();
    this.up = false;
  }
  lose(): void {
    this.markLost(new Error('test outage'));
  }
  back(): void {
    this.markUp(true);
  }
}

/** Waits until cond() holds, checking every 10 ms; fails after 10 s (a loaded machine delays timers, not the rule). */
export async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`not within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const post = (ctx: TestContext, t: Tracked, device: string, at: number, lat = 52.0) =>
  ctx.services.positions.ingestBatch({ kind: 'org', orgId: t.org.org_id }, [{ device_id: device, recorded_at: iso(at), lat, lon: 5.0 }]);
