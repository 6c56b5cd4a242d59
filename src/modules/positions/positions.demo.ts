// The positions part of `npm start`: a phone on the ORD-2041 truck (the order's driver layer),
// driven from Rotterdam to Utrecht by the simulator through the real OsmAnd endpoint.
import type { DemoRequestMarker, DemoState } from '../../demo/demo.js';
import type { Running } from '../../main.js';
import type { Services } from '../../services.js';
import type { Actor } from '../auth/roles.js';
import { BUILTIN_ROUTES, runSimulation } from './simulator.js';

type WithTruck = DemoState & { truck?: { device_id: string; external_id: string } };

export async function positionsDemo(services: Services, actor: Actor, state: DemoState): Promise<void> {
  const device = await services.devices.create(actor, { name: 'Truck 12 (driver phone)' });
  await services.devices.attach(actor, state.shipments.order, { device_id: device.id, layer: 'driver' });
  (state as WithTruck).truck = { device_id: device.id, external_id: device.external_id };
}

export async function positionsDemoRunner(running: Running, state: DemoState, marker: DemoRequestMarker): Promise<void> {
  const truck = (state as WithTruck).truck;
  if (!truck) return;
  const ac = new AbortController();
  process.once('SIGTERM', () => ac.abort());
  process.once('SIGINT', () => ac.abort());
  process.stdout.write(`  Demo truck:  driving Rotterdam → Utrecht as device ${truck.external_id}\n`);
  // In the background: the demo server keeps serving while the truck drives, in a loop.
  void runSimulation({
    baseUrl: running.url,
    externalId: truck.external_id,
    route: BUILTIN_ROUTES['rotterdam-utrecht'],
    speedKmh: 80,
    intervalS: 3,
    loop: true,
    signal: ac.signal,
    headers: marker.headers,
  }).catch((err: unknown) => running.app.log.error({ err }, 'demo truck stopped'));
}
