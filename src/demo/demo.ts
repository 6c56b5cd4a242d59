// `npm start`: a demo org with one shipment of each kind, created once, then the server.
// The credentials are kept in the data directory (mode 600) so later starts can print them again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.js';
import { serve, type Running } from '../main.js';
import { createOrgWithOwner, type BootstrappedOrg } from '../modules/orgs/bootstrap.js';
import { cliActor, type Actor } from '../modules/auth/roles.js';
import type { Services } from '../services.js';
import { makePrivateDir } from '../shared/private-files.js';
import { LOGO_PNG, vehiclePicture } from './images.js';
import { linksDemo } from '../modules/links/links.demo.js';
import { notificationsDemo } from '../modules/notifications/notifications.demo.js';
import { positionsDemo, positionsDemoRunner } from '../modules/positions/positions.demo.js';
import { partnerDemoLines, partnersDemo } from '../modules/partners/partners.demo.js';

export interface DemoState extends BootstrappedOrg {
  shipments: Record<string, string>;
}

export type DemoExtension = (services: Services, actor: Actor, state: DemoState) => Promise<void>;
/** Later modules (links, devices, simulator) add their part of the demo here. */
export const demoExtensions: DemoExtension[] = [linksDemo, notificationsDemo, positionsDemo, partnersDemo];
export type DemoRunner = (running: Running, state: DemoState, marker: DemoRequestMarker) => Promise<void>;
/** Things to start once the server listens (e.g. the simulated truck). */
export const demoRunners: DemoRunner[] = [positionsDemoRunner];

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

export async function seedDemo(services: Services): Promise<DemoState> {
  const org = await createOrgWithOwner(services, { name: 'Acme Haulage', country: 'NL', ownerEmail: 'owner@acme.example' });
  const actor = cliActor(org.org_id);
  await services.orgs.update(actor, { brand_color: '#146eb4', auto_create_links: true });
  await services.orgs.setLogo(actor, LOGO_PNG());
  const { shipments } = services;

  const order = await shipments.create(actor, {
    kind: 'order',
    reference: 'ORD-2041',
    title: 'Kitchen appliances for Utrecht store',
    status: 'in_transit',
    eta: hoursFromNow(2),
    customer_reference: 'PO-88231',
    transport_service: 'Same-day LTL',
    stops: [
      { type: 'pickup', name: 'Acme DC Rotterdam', address: 'Waalhaven O.z. 85, 3087 BM Rotterdam', lat: 51.8926, lon: 4.4278, reference: 'PU-2041', departed_at: hoursFromNow(-1) },
      { type: 'delivery', name: 'HomeStore Utrecht', address: 'Vredenburg 40, 3511 BD Utrecht', lat: 52.0927, lon: 5.1143, reference: 'DL-2041', window_start: hoursFromNow(1.5), window_end: hoursFromNow(3), eta: hoursFromNow(2), contact: { name: 'Sanne de Vries', email: 'sanne@homestore.example' } },
    ],
    cargo: [{ description: 'Dishwashers', quantity: 8, packaging: 'Carton', weight_kg: 380 }],
    segments: [{ name: 'Rotterdam → Utrecht', from_stop: 0, to_stop: 1 }],
    internal: { cost: 310, price: 540, messages: ['Driver: gate code 4411'] },
  });

  const consignment = await shipments.create(actor, {
    kind: 'consignment',
    reference: 'CN-1042',
    title: 'Tiles, 12 pallets',
    status: 'planned',
    customer_reference: 'PO-77',
    container_number: 'MSCU1234567',
    transport_service: 'FTL',
    custom_fields: [{ key: 'Dock', value: '7', shareable: true }, { key: 'Margin', value: '18%', shareable: false }],
    stops: [
      { type: 'pickup', name: 'Tegelfabriek Tilburg', address: 'Ringbaan-Oost 102, Tilburg', lat: 51.5606, lon: 5.0919, reference: 'PU-1', window_start: hoursFromNow(20), window_end: hoursFromNow(22) },
      { type: 'delivery', name: 'Bouwmarkt Groningen', address: 'Peizerweg 97, Groningen', lat: 53.2081, lon: 6.5501, reference: 'DL-1', window_start: hoursFromNow(26), window_end: hoursFromNow(28), contact: { name: 'Jeroen Bakker', email: 'jeroen@bouwmarkt.example' } },
    ],
    cargo: [
      { description: 'Porcelain floor tiles 60×60', quantity: 8, packaging: 'EUR pallet', weight_kg: 6400 },
      { description: 'Wall tiles 30×60', quantity: 4, packaging: 'EUR pallet', weight_kg: 2000 },
    ],
    segments: [{ name: 'Main haul', from_stop: 0, to_stop: 1 }],
    internal: { price: 1800, cost: 1200.5 },
  });
  await shipments.addPalletScan(actor, consignment.id, { cargo_index: 0, stop_index: 0, event: 'staged', code: 'PAL-0001', place: 'Dock 3' });
  await shipments.addNote(actor, consignment.id, { scope: 'customer', body: 'Please keep the loading bay free between 14:00 and 16:00.' });
  await shipments.addNote(actor, consignment.id, { scope: 'internal', body: 'Customer is slow to pay; require prepayment next time.' });

  const vehicle = await shipments.create(actor, {
    kind: 'vehicle',
    reference: 'VEH-LC19',
    title: '2019 Toyota Land Cruiser',
    status: 'in_transit',
    stages: ['Purchased', 'Shipped', 'Arrived', 'Customs', 'Delivered'],
    current_stage: 1,
    eta: hoursFromNow(24 * 18),
    container_number: 'MSKU7654321',
    internal: { vin: 'JTEBR3FJ10K123456', stock_number: 'STK-0193', cost: 31000, price: 38500, payments: [{ amount: 10000, at: '2026-11-01' }] },
  });
  const photos = [];
  for (const colour of [[200, 40, 40], [40, 40, 40], [230, 230, 230]] as [number, number, number][]) {
    photos.push(await shipments.photos.add(actor, vehicle.id, vehiclePicture(colour), 'Before loading'));
  }
  await shipments.photos.setHero(actor, vehicle.id, photos[0].id);
  await shipments.addNote(actor, vehicle.id, { scope: 'customer', body: 'Your vehicle left Yokohama on the MSC Aurora.' });

  const tracker = await shipments.create(actor, {
    kind: 'tracker_session',
    reference: 'TRK-77',
    title: 'Reefer container with tracker',
    status: 'in_transit',
    stops: [
      { type: 'pickup', name: 'Port of Antwerp', lat: 51.2637, lon: 4.3953 },
      { type: 'delivery', name: 'Cold store Venlo', lat: 51.3704, lon: 6.1724 },
    ],
    segments: [{ name: 'Antwerp → Venlo', from_stop: 0, to_stop: 1 }],
    extra_fields: [{ key: 'Temperature', value: '4 °C', shareable: true }],
  });

  const state: DemoState = { ...org, shipments: { order: order.id, consignment: consignment.id, vehicle: vehicle.id, tracker: tracker.id } };
  for (const ext of demoExtensions) await ext(services, actor, state);
  return state;
}

