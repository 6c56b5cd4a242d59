// Every reply's whole header set, over real HTTP, for the routes that stand for each kind of
// reply: the public page and its JSON, /healthz (GET and HEAD), an API read and write (with an
// Idempotency-Key, and its replay), the not-found handler (also for a POST, which runs the
// body-guard and idempotency hooks there), auth's 401, the body guard's 415, the router's own 400
// and a public 429. Every one carries the request id an operator finds the request's log line by.
// The hooks that add these headers are attached per route where they can be (http/route-hooks.ts);
// this pins what every reply must still carry, names and values, so moving a hook can drop none.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody } from '../helpers/fixtures.js';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request on its own connection (the reply then says `connection: close`), headers as received. */
function request(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          h[name] = h[name] === undefined ? res.rawHeaders[i + 1] : `${h[name]}\n${res.rawHeaders[i + 1]}`;
        }
        resolve({ status: res.statusCode ?? 0, headers: h, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const withoutConnection = ({ connection: _c, ...rest }: Record<string, string>) => rest;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The headers with their per-reply values checked and replaced by a placeholder. */
function normalized(r: Reply, what: string): Record<string, string> {
  const h = { ...r.headers };
  assert.ok(!Number.isNaN(Date.parse(h.date ?? '')), `${what}: date`);
  h.date = '<date>';
  if (h['x-request-id'] !== undefined) {
    assert.match(h['x-request-id'], UUID, `${what}: x-request-id`);
    h['x-request-id'] = '<uuid>';
  }
  if (h['content-length'] !== undefined && r.body.length) {
    assert.equal(Number(h['content-length']), Buffer.byteLength(r.body), `${what}: content-length`);
    h['content-length'] = '<length>';
  }
  if (h['retry-after'] !== undefined && what.includes('429')) h['retry-after'] = '<seconds>';
  if (h['x-ratelimit-reset'] !== undefined) h['x-ratelimit-reset'] = '<seconds>';
  return h;
}

const SECURITY = {
  'content-security-policy':
    "default-src 'self';base-uri 'none';font-src 'self';form-action 'self';frame-ancestors 'none';img-src 'self' data: blob:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self';connect-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-frame-options': 'SAMEORIGIN',
};
const COMMON = { ...SECURITY, 'x-request-id': '<uuid>', date: '<date>', connection: 'close' };
const JSON_TYPE = 'application/json; charset=utf-8';
const API = { ...COMMON, 'cache-control': 'no-store' };
const PUBLIC = { ...COMMON, 'x-robots-tag': 'noindex, nofollow', 'cache-control': 'private, no-store' };

describeStores(
  'reply headers',
  (ctx) => {
    let port = 0;
    before(async () => {
      await ctx().app.listen({ port: 0, host: '127.0.0.1' });
      port = (ctx().app.server.address() as AddressInfo).port;
    });

    it('are the same whole set for each kind of reply', async () => {
      const org = await ctx().newOrg();
      const auth = { authorization: `Bearer ${org.api_key}` };
      const json = { ...auth, 'content-type': 'application/json' };
      const s = await org.api.post('/api/v1/shipments', consignmentBody());
      assert.equal(s.status, 201, s.text);
      const link = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, {});
      assert.equal(link.status, 201, link.text);
      const slug = link.body.slug as string;
      const created = JSON.stringify(consignmentBody());
      const nul = JSON.stringify({ note: 'a\u0000b' });
      const replies: Record<string, Reply> = {
        'page 200': await request(port, 'GET', `/t/${slug}`),
        'data 200': await request(port, 'GET', `/t/${slug}/data`),
        'healthz 200': await request(port, 'GET', '/healthz'),
        'healthz HEAD 200': await request(port, 'HEAD', '/healthz'),
        'api read 200': await request(port, 'GET', '/api/v1/org', auth),
        'api write 201': await request(port, 'POST', '/api/v1/shipments', { ...json, 'idempotency-key': 'headers-1' }, created),
        'api write replayed 201': await request(port, 'POST', '/api/v1/shipments', { ...json, 'idempotency-key': 'headers-1' }, created),
        'not found 404': await request(port, 'GET', '/no-such-page'),
        'not found POST with NUL 400': await request(port, 'POST', '/no-such-page', { 'content-type': 'application/json' }, nul),
        'not found POST 404': await request(port, 'POST', '/api/v1/no-such-thing', { ...json, 'idempotency-key': 'headers-2' }, '{}'),
        'not found POST replayed 404': await request(port, 'POST', '/api/v1/no-such-thing', { ...json, 'idempotency-key': 'headers-2' }, '{}'),
        'unauthenticated 401': await request(port, 'GET', '/api/v1/shipments'),
        'wrong body type 415': await request(port, 'POST', '/api/v1/shipments', { ...auth, 'content-type': 'text/xml' }, '<x/>'),
        // Refused by the router itself (a malformed escape), before any hook.
        'router bad URL 400': await request(port, 'GET', '/api/v1/shipments/%E0%A4%A'),
      };
      // PUBLIC_RATE_LIMIT is 3 here: the page and /data took two.
      for (let i = 0; i < 5 && !replies['public 429']; i++) {
        const r = await request(port, 'GET', `/t/${slug}/data`);
        if (r.status === 429) replies['public 429'] = r;
      }
      const seen = Object.fromEntries(Object.entries(replies).map(([what, r]) => [what, { status: r.status, headers: normalized(r, what) }]));
      const expected: Record<string, { status: number; headers: Record<string, string> }> = {
        'page 200': { status: 200, headers: { ...PUBLIC, 'content-type': 'text/html; charset=utf-8', vary: 'accept-language', 'content-length': '<length>' } },
        'data 200': { status: 200, headers: { ...PUBLIC, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'healthz 200': { status: 200, headers: { ...COMMON, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'healthz HEAD 200': { status: 200, headers: { ...COMMON, 'content-type': JSON_TYPE, 'content-length': '15' } },
        'api read 200': { status: 200, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'api write 201': { status: 201, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'api write replayed 201': { status: 201, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>', 'idempotent-replayed': 'true' } },
        // Node leaves out `connection: close` here (so does main's code): pinned as it is.
        'not found 404': { status: 404, headers: { ...withoutConnection(COMMON), 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'not found POST with NUL 400': { status: 400, headers: { ...COMMON, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'not found POST 404': { status: 404, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'not found POST replayed 404': { status: 404, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>', 'idempotent-replayed': 'true' } },
        'unauthenticated 401': { status: 401, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        // The body guard drains a refused body and keeps the connection (it removes `connection`).
        'wrong body type 415': { status: 415, headers: { ...withoutConnection(API), 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'router bad URL 400': { status: 400, headers: { ...API, 'content-type': JSON_TYPE, 'content-length': '<length>' } },
        'public 429': { status: 429, headers: { ...PUBLIC, 'content-type': JSON_TYPE, 'content-length': '<length>', 'retry-after': '<seconds>', 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '<seconds>' } },
      };
      if (process.env.DUMP_REPLY_HEADERS) console.log(JSON.stringify(seen));
      assert.deepEqual(seen, expected);
      // Replays are the stored replies, bodies included.
      assert.equal(replies['api write replayed 201'].body, replies['api write 201'].body);
      assert.equal(replies['not found POST replayed 404'].body, replies['not found POST 404'].body);
      assert.match(replies['not found POST with NUL 400'].body, /NUL/);
    });
  },
  { PUBLIC_RATE_LIMIT: '3' },
  {},
  (kinds) => kinds.filter((k) => k === 'sqlite'),
);
