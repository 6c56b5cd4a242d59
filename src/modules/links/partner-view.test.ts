// Property: for any shipment, whatever is marked shareable or not, whichever photo is the hero
// and whichever notes are internal, the partner's view holds every operational value and none
// of the owner's private ones. Each value is a unique marker; the oracle below says which must
// show, independently of partner-view.ts. (test/api/partner-leakage.test.ts checks the HTTP
// replies of a real partner on both stores.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ShipmentView } from '../shipments/shipments.view.js';
import { partnerPhotoIds, partnerPositionScope, partnerShipment } from './partner-view.js';

const TITLE_EDITED = '2030-06-01T00:00:00.000Z';
let n = 0;
const mark = (tag: string) => `PV${(++n).toString(36).padStart(4, '0')}${tag}`;

interface Case {
  custom: boolean[];
  extra: boolean[];
  notes: ('internal' | 'customer')[];
  photos: number;
  hero: number | null;
  stops: number;
  pod: boolean;
}

function build(c: Case) {
  const shown: string[] = [];
  const hidden: string[] = [];
  const show = (tag: string) => {
    const v = mark(tag);
    shown.push(v);
    return v;
  };
  const hide = (tag: string) => {
    const v = mark(tag);
    hidden.push(v);
    return v;
  };
  const field = (shareable: boolean, i: number) => (shareable ? { key: show(`ck${i}`), value: show(`cv${i}`), shareable } : { key: hide(`hk${i}`), value: hide(`hv${i}`), shareable });
  const photoIds = Array.from({ length: c.photos }, (_, i) => `photo-${i}`);
  const heroId = c.hero !== null && c.hero < c.photos ? photoIds[c.hero] : null;
  const view: ShipmentView = {
    id: 'shipment-1',
    kind: 'consignment',
    reference: show('ref'),
    title: show('title'),
    status: 'in_transit',
    stages: [show('stage')],
    current_stage: 0,
    eta: '2026-12-01T10:00:00.000Z',
    eta_source: 'computed',
    eta_calculated_at: '2026-12-01T09:00:00.000Z',
    customer_reference: hide('custref'),
    container_number: show('container'),
    transport_service: show('service'),
    custom_fields: c.custom.map(field),
    extra_fields: c.extra.map(field),
    internal: { vin: hide('vin'), stock_number: hide('stock'), cost: 913579.25, messages: [hide('msg')], anything: { deep: hide('deep') } },
    stops: Array.from({ length: c.stops }, (_, i) => ({
      id: `stop-${i}`,
      index: i,
      type: i === 0 ? ('pickup' as const) : ('delivery' as const),
      name: show(`stop${i}`),
      address: show(`addr${i}`),
      lat: 52,
      lon: 5,
      reference: show(`stopref${i}`),
      window_start: null,
      window_end: null,
      eta: null,
      arrived_at: null,
      departed_at: null,
      contact: { name: hide(`contact${i}`), email: `${hide(`cmail${i}`).toLowerCase()}@example.test` },
    })),
    cargo: [{ id: 'cargo-1', index: 0, description: show('cargo'), quantity: 1, packaging: show('pack'), weight_kg: 10 }],
    segments: [{ id: 'seg-1', index: 0, name: show('segment'), from_stop: 0, to_stop: 1 }],
    pallet_scans: [{ id: 'scan-1', cargo_index: 0, stop_index: 0, event: 'loaded', code: show('scancode'), place: show('scanplace'), scanned_at: '2026-11-25T10:00:00.000Z' }],
    photos: photoIds.map((id) => ({
      id,
      content_type: 'image/png',
      size_bytes: 1,
      caption: id === heroId ? show('herocap') : hide('gallerycap'),
      url: `/api/v1/shipments/shipment-1/photos/${id}`,
      created_at: '2026-12-01T08:00:00.000Z',
    })),
    hero_photo_id: heroId,
    notes: c.notes.map((scope, i) => ({ id: `note-${i}`, scope, body: scope === 'customer' ? show(`cnote${i}`) : hide(`inote${i}`), author: hide(`author${i}`), created_at: '2026-12-01T08:00:00.000Z' })),
    contacts: [{ id: 'contact-1', name: hide('shipcontact'), email: `${hide('shipmail').toLowerCase()}@example.test` }],
    proof_of_delivery: c.pod
      ? { content_type: 'application/pdf', signed_by: hide('signer'), captured_at: '2026-12-01T11:00:00.000Z', url: '/api/v1/shipments/shipment-1/proof-of-delivery' }
      : null,
    delivered_at: null,
    created_at: '2026-12-01T07:00:00.000Z',
    updated_at: '2026-12-01T09:00:00.000Z',
    // When pieces last changed (shipments/change-times.ts): the partner's updated_at is the title's
    // edit, never the time of anything it does not see (all of them in 2031).
    changed_at: {
      title: Date.parse(TITLE_EDITED),
      customer_reference: Date.parse('2031-01-01T00:00:00.000Z'),
      'notes.internal': Date.parse('2031-02-01T00:00:00.000Z'),
      internal: Date.parse('2031-03-01T00:00:00.000Z'),
      contacts: Date.parse('2031-04-01T00:00:00.000Z'),
      'stops.contact': Date.parse('2031-05-01T00:00:00.000Z'),
    },
  };
  hidden.push('2031-');
  // Non-hero photo ids and the proof-of-delivery URL are ways to fetch hidden things.
  for (const id of photoIds) if (id !== heroId) hidden.push(`photos/${id}`);
  hidden.push('proof-of-delivery', '913579');
  return { view, shown, hidden, heroId };
}

const cases = fc.record({
  custom: fc.array(fc.boolean(), { maxLength: 4 }),
  extra: fc.array(fc.boolean(), { maxLength: 4 }),
  notes: fc.array(fc.constantFrom('internal' as const, 'customer' as const), { maxLength: 4 }),
  photos: fc.integer({ min: 0, max: 3 }),
  hero: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  stops: fc.integer({ min: 0, max: 3 }),
  pod: fc.boolean(),
});

describe('what a partner sees of a shipment (partner-view.ts)', () => {
  it('shows every operational value and none of the owner’s private ones, for any shipment', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const { view, shown, hidden, heroId } = build(c);
        const out = JSON.stringify(partnerShipment(view, { id: 'owner-org', name: 'Owner BV' })).toLowerCase();
        for (const h of hidden) assert.ok(!out.includes(h.toLowerCase()), `${h} reached the partner`);
        for (const s of shown) assert.ok(out.includes(s.toLowerCase()), `${s} is missing for the partner`);
        assert.deepEqual(partnerPhotoIds(view), heroId ? [heroId] : []);
        assert.equal(JSON.parse(out).proof_of_delivery === null, !c.pod, 'the partner sees whether proof was captured');
        assert.equal(JSON.parse(out).updated_at, TITLE_EDITED.toLowerCase(), 'the newest edit of what it sees');
      }),
      { numRuns: 300, includeErrorInReport: true },
    );
  });

  it('lets a partner see every layer of every segment, with history', () => {
    const { view } = build({ custom: [], extra: [], notes: [], photos: 0, hero: null, stops: 2, pod: false });
    assert.deepEqual(partnerPositionScope(view, 'owner-org'), {
      orgId: 'owner-org',
      shipmentId: 'shipment-1',
      layers: ['driver', 'cargo', 'tracker'],
      segments: [0],
      driverPosition: 'always',
      history: true,
    });
  });
});