const DEMO_HEADER = 'x-tracklink-demo';

/**
 * The demo's own simulated requests carry a header with a value only this process knows: their
 * request lines go to debug (a line every 3 s would bury the banner), nobody else's can.
 */
export interface DemoRequestMarker {
  headers: Record<string, string>;
  isDemoRequest(req: { headers: Record<string, string | string[] | undefined> }): boolean;
}

export function demoRequestMarker(): DemoRequestMarker {
  const value = randomBytes(16).toString('hex');
  return { headers: { [DEMO_HEADER]: value }, isDemoRequest: (req) => req.headers[DEMO_HEADER] === value };
}

export async function runDemo(config: Config): Promise<void> {
  const credentialsFile = path.join(config.dataDir, 'demo-credentials.json');
  const marker = demoRequestMarker();
  const seeded: { state?: DemoState } = {};
  // Seeded during start-up, before the port opens: a signal meanwhile (Ctrl-C at the first start)
  // lets the seed and its credentials file finish instead of exiting 0 with half a demo org that
  // the next start, finding no credentials, would seed a second time beside it.
  const seed = async (services: Services) => {
    if (existsSync(credentialsFile)) {
      seeded.state = JSON.parse(readFileSync(credentialsFile, 'utf8')) as DemoState;
      return;
    }
    const state = await seedDemo(services);
    makePrivateDir(config.dataDir);
    writeFileSync(credentialsFile, JSON.stringify(state, null, 2), { mode: 0o600 });
    seeded.state = state;
  };
  const running = await serve(config, { quietRequest: marker.isDemoRequest, beforeListen: seed });
  // A signal stopped start-up: the signal handler closes what was opened and exits.
  const state = seeded.state;
  if (!running || !state) return;
  const base = config.publicBaseUrl;
  const lines = [
    '',
    '  Tracklink demo is running',
    `  Admin app:   ${base}/app   (sign in as ${state.owner_email} / ${state.owner_password})`,
    `  API key:     ${state.api_key}`,
    `  API docs:    ${base}/api/docs`,
    ...demoLinkLines(state, base),
    ...partnerDemoLines(state),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const r of demoRunners) await r(running, state, marker);
}

/** Printed tracking links, filled in by the links module's demo extension. The stored URLs are
 * re-based on today's PUBLIC_BASE_URL, which may differ from the first start's (another PORT). */
export const demoLinkLines = (state: DemoState, base: string): string[] =>
  Object.entries((state as DemoState & { links?: Record<string, string> }).links ?? {}).map(
    ([k, url]) => `  Tracking:    ${base}${url.slice(url.indexOf('/t/'))}   (${k})`,
  );
