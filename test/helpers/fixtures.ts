// Realistic shipment bodies and small valid files for tests.
import { drawPng } from '../../src/demo/images.js';

export const PNG = drawPng(4, 4, () => [200, 30, 30]);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let n = 0;
export const uniqueRef = (prefix = 'REF') => `${prefix}-${Date.now().toString(36)}-${++n}`;

/** An order under way from Rotterdam to Utrecht, picked up an hour ago (live and ETA tests). */
export function inTransitOrderBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'order',
    reference: uniqueRef('ORD'),
    status: 'in_transit',
    stops: [
      { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: new Date(Date.now() - 3600_000).toISOString() },
      { type: 'delivery', lat: 52.1, lon: 5.1 },
    ],
    ...overrides,
  };
}

export function consignmentBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'consignment',
    reference: uniqueRef('CN'),
    title: 'Tiles, 12 pallets',
    status: 'planned',
    stages: ['Booked', 'Picked up', 'Delivered'],
    current_stage: 0,
    eta: '2026-12-01T14:00:00.000Z',
    customer_reference: 'PO-88',
    container_number: 'MSCU1234567',
    transport_service: 'FTL',
    custom_fields: [{ key: 'dock', value: '7', shareable: true }],
    extra_fields: [{ key: 'temp', value: '4C', shareable: false }],
    internal: { vin: 'VIN123', stock_number: 'STK1', cost: 1200.5, price: 1800, payments: [], line_items: [], messages: [] },
    stops: [
      { type: 'pickup', name: 'Depot', address: 'Main St 1', lat: 52.37, lon: 4.89, reference: 'PU-1', contact: { name: 'Pia', email: 'pia@example.test' } },
      { type: 'delivery', name: 'Customer', address: 'High St 2', lat: 51.92, lon: 4.48, reference: 'DL-1', window_start: '2026-12-01T12:00:00.000Z', window_end: '2026-12-01T16:00:00.000Z', contact: { name: 'Dirk', email: 'dirk@example.test' } },
    ],
    cargo: [{ description: 'Pallets of tiles', quantity: 12, packaging: 'EUR pallet', weight_kg: 8400 }],
    segments: [{ name: 'Main haul', from_stop: 0, to_stop: 1 }],
    ...overrides,
  };
}
