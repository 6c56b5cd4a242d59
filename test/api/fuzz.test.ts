// Fuzz: every route of the OpenAPI document, called by an org's owner with random path ids, query
// values and bodies — the route's own field names with random values, NUL characters, deep
// nesting, broken JSON, binary and multipart — never answers 5xx, and every 4xx is the API's
// error body. Each route also gets one request with NUL everywhere and one nested 5,000 levels.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { describeStores } from '../helpers/context.js';
import { consignmentBody, PNG } from '../helpers/fixtures.js';

const RUNS_PER_ROUTE = 2;

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  params: string[];
  query: string[];
  fields: string[];
  upload: boolean;
}

interface Call {
  params: string[];
  query: Array<[string, string]>;
  payload?: string | Buffer;
  contentType?: string;
  idempotencyKey?: string;
}

/** `{"a":{"a":…}}` nested `levels` deep around a string with a NUL. */
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}"x\\u0000y"${'}'.repeat(levels)}`;

function routesOf(doc: any): Route[] {
  const schemaOf = (s: any): any => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const parameters: any[] = op.parameters ?? [];
      const body = schemaOf(op.requestBody?.content?.['application/json']?.schema);
      routes.push({
        method: method.toUpperCase() as Route['method'],
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        fields: Object.keys(body?.properties ?? {}),
        upload: Boolean(op.requestBody?.content?.['multipart/form-data']) || /\/(logo|photos|proof-of-delivery)$/.test(path),
      });
    }
  }
  // Deletions last, so the shipment and device the other routes are called with still exist.
  return routes.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
}

function multipart(caption: string, file: Buffer, cut: number): Buffer {
  const whole = Buffer.concat([
    Buffer.from(`--B\r\nContent-Disposition: form-data; name="caption"\r\n\r\n${caption}\r\n--B\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from('\r\n--B--\r\n'),
  ]);
  return whole.subarray(0, whole.length - cut);
}

function callArbitrary(route: Route, ids: string[]): fc.Arbitrary<Call> {
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ maxLength: 8 }).map((s) => `${s}\u0000${s}`),
    fc.constantFrom('', 'x'.repeat(300), '2026-12-01T10:00:00.000Z', 'pia@example.test', '52.1', '-1', 'true', 'null', '[]'),
  );
  const id = fc.oneof(fc.constantFrom(...ids), text);
  const deep = fc.integer({ min: 17, max: 3000 }).map((n) => JSON.parse(nestedJson(n)) as unknown);
  const value: fc.Arbitrary<unknown> = fc.oneof(
    text,
    id,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(text, { maxLength: 3 }),
    fc.dictionary(text, text, { maxKeys: 3 }),
    fc.jsonValue({ maxDepth: 3 }),
    deep,
  );
  const fieldNames = route.fields.length ? fc.constantFrom(...route.fields) : fc.string({ maxLength: 10 });
  const jsonBody = fc.oneof(
    fc.dictionary(fieldNames, value, { maxKeys: Math.max(3, route.fields.length) }).map((b) => JSON.stringify(b)),
    fc.jsonValue({ maxDepth: 2 }).map((b) => JSON.stringify(b)),
    deep.map((b) => JSON.stringify(b)),
    fc.constantFrom('{"a":', '\u0000', '{"a":"\\u0000"}', 'null'),
  );
  const body = route.upload
    ? fc.oneof(
        fc.tuple(text, fc.integer({ min: 0, max: 30 })).map(([c, cut]) => ({ payload: multipart(c, PNG, cut), contentType: 'multipart/form-data; boundary=B' })),
        fc.uint8Array({ maxLength: 64 }).map((b) => ({ payload: Buffer.from(b), contentType: 'image/jpeg' })),
        fc.constant({ payload: multipart('x', PNG, 0), contentType: 'multipart/form-data' }),
      )
    : fc.oneof(
        { weight: 4, arbitrary: jsonBody.map((payload) => ({ payload, contentType: 'application/json' })) },
        fc.dictionary(fc.string({ maxLength: 6 }), text, { maxKeys: 3 }).map((f) => ({ payload: new URLSearchParams(f).toString(), contentType: 'application/x-www-form-urlencoded' })),
        fc.uint8Array({ maxLength: 64 }).map((b) => ({ payload: Buffer.from(b), contentType: 'application/octet-stream' })),
      );
  const queryKey = route.query.length ? fc.oneof(fc.constantFrom(...route.query), fc.string({ maxLength: 6 })) : fc.string({ maxLength: 6 });
  return fc.record(
    {
      params: fc.tuple(...route.params.map(() => id)),
      query: fc.array(fc.tuple(queryKey, text), { maxLength: 3 }),
      body: route.method === 'GET' ? fc.constant(undefined) : body,
      idempotencyKey: fc.option(text, { nil: undefined }),
    },
    { requiredKeys: ['params', 'query', 'body'] },
  ).map(({ body: b, ...rest }) => ({ ...rest, ...(b ?? {}) }));
}

await describeStores('fuzz: every documented route', (ctx) => {
  it('answers random, NUL-laden and deeply nested requests to every route without a 5xx', async () => {
    const { api, api_key } = await ctx().newOrg();
    const shipment = (await api.post('/api/v1/shipments', consignmentBody())).body;
    const link = (await api.post(`/api/v1/shipments/${shipment.id}/links`, {})).body;
    const device = (await api.post('/api/v1/devices', { name: 'Fuzz truck' })).body;
    const ids = [shipment.id, link.id, device.id, '00000000-0000-4000-8000-000000000000'].filter((x): x is string => typeof x === 'string');
    assert.ok(ids.length >= 3, 'the fixtures exist');
    const routes = routesOf(ctx().app.swagger());
    assert.ok(routes.length > 100, `the OpenAPI document lists the routes (${routes.length})`);

    const send = async (route: Route, call: Call) => {
      let i = 0;
      const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(call.params[i++] ?? 'x'));
      const query = call.query.length ? `?${call.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
      const headers: Record<string, string> = { authorization: `Bearer ${api_key}` };
      if (call.contentType) headers['content-type'] = call.contentType;
      if (call.idempotencyKey !== undefined && route.method === 'POST') headers['idempotency-key'] = call.idempotencyKey;
      const res = await ctx().app.inject({ method: route.method, url: path + query, headers, ...(call.payload !== undefined ? { payload: call.payload } : {}) });
      const what = `${route.method} ${path + query} ${String(call.payload ?? '').slice(0, 200)}`;
      assert.ok(res.statusCode < 500, `${what} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      if (res.statusCode >= 400) assert.equal(typeof res.json()?.error?.code, 'string', `${what}: ${res.body.slice(0, 200)}`);
    };

    for (const route of routes) {
      // NUL everywhere, then a body nested 5,000 levels: on every route, not left to chance.
      const nul = 'a\u0000b';
      await send(route, { params: route.params.map(() => nul), query: [['q', nul], ...route.query.map((q): [string, string] => [q, nul])], payload: route.method === 'GET' ? undefined : JSON.stringify(Object.fromEntries([...route.fields, 'x'].map((f) => [f, nul]))), contentType: route.method === 'GET' ? undefined : 'application/json' });
      if (route.method !== 'GET') await send(route, { params: route.params.map((_, i) => ids[i % ids.length]), query: [], payload: nestedJson(5000), contentType: 'application/json' });
      await fc.assert(
        fc.asyncProperty(callArbitrary(route, ids), (call) => send(route, call)),
        { numRuns: RUNS_PER_ROUTE, includeErrorInReport: true },
      );
    }
  });
});
