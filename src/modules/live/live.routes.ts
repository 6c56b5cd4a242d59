// Public position routes of a tracking link: `/t/{slug}/history` and the `/t/{slug}/events`
// Server-Sent Events stream. Same 404/410 as the page's JSON (publicLinks.require); the public-page plugin's
// global /t/ hook adds rate limiting, X-Robots-Tag and no-store to these too.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { aloneOnConnection, releaseHijackedRequest, releaseParser, type StreamCloseListener } from '../../http/released-stream.js';
import { readyJson } from '../../shared/schema.js';
import { HistoryQuery } from '../positions/positions.schema.js';
import { PublicHistorySchema, publicErrors, SlugParams } from '../public-page/public.schema.js';
import { pickLocale, seenFormat } from '../public-page/i18n.js';
import { liveLinkOf } from './live-link.js';
import type { LiveService, SseSink, Viewer } from './live.service.js';

/** Bytes a stream may have waiting for its client before it is cut (ResponseSink.write). */
export const MAX_UNSENT_BYTES = 256 * 1024;

/** What stands in for a sent header block: Node only tests `_header` for being non-empty once sent. */
const HEADERS_WERE_SENT = 'HTTP/1.1 200 OK\r\n\r\n';

/**
 * Node keeps the header block it sent (`res._header`) for as long as the response is open, only
 * to answer "were headers sent?" (every use of it in Node 20's _http_outgoing.js is a truthiness
 * test once `_headerSent` is true): about 0.7 KB of every idle stream's memory, the largest single
 * piece (heap snapshots of 2,000 viewers). Once it has left, one shared string stands in for it.
 */
function dropSentHeaders(res: ServerResponse): void {
  const out = res as ServerResponse & { _header?: unknown; _headerSent?: boolean };
  if (out._headerSent === true && typeof out._header === 'string' && out._header.length) out._header = HEADERS_WERE_SENT;
}

/**
 * The stream's writer, which also detaches the viewer when the response closes. A class, not an
 * object of arrow functions: an idle viewer then holds one small object instead of closures and
 * the route handler's whole scope (measured with heap snapshots of 2,000 idle viewers).
 */
export class ResponseSink implements SseSink, StreamCloseListener {
  constructor(
    private readonly res: ServerResponse,
    private readonly live: Pick<LiveService, 'detach'>,
    private readonly viewer: Viewer,
  ) {}
  write(chunk: string): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    // A client that stopped reading (or reads slower than its link moves) leaves what it was sent
    // in this process's memory once the kernel's buffers are full: many such streams would grow
    // it without bound. Past MAX_UNSENT_BYTES the stream is cut; an EventSource reconnects with
    // Last-Event-ID and is sent what it missed.
    if (this.res.writableLength > MAX_UNSENT_BYTES) {
      this.res.destroy();
      return;
    }
    this.res.write(chunk);
  }
  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
  streamClosed(): void {
    this.live.detach(this.viewer);
  }
}

const NO_HEADERS: IncomingMessage['headers'] = Object.freeze({});
const NO_RAW_HEADERS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Node keeps a request's headers, raw and parsed, for as long as its response is open; a
 * browser's (user agent, languages, cookies) are most of a kilobyte. The stream has read what it
 * needs from them (its access line was worked out when it was released), so shared empty ones
 * stand in for them.
 */
function dropRequestHeaders(req: IncomingMessage): void {
  req.headers = NO_HEADERS;
  req.rawHeaders = NO_RAW_HEADERS;
}

const EVENT_STREAM = {
  description: 'Server-Sent Events: position, status, eta and changed (positions.contract.ts)',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { publicLinks, positions, live } = app.services;

  app.get('/t/:slug/history', { schema: { operationId: 'getPublicHistory', summary: 'The track a tracking link shows', tags: ['public'], response: { 200: PublicHistorySchema, ...publicErrors }, params: SlugParams, querystring: HistoryQuery } }, async (req, reply) => {
    const r = await publicLinks.require(req.params.slug);
    // Sent as ready JSON: the schema documents the reply, the serializer need not walk every point.
    const history: Static<typeof PublicHistorySchema> = await positions.history(r.policy.positions, req.query, await positions.visibleWindows(r.policy.positions, r.shape));
    return reply.type('application/json; charset=utf-8').send(readyJson(JSON.stringify(history)));
  });

  app.get('/t/:slug/events', { schema: { operationId: 'streamPublicEvents', summary: 'Live positions of a tracking link (Server-Sent Events)', tags: ['public'], response: { 200: EVENT_STREAM, ...publicErrors }, params: SlugParams } }, async (req, reply) => {
    const r = await publicLinks.require(req.params.slug);
    // A HEAD (a link checker, a preview) is told what a GET opens, and nothing is opened: Node
    // sends nothing of a HEAD response before it ends, so a stream opened for one never sent even
    // its headers, and its heartbeats (never written either) could never find the client gone:
    // its viewer held one of the address's slots for as long as the connection stayed up.
    if (req.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').header('cache-control', 'no-store').send();
    // The client left while the link was read: its response's 'close' has come and gone, so a
    // viewer admitted now would never be detached (and would hold one of its address's slots).
    if (reply.raw.destroyed) return reply.hijack();
    // Pipelined behind another response, or with requests (or a body) after it: a response waiting
    // for the socket never sees 'close' if the connection goes first (its viewer would never be
    // detached), and requests read after a stream are held as long as it lasts. No EventSource
    // does either: the connection is cut before anything is admitted (aloneOnConnection).
    if (!aloneOnConnection(req.raw, reply.raw)) {
      req.raw.socket.destroy();
      return reply.hijack();
    }
    const viewer = live.admit(req.params.slug, req.ip);
    const res = reply.raw;
    reply.hijack();
    const sink = new ResponseSink(res, live, viewer);
    // The stream may stay open for hours: Fastify's request, reply and logger need not (released-stream.ts).
    // The viewer is detached when the response closes.
    releaseHijackedRequest(req, reply, app.services.metrics, sink);
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // The connection ends with the stream: nothing after this request is read on it, so its
      // HTTP parser can go (releaseParser).
      connection: 'close',
      // Reverse proxies (nginx) must pass events through as they come.
      'x-accel-buffering': 'no',
    });
    // No flushHeaders(): the headers leave with attach()'s first write, once the viewer is
    // subscribed (see LiveService.attach).
    const lastId = req.headers['last-event-id'];
    const locale = pickLocale(req.headers['accept-language'], r.org.country);
    dropRequestHeaders(req.raw);
    releaseParser(req.raw);
    try {
      await live.attach(
        viewer,
        liveLinkOf(r),
        sink,
        typeof lastId === 'string' ? lastId : undefined,
        // Positions come with their time as the page writes it (same language and zone).
        seenFormat(locale),
      );
      dropSentHeaders(res);
    } catch (err) {
      req.log.error({ err }, 'live stream failed to start');
      live.detach(viewer);
      sink.end();
    }
  });
};
