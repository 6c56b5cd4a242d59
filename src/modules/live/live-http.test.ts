// The live stream as an HTTP response, on both stores: it is written to the raw response
// (hijacked), so what Fastify would add or do for a reply is checked here: every header a public
// reply carries, one access line and the request metrics however the stream ends, and an open
// stream keeping neither Fastify's request nor its reply alive (memory per idle viewer, issue 19).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { before, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { describeStores, type TestContext } from '../../../test/helpers/context.js';
import { inTransitOrderBody } from '../../../test/helpers/fixtures.js';
import { openSse } from '../../../test/helpers/sse.js';
import { rawConnection } from '../../../test/helpers/raw-http.js';
import type { PublicLinkRepository } from '../links/public-link.repository.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function liveLink(ctx: TestContext): Promise<{ slug: string; linkId: string }> {
  const org = await ctx.newOrg();
  const s = await org.api.post('/api/v1/shipments', inTransitOrderBody());
  const link = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, { options: { driver_position: 'always' } });
  assert.equal(link.status, 201, link.text);
  return { slug: link.body.slug, linkId: link.body.id };
}

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string; id: string };
  res?: { statusCode: number };
  responseTime?: number;
}
const linesOf = (ctx: TestContext, reqId: string): Line[] =>
  readFileSync(ctx.logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.reqId === reqId);

/** Streams answered so far, by the route template's metrics (tracklink_http_requests_total). */
async function streamsCounted(ctx: TestContext): Promise<number> {
  const { body } = await ctx.services.metrics.render();
  const lines = body.split('\n').filter((l) => l.startsWith('tracklink_http_requests_total{') && l.includes('route="/t/:slug/events"') && l.includes('status="200"'));
  return lines.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

/** Waits until cond() holds, checking every 20 ms; fails after 5 s (a loaded machine delays, the rule stays). */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`not within 5 s: ${what}`);
}

/** Fastify's request object of every /events request, held weakly (an onRequest hook, added before the app is ready). */
const streamRequests: WeakRef<FastifyRequest>[] = [];
/** Node's request of every /events request, likewise. */
const rawStreamRequests: WeakRef<IncomingMessage>[] = [];

