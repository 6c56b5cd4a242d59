// What a request body may be (issue 13 items 1, 4, 9, 16, 19): binary bodies only on upload
// routes and refused before they are read, small protocol bodies, bounded free-form JSON, no NUL
// in any text input, malformed multipart a 400, and a too-large body's 413 readable by fetch.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody, PNG } from '../helpers/fixtures.js';

function assertError(r: { status: number; body: any; text: string }, status: number, code: string) {
  assert.equal(r.status, status, r.text.slice(0, 300));
  assert.equal(r.body?.error?.code, code, r.text.slice(0, 300));
}

/** `{ a: { a: … { a: 1 } } }`, `levels` objects deep. */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

await describeStores('request bodies', (ctx) => {
  let base = '';
  const listening = async () => {
    if (!base) {
      await ctx().app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    }
    return base;
  };

  it('refuses a 10 MB octet-stream body to /ingest/osmand with 415 while /healthz answers within 1 s', async () => {
    const root = await listening();
    const size = 10 * 1024 * 1024;
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    let health: number | null = null;
    // The body is produced as it is sent: after its first megabyte is on its way, /healthz is asked.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= size) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
        health ??= (await fetch(`${root}/healthz`, { signal: AbortSignal.timeout(1000) })).status;
      },
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) }, body, duplex: 'half' };
    const r = await fetch(`${root}/ingest/osmand`, init as RequestInit);
    assert.equal(r.status, 415);
    assert.equal(((await r.json()) as any).error.code, 'unsupported_media_type');
    assert.equal(health, 200);
  });

  it('takes binary and multipart bodies only on upload routes, and protocol bodies up to 64 KB', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    assertError(await api.send('POST', '/api/v1/shipments', Buffer.from('{}'), 'application/octet-stream'), 415, 'unsupported_media_type');
    assertError(await api.send('POST', '/api/v1/shipments', PNG, 'image/png'), 415, 'unsupported_media_type');
    assertError(await api.send('POST', '/api/v1/shipments', '--X\r\n\r\n--X--\r\n', 'multipart/form-data; boundary=X'), 415, 'unsupported_media_type');
    assertError(await api.send('POST', '/ingest/osmand', Buffer.alloc(100, 1), 'application/octet-stream'), 415, 'unsupported_media_type');
    assertError(await api.send('POST', '/ingest/owntracks', Buffer.alloc(100, 1), 'application/xml'), 415, 'unsupported_media_type');
    // Upload routes still take theirs.
    assert.equal((await api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png')).status, 201);
    const form = `id=${'x'.repeat(65 * 1024)}&lat=1&lon=2`;
    assertError(await api.send('POST', '/ingest/osmand', form, 'application/x-www-form-urlencoded'), 413, 'payload_too_large');
    assertError(await api.send('POST', '/ingest/owntracks', JSON.stringify({ _type: 'location', pad: 'x'.repeat(65 * 1024) }), 'application/json'), 413, 'payload_too_large');
  });

  it('bounds free-form JSON (internal) to 16 levels and 64 KB with a 400, and lists stay readable', async () => {
    const { api } = await ctx().newOrg();
    const ok = await api.post('/api/v1/shipments', consignmentBody({ internal: { deep: nested(15) } }));
    assert.equal(ok.status, 201, ok.text);
    const deep = await api.post('/api/v1/shipments', consignmentBody({ internal: { deep: nested(16) } }));
    assertError(deep, 400, 'validation_failed');
    assert.ok(deep.body.error.details.some((d: { path: string; message: string }) => d.path === 'body/internal' && /deeper than 16/.test(d.message)), deep.text);
    const big = await api.post('/api/v1/shipments', consignmentBody({ internal: { notes: 'x'.repeat(70 * 1024) } }));
    assertError(big, 400, 'validation_failed');
    assert.match(JSON.stringify(big.body.error.details), /larger than 65536 bytes/);
    assertError(await api.patch(`/api/v1/shipments/${ok.body.id}`, { internal: { deep: nested(16) } }), 400, 'validation_failed');
    // Thousands of levels: refused before validation or storage walk them.
    const huge = `{"kind":"order","reference":"DEEP-1","internal":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    assertError(await api.send('POST', '/api/v1/shipments', huge, 'application/json'), 400, 'validation_failed');
    assert.equal((await api.get('/api/v1/shipments')).status, 200);
    // Protocol bodies are free-form too.
    const traccar = await api.send('POST', '/ingest/traccar', JSON.stringify({ position: nested(20) }), 'application/json');
    assertError(traccar, 400, 'validation_failed');
    assert.match(JSON.stringify(traccar.body.error.details), /deeper than 16/);
  });

  it('refuses NUL in JSON strings and keys at any depth, query values, path ids and headers with 400', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const cases = [
      await api.post('/api/v1/shipments', consignmentBody({ title: 'a\u0000b' })),
      await api.post('/api/v1/shipments', consignmentBody({ internal: { messages: [{ text: ['ok', 'x\u0000'] }] } })),
      await api.post('/api/v1/shipments', consignmentBody({ internal: { 'k\u0000': 1 } })),
      await api.patch(`/api/v1/shipments/${s.id}`, { stops: [{ type: 'pickup', name: '\u0000' }] }),
      await api.get('/api/v1/shipments?reference=a%00b'),
      await api.get(`/api/v1/shipments/${s.id}%00`),
      await api.get('/t/abc%00def'),
      await api.post('/api/v1/shipments', consignmentBody(), { 'idempotency-key': 'key\u0000one' }),
      await api.send('POST', '/ingest/osmand', 'id=dev%00ice&lat=1&lon=2', 'application/x-www-form-urlencoded'),
      await api.send('POST', `/api/v1/shipments/${s.id}/photos`, multipartForm({ caption: 'a\u0000b' }, PNG), 'multipart/form-data; boundary=BOUNDARY'),
    ];
    for (const [i, r] of cases.entries()) {
      assert.equal(r.status, 400, `case ${i}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(r.body?.error?.code, 'validation_failed', `case ${i}`);
    }
    assert.match(JSON.stringify(cases[1].body.error.details), /body\/internal\/messages\/0\/text\/1/);
    assert.equal((await api.get(`/api/v1/shipments/${s.id}`)).body.photos.length, 0);
  });

  it('answers paths the router refuses (an overlong id, a broken %-escape) with the API error body, without echoing them', async () => {
    const { api } = await ctx().newOrg();
    const long = await api.get(`/api/v1/shipments/${'x'.repeat(300)}`);
    assertError(long, 414, 'payload_too_large');
    assert.doesNotMatch(long.text, /xxxx/);
    assertError(await api.get('/t/%E0%A4%A/data'), 400, 'validation_failed');
  });

  it('answers malformed multipart (no boundary, wrong boundary, truncated part) on photo and POD uploads with 400', async () => {
    const { api } = await ctx().newOrg();
    const s = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const whole = multipartForm({}, PNG).toString('latin1');
    const bodies: Array<[string, string]> = [
      [whole, 'multipart/form-data'],
      [whole, 'multipart/form-data; boundary=OTHER'],
      [whole.slice(0, whole.length - 40), 'multipart/form-data; boundary=BOUNDARY'],
      ['--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n', 'multipart/form-data; boundary=BOUNDARY'],
    ];
    for (const route of [`POST /api/v1/shipments/${s.id}/photos`, `PUT /api/v1/shipments/${s.id}/proof-of-delivery`]) {
      const [method, url] = route.split(' ') as ['POST' | 'PUT', string];
      for (const [i, [body, type]] of bodies.entries()) {
        const r = await api.send(method, url, Buffer.from(body, 'latin1'), type);
        assert.equal(r.status, 400, `${method} case ${i}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.body?.error?.code, 'validation_failed');
      }
    }
    const after = (await api.get(`/api/v1/shipments/${s.id}`)).body;
    assert.equal(after.photos.length, 0);
    assert.equal(after.proof_of_delivery, null);
  });

  it('lets fetch read the 413 of a body over its route limit (the body is drained, not cut off)', async () => {
    const { api_key } = await ctx().newOrg();
    const root = await listening();
    const huge = JSON.stringify(consignmentBody({ title: 'x'.repeat(3 * 1024 * 1024) }));
    const r = await fetch(`${root}/api/v1/shipments`, { method: 'POST', headers: { authorization: `Bearer ${api_key}`, 'content-type': 'application/json' }, body: huge });
    assert.equal(r.status, 413);
    assert.equal(((await r.json()) as any).error.code, 'payload_too_large');
    const osmand = await fetch(`${root}/ingest/osmand`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=x&pad=${'y'.repeat(1024 * 1024)}` });
    assert.equal(osmand.status, 413);
  });
});

/** A multipart/form-data body with boundary BOUNDARY: text fields, then one PNG file. */
function multipartForm(fields: Record<string, string>, file: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--BOUNDARY\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from('--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'));
  parts.push(file, Buffer.from('\r\n--BOUNDARY--\r\n'));
  return Buffer.concat(parts);
}
