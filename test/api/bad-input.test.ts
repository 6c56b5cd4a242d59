// Bad input gets the documented 4xx JSON error, never a 500, and never a half-written record.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { describeStores } from '../helpers/context.js';
import { consignmentBody } from '../helpers/fixtures.js';

function assertError(r: { status: number; body: any; text: string }, status: number, code: string) {
  assert.equal(r.status, status, r.text.slice(0, 300));
  assert.equal(r.body?.error?.code, code, r.text.slice(0, 300));
  assert.equal(typeof r.body.error.message, 'string');
}

await describeStores('bad input', (ctx) => {
  it('answers wrong types, missing fields and unknown enum values with 400 validation_failed naming the field', async () => {
    const { api } = await ctx().newOrg();
    const wrongType = await api.post('/api/v1/shipments', consignmentBody({ reference: 42 }));
    assertError(wrongType, 400, 'validation_failed');
    assert.ok(wrongType.body.error.details.some((d: { path: string }) => d.path === 'body/reference'));
    const missing = await api.post('/api/v1/shipments', { reference: 'X-1' });
    assertError(missing, 400, 'validation_failed');
    assert.ok(missing.body.error.details.some((d: { path: string }) => d.path === 'body/kind'));
    const badEnum = await api.post('/api/v1/shipments', consignmentBody({ status: 'lost_at_sea' }));
    assertError(badEnum, 400, 'validation_failed');
    assert.match(JSON.stringify(badEnum.body.error.details), /must be one of: draft, planned/);
    const unknownField = await api.post('/api/v1/shipments', consignmentBody({ colour: 'red' }));
    assertError(unknownField, 400, 'validation_failed');
  });

  it('rejects out-of-range coordinates (lat 91, lon -181)', async () => {
    const { api } = await ctx().newOrg();
    const r = await api.post('/api/v1/shipments', consignmentBody({ stops: [{ type: 'pickup', lat: 91, lon: -181 }] }));
    assertError(r, 400, 'validation_failed');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    assert.ok(paths.includes('body/stops/0/lat') && paths.includes('body/stops/0/lon'), JSON.stringify(paths));
  });

  it('answers malformed JSON with 400 and a 10 MB body with 413', async () => {
    const { api } = await ctx().newOrg();
    assertError(await api.send('POST', '/api/v1/shipments', '{"kind": "order", ', 'application/json'), 400, 'validation_failed');
    const huge = JSON.stringify(consignmentBody({ title: 'x'.repeat(10 * 1024 * 1024) }));
    assertError(await api.send('POST', '/api/v1/shipments', huge, 'application/json'), 413, 'payload_too_large');
  });

  it('sends the security headers (CSP, nosniff, frame and referrer policy) with replies refused before any route runs', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const slug = new URL((await api.post(`/api/v1/shipments/${s.id}/links`, {})).body.url).pathname.split('/')[2];
    const device = (await api.post('/api/v1/devices', { name: 'Phone' })).body;
    const refused = [
      // The router's own errors (a broken %-escape, a segment longer than any id): no hook runs.
      { url: `/t/${slug}%zz`, status: 400 },
      { url: `/t/${slug}/photos/%E0%A4%A`, status: 400 },
      { url: `/t/${'a'.repeat(300)}`, status: 414 },
      // Refused by the body guard's onRequest hook: before the old security headers' hook.
      { url: `/ingest/osmand/${device.token}?lat=1`, method: 'POST' as const, payload: '<x/>', headers: { 'content-type': 'text/xml' }, status: 415 },
    ];
    for (const r of refused) {
      const res = await ctx().app.inject({ method: r.method ?? 'GET', url: r.url, payload: r.payload, headers: r.headers });
      const what = `${r.method ?? 'GET'} ${r.url.replace(slug, '<slug>').replace(device.token, '<token>')}`;
      assert.equal(res.statusCode, r.status, `${what}: ${res.body}`);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/, `${what} (old code: no CSP)`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', what);
    }
  });

  it('answers a non-image photo upload with 415 and stores nothing', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const r = await api.send('POST', `/api/v1/shipments/${s.id}/photos`, Buffer.from('<html><script>alert(1)</script></html>'), 'image/jpeg');
    assertError(r, 415, 'unsupported_media_type');
    const multipart = [
      '--XX',
      'Content-Disposition: form-data; name="file"; filename="evil.png"',
      'Content-Type: image/png',
      '',
      '#!/bin/sh echo not an image',
      '--XX--',
      '',
    ].join('\r\n');
    assertError(await api.send('POST', `/api/v1/shipments/${s.id}/photos`, multipart, 'multipart/form-data; boundary=XX'), 415, 'unsupported_media_type');
    assertError(await api.send('POST', `/api/v1/shipments/${s.id}/photos`, 'hello', 'text/plain'), 415, 'unsupported_media_type');
    assert.equal((await api.get(`/api/v1/shipments/${s.id}`)).body.photos.length, 0);
  });

  it('answers without or with a wrong API key with 401 unauthorized', async () => {
    assertError(await ctx().anon.get('/api/v1/shipments'), 401, 'unauthorized');
    assertError(await ctx().client('tlk_not-a-real-key').get('/api/v1/shipments'), 401, 'unauthorized');
    assertError(await ctx().client('tlk_not-a-real-key').post('/api/v1/shipments', {}), 401, 'unauthorized');
  });

  it('leaves no half-written shipment when a nested part is invalid', async () => {
    const { api } = await ctx().newOrg();
    const body = consignmentBody({ segments: [{ from_stop: 0, to_stop: 9 }] });
    assertError(await api.post('/api/v1/shipments', body), 400, 'validation_failed');
    assert.equal((await api.get(`/api/v1/shipments?reference=${body.reference}`)).body.items.length, 0);
    const stops = await ctx().store.db.selectFrom('stops').select('id').where('name', '=', 'Depot').execute();
    const shipments = await ctx().store.db.selectFrom('shipments').select('id').where('reference', '=', body.reference).execute();
    assert.equal(shipments.length, 0);
    void stops;
  });

  it('never answers 5xx for any shipment body a client can send (property test)', async () => {
    const { api } = await ctx().newOrg();
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
    const stop = fc.record(
      {
        type: fc.oneof(fc.constantFrom('pickup', 'delivery', 'waypoint'), anyValue),
        lat: fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }), anyValue),
        lon: fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }), anyValue),
        window_start: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyValue),
        window_end: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyValue),
        contact: fc.oneof(fc.record({ name: fc.string(), email: fc.oneof(fc.emailAddress(), fc.string()) }), anyValue),
      },
      { requiredKeys: [] },
    );
    const shipment = fc.record(
      {
        kind: fc.oneof(fc.constantFrom('order', 'consignment', 'vehicle', 'tracker_session'), anyValue),
        reference: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), anyValue),
        status: fc.oneof(fc.constantFrom('draft', 'planned', 'in_transit', 'delivered', 'cancelled', 'exception'), anyValue),
        stages: fc.oneof(fc.array(fc.string({ minLength: 1 }), { maxLength: 5 }), anyValue),
        current_stage: fc.oneof(fc.integer({ min: -2, max: 8 }), anyValue),
        eta: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyValue),
        custom_fields: fc.oneof(fc.array(fc.record({ key: fc.string(), value: fc.string(), shareable: fc.boolean() }), { maxLength: 3 }), anyValue),
        internal: fc.oneof(fc.record({ vin: fc.string(), cost: fc.double() }), anyValue),
        stops: fc.oneof(fc.array(stop, { maxLength: 4 }), anyValue),
        cargo: fc.oneof(fc.array(fc.record({ description: fc.string(), quantity: fc.oneof(fc.double(), anyValue) }), { maxLength: 3 }), anyValue),
        segments: fc.oneof(fc.array(fc.record({ from_stop: fc.integer({ min: -1, max: 5 }), to_stop: fc.integer({ min: -1, max: 5 }) }), { maxLength: 3 }), anyValue),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(shipment, fc.boolean(), async (body, patch) => {
        const r = await api.post('/api/v1/shipments', body);
        assert.ok(r.status < 500, `POST answered ${r.status}: ${r.text.slice(0, 300)} for ${JSON.stringify(body).slice(0, 300)}`);
        if (r.status >= 400) assert.equal(typeof r.body?.error?.code, 'string');
        if (patch && r.status === 201) {
          const p = await api.patch(`/api/v1/shipments/${r.body.id}`, { ...body, kind: undefined, reference: undefined });
          assert.ok(p.status < 500, `PATCH answered ${p.status}: ${p.text.slice(0, 300)}`);
        }
      }),
      { numRuns: 150, includeErrorInReport: true },
    );
  });
});
