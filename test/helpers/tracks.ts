// A device attached to a shipment under a layer, with positions written straight to the store:
// what a page test needs to have something on its map (ingestion is tested elsewhere).
import { randomUUID } from 'node:crypto';
import type { TestContext, TestOrg } from './context.js';

/** Returns the device id; `points` are [lat, lon, recorded_at ms], attached since before the first. */
export async function attachTrack(ctx: TestContext, org: TestOrg, shipmentId: string, layer: 'driver' | 'cargo' | 'tracker', points: [number, number, number][], deviceId?: string): Promise<string> {
  const db = ctx.store.db;
  const now = Date.now();
  const id = deviceId ?? randomUUID();
  if (!deviceId) {
    await db.insertInto('devices').values({ id, org_id: org.org_id, name: `${layer} device`, external_id: randomUUID(), token_hash: randomUUID(), created_at: now, last_seen_at: null }).execute();
  }
  const from = Math.min(now, ...points.map((p) => p[2])) - 60_000;
  await db.insertInto('sources').values({ id: randomUUID(), org_id: org.org_id, shipment_id: shipmentId, device_id: id, layer, segment: null, created_at: now, attached_at: from, detached_at: null }).execute();
  for (const [lat, lon, t] of points) {
    await db.insertInto('positions').values({ org_id: org.org_id, device_id: id, recorded_at: t, received_at: t, lat, lon, accuracy_m: 5, speed_mps: 15, heading_deg: 90, altitude_m: null, battery_pct: 80 }).execute();
  }
  return id;
}