describeStores(
  'live stream over HTTP',
  (ctx) => {
    let base = '';
    /** A raw connection with the link's stream open (its status event received), and what it has received so far. */
    const openRawStream = async (slug: string, headers = '') => {
      const client = rawConnection(Number(new URL(base).port), { initial: `GET /t/${slug}/events HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n` });
      const stream = { client, received: '' };
      client.socket.on('data', (d: string) => (stream.received += d));
      try {
        await until(() => stream.received.includes('event: status'), 'the stream');
      } catch (err) {
        client.destroy();
        throw err;
      }
      return stream;
    };
    before(async () => {
      base = await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('carries every header a public reply carries, no-store and the request id', async () => {
      const t = await liveLink(ctx());
      const data = await fetch(`${base}/t/${t.slug}/data`);
      await data.body?.cancel();
      const sse = await openSse(`${base}/t/${t.slug}/events`, { 'x-request-id': 'sse-headers-trace-1' });
      await sse.waitFor((e) => e.event === 'status');
      sse.close();
      assert.equal(sse.status, 200);
      assert.equal(sse.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(sse.headers.get('cache-control'), 'no-store');
      assert.equal(sse.headers.get('x-request-id'), 'sse-headers-trace-1');
      // The same security headers (CSP, nosniff, referrer policy…) and robots tag as the link's JSON.
      const perReply = new Set(['date', 'cache-control', 'content-type', 'content-length', 'content-encoding', 'etag', 'vary', 'x-request-id', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'connection', 'keep-alive', 'transfer-encoding']);
      const shared: string[] = [];
      data.headers.forEach((_value, name) => void (perReply.has(name) || shared.push(name)));
      for (const h of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'x-robots-tag']) assert.ok(shared.includes(h), `${h} in ${shared.join()}`);
      for (const h of shared) assert.equal(sse.headers.get(h), data.headers.get(h), h);
    });

    it('writes one access line and counts the request when the client leaves, and when the server ends the stream', async () => {
      const t = await liveLink(ctx());
      const counted = await streamsCounted(ctx());
      const left = await openSse(`${base}/t/${t.slug}/events`, { 'x-request-id': 'sse-client-left-1' });
      await left.waitFor((e) => e.event === 'status');
      left.close();
      await until(() => linesOf(ctx(), 'sse-client-left-1').length > 0, 'the access line of a stream the client closed');

      // Ended by the server (as on shutdown): the response finishes.
      const ended = await openSse(`${base}/t/${t.slug}/events`, { 'x-request-id': 'sse-server-ended-1' });
      await ended.waitFor((e) => e.event === 'status');
      ctx().services.live.closeAll();
      await ended.ended;
      await until(() => linesOf(ctx(), 'sse-server-ended-1').length > 0, 'the access line of a stream the server ended');

      for (const reqId of ['sse-client-left-1', 'sse-server-ended-1']) {
        const lines = linesOf(ctx(), reqId);
        assert.equal(lines.length, 1, `${reqId}: one line, ${JSON.stringify(lines)}`);
        const [line] = lines;
        assert.equal(line.level, 30);
        assert.equal(line.msg, 'request completed');
        assert.deepEqual(line.req, { method: 'GET', url: '/t/[redacted]/events', id: reqId });
        assert.equal(line.res?.statusCode, 200);
        assert.equal(typeof line.responseTime, 'number');
      }
      assert.doesNotMatch(readFileSync(ctx().logFile, 'utf8'), new RegExp(t.slug));
      await until(async () => (await streamsCounted(ctx())) === counted + 2, 'both streams in the request metrics');
    });

    it("keeps neither Fastify's request nor its reply alive while the stream is open", async () => {
      const t = await liveLink(ctx());
      const from = streamRequests.length;
      const sse = await openSse(`${base}/t/${t.slug}/events`);
      await sse.waitFor((e) => e.event === 'status');
      assert.equal(streamRequests.length, from + 1);
      // A WeakRef's target is kept until the current job ends: collected in a later turn.
      await new Promise((r) => setTimeout(r, 10));
      gc();
      await new Promise((r) => setTimeout(r, 10));
      gc();
      const alive = streamRequests[from].deref() !== undefined;
      sse.close();
      assert.equal(alive, false, "the open stream still holds Fastify's request");
    });

    it("keeps none of the request's headers while the stream is open, and still detaches the viewer when the client leaves", async () => {
      const t = await liveLink(ctx());
      const from = rawStreamRequests.length;
      const viewers = ctx().services.live.viewerCount;
      const sse = await openSse(`${base}/t/${t.slug}/events`, { 'accept-language': 'de-DE', 'user-agent': 'Mozilla/5.0 (a browser with a long user agent)' });
      try {
        await sse.waitFor((e) => e.event === 'status');
        const raw = rawStreamRequests[from].deref();
        assert.ok(raw, 'the open stream holds its request');
        assert.deepEqual(raw.rawHeaders, [], 'old code: the raw header lines stay for as long as the stream');
        assert.deepEqual({ ...raw.headers }, {});
        assert.equal(ctx().services.live.viewerCount, viewers + 1);
      } finally {
        sse.close();
      }
      await until(() => ctx().services.live.viewerCount === viewers, 'the viewer detached once the client left');
    });

    it("frees the stream's HTTP parser, and a client that ends its side of the connection still ends the stream: request and response close, the viewer goes", async () => {
      const t = await liveLink(ctx());
      const from = rawStreamRequests.length;
      const viewers = ctx().services.live.viewerCount;
      const stream = await openRawStream(t.slug, 'Accept: text/event-stream\r\n');
      const { client } = stream;
      try {
        assert.match(stream.received, /^connection: close\r$/im);
        const raw = rawStreamRequests[from].deref();
        assert.ok(raw, 'the open stream holds its request');
        assert.equal((raw.socket as unknown as { parser: unknown }).parser, null, "old code: Node's parser stays for a next request");
        const closed = new Set<string>();
        raw.once('close', () => closed.add('request'));
        const res = (raw.socket as unknown as { _httpMessage: ServerResponse })._httpMessage;
        res.once('close', () => closed.add('response'));
        // Half-close: only our FIN; the server must end its side and so the connection.
        client.socket.end();
        await client.closed;
        await until(() => closed.size === 2, `request and response closed (${[...closed]})`);
        await until(() => ctx().services.live.viewerCount === viewers, 'the viewer detached');
      } finally {
        client.destroy();
      }
    });

    it('reads no request pipelined behind a stream (it said Connection: close) and closes the connection when the stream ends', async () => {
      const t = await liveLink(ctx());
      const stream = await openRawStream(t.slug);
      const { client } = stream;
      try {
        client.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
        // The pipelined request reaches the server before the stream ends.
        await new Promise((r) => setTimeout(r, 100));
        ctx().services.live.closeAll();
        const { received: all } = await client.closed;
        assert.match(all, /retry: 1000/);
        assert.equal(all.split('HTTP/1.1 ').length - 1, 1, `one response only: ${all}`);
      } finally {
        client.destroy();
      }
    });

    it('cuts a stream whose connection carries more than it (requests pipelined before or after it, a body), admitting no viewer', async () => {
      const t = await liveLink(ctx());
      const viewers = ctx().services.live.viewerCount;
      const stream = `GET /t/${t.slug}/events HTTP/1.1\r\nHost: localhost\r\n\r\n`;
      for (const [what, initial] of [
        // Old code: the second and third waited for the socket, never saw 'close', and their viewers stayed for good.
        ['three streams in one write', stream.repeat(3)],
        // Old code: the requests after the stream were held (with their replies) for as long as it lasted.
        ['requests after the stream', stream + 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(500)],
        // Old code: the unfinished body kept Node's parser, so requests sent after it were read too.
        ['a body still coming', stream.replace('\r\n\r\n', '\r\nContent-Length: 10\r\n\r\nab')],
      ] as const) {
        // The server closes the connection (old code: the stream kept it open, rawConnection fails after 5 s).
        const client = rawConnection(Number(new URL(base).port), { initial, maxOpenMs: 5000 });
        const { received } = await client.closed;
        assert.doesNotMatch(received, /event: status/, `${what}: no stream`);
        await until(() => ctx().services.live.viewerCount === viewers, `${what}: no viewer left`);
      }
    });

    it("cuts a stream whose parser was freed with the server's own closeAllConnections, so server.close() returns", async () => {
      const t = await liveLink(ctx());
      const stream = await openRawStream(t.slug);
      const { client } = stream;
      try {
        // Node's own list no longer holds the connection (its parser is freed): the server's
        // method covers it all the same, as anyone stopping the server expects.
        ctx().app.server.closeAllConnections();
        const within = await Promise.race([client.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
        assert.equal(within, true, 'the stream is cut');
      } finally {
        client.destroy();
      }
    });

    it('answers a HEAD of the stream with its headers at once, admitting no viewer', async () => {
      const t = await liveLink(ctx());
      const viewers = ctx().services.live.viewerCount;
      // Old code: a stream was opened for the HEAD and nothing of it was ever sent (the request timed out).
      const res = await fetch(`${base}/t/${t.slug}/events`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(ctx().services.live.viewerCount, viewers, 'no viewer for a HEAD');
      // An unavailable link's HEAD is the 404 of its GET.
      assert.equal((await fetch(`${base}/t/${'x'.repeat(24)}/events`, { method: 'HEAD' })).status, 404);
    });

    it('admits no viewer for a client that left while the link was being read', async () => {
      const t = await liveLink(ctx());
      const viewers = ctx().services.live.viewerCount;
      // The resolver's own repository (private to it): the client goes before the link is read.
      const repo = (ctx().services.publicLinks as unknown as { publicRepo: PublicLinkRepository }).publicRepo;
      const original = repo.loadBySlugs.bind(repo);
      let client: ReturnType<typeof rawConnection> | null = null;
      let left = false;
      repo.loadBySlugs = async (slugs: readonly string[]) => {
        client?.destroy();
        // Until the server has seen the connection close.
        await new Promise((r) => setTimeout(r, 200));
        left = true;
        return original(slugs);
      };
      try {
        client = rawConnection(Number(new URL(base).port), { initial: `GET /t/${t.slug}/events HTTP/1.1\r\nHost: localhost\r\n\r\n` });
        await until(() => left, 'the link read');
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(ctx().services.live.viewerCount, viewers, 'old code: the viewer stays, never detached');
      } finally {
        repo.loadBySlugs = original;
        client?.destroy();
      }
    });
  },
  {},
  {
    beforeReady: (app) =>
      app.addHook('onRequest', (req, _reply, done) => {
        if (req.url.endsWith('/events')) {
          streamRequests.push(new WeakRef(req));
          rawStreamRequests.push(new WeakRef(req.raw));
        }
        done();
      }),
  },
);
