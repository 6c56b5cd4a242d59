// A hijacked response that stays open for minutes or hours (a live SSE stream) without keeping
// Fastify's request, reply and request logger alive for all that time.
//
// Fastify puts one listener on every response (`onResFinished`, on 'finish' and 'error') that runs
// the onResponse hooks and writes the access line when the response finishes. It holds the
// request, the reply and the request's child logger: about 1 KB of every idle viewer's memory
// (heap snapshots of 2,000 viewers). And it never runs for a stream the client closed (no
// 'finish'), so such a stream had no access line at all. Here it is taken off, and what it would
// have done is done from a few copied fields when the response closes, however it closes: the
// access line, by the one writer of every request's (writeAccessLine, request-logger.ts), and the request metrics of the
// metrics plugin's onResponse hook.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serializers } from './logging.js';
import { writeAccessLine } from './request-logger.js';

/** What the metrics plugin's onResponse hook records (metrics.ts observeRequest). */
export interface RequestObserver {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** What else the caller does when the stream closes (a live viewer's detach), run first. */
export interface StreamCloseListener {
  streamClosed(): void;
}

/** Fastify's end-of-response listener (fastify/lib/reply.js setupResponseListeners). */
const FASTIFY_LISTENER = 'onResFinished';

/**
 * Call after `reply.hijack()`. `then` runs when the response closes, however it closes (the
 * client left, or it ended): one 'close' listener per stream does both, each costs an idle
 * viewer a closure. Should a Fastify upgrade rename its listener, nothing is taken off and
 * Fastify keeps doing its own part (live-http.test.ts then fails: the request stays alive).
 */
export function releaseHijackedRequest(request: FastifyRequest, reply: FastifyReply, metrics: RequestObserver, then: StreamCloseListener | null = null): void {
  const res = reply.raw;
  const theirs = (['finish', 'error'] as const).map((event) => [event, res.listeners(event).find((l) => l.name === FASTIFY_LISTENER)] as const);
  if (theirs.some(([, listener]) => !listener)) {
    if (then) res.on('close', () => then.streamClosed());
    return;
  }
  for (const [event, listener] of theirs) res.off(event, listener as (...args: unknown[]) => void);
  const ended = new StreamEnd(
    request.server.log,
    metrics,
    request.id,
    request.method,
    request.routeOptions.url ?? 'unmatched',
    // The URL as the access line shows it (slug redacted), worked out now: the raw one is not kept.
    serializers.req(request),
    performance.now() - reply.elapsedTime,
    then,
  );
  // on(), not once(): 'close' comes once, and once()'s wrapper would be another object per stream.
  res.on('close', () => ended.log(res));
}

/** The fields the access line and the metrics need, and nothing else of the request. */
class StreamEnd {
  constructor(
    private readonly root: FastifyRequest['log'],
    private readonly metrics: RequestObserver,
    private readonly id: string,
    private readonly method: string,
    private readonly route: string,
    private readonly req: { method: string; url: string; id?: string },
    private readonly startedAt: number,
    private readonly then: StreamCloseListener | null,
  ) {}

  log(res: ServerResponse): void {
    this.then?.streamClosed();
    const ms = performance.now() - this.startedAt;
    this.metrics.observeRequest(this.method, this.route, res.statusCode, ms / 1000);
    try {
      // The request logger's own binding (Fastify's requestIdLogLabel).
      writeAccessLine(this.root, 30, { bindings: { reqId: this.id }, req: this.req, statusCode: res.statusCode, responseTime: ms });
    } catch {
      // A stream its client keeps open can close after the app and its log destination have
      // (shutdown, a test's end): pino then throws from this listener, which would crash the process.
    }
  }
}

/** Node's own freeParser (lib/_http_common.js): what its server runs on an upgrade and on close. */
const { freeParser } = createRequire(import.meta.url)('_http_common') as { freeParser?: (parser: unknown, req: unknown, socket: unknown) => void };

/** Node's listeners that feed a server socket's bytes and end to its parser (lib/_http_server.js connectionListenerInternal). */
const PARSER_FEEDS = [
  ['data', 'bound socketOnData'],
  ['end', 'bound socketOnEnd'],
] as const;

/**
 * Frees the HTTP parser of a connection whose response is a stream sent with `Connection: close`:
 * the connection ends with the stream, so no later request on it is read (RFC 9112 9.6), and
 * the parser Node keeps for one is about 1.5 KB of native memory and a dozen JS objects of every
 * idle viewer (8,000 idle viewers: RSS 8.5 -> 6.3 KB each). Node frees it the same way when a
 * connection upgrades. Afterwards the client's end of the connection still ends it (as Node's
 * listener did: no half-open connections), its close still closes the request and the response,
 * and bytes it sends are dropped. Returns false, keeping the parser, unless the request is
 * complete and is the last one the parser has read; should a Node upgrade rename its listeners,
 * the parser stays (live-http.test.ts then fails).
 */
export function releaseParser(req: IncomingMessage): boolean {
  const socket = req.socket;
  const parser = parserOf(socket);
  if (!freeParser || !parser || parser.incoming !== req || !req.complete || socket.destroyed) return false;
  const feeds = PARSER_FEEDS.map(([event, name]) => [event, socket.listeners(event).find((l) => l.name === name)] as const);
  if (feeds.some(([, listener]) => !listener)) return false;
  for (const [event, listener] of feeds) socket.off(event, listener as (...args: unknown[]) => void);
  freeParser(parser, req, socket);
  socket.on('end', endConnection);
  return true;
}

/**
 * Whether a stream's request is all its connection carries: its response holds the socket (none
 * sent before it is pending), the request is complete (no body still coming) and Node's parser
 * has read nothing after it. Otherwise the client pipelined behind a response that does not end:
 * Node would dispatch every request it sends after it and keep each one, and its reply, for as
 * long as the stream lasts (about 6 KB a request, measured: 3,855 such requests held 24 MB).
 */
export function aloneOnConnection(req: IncomingMessage, res: ServerResponse): boolean {
  const parser = parserOf(req.socket);
  return res.socket !== null && req.complete && (!parser || parser.incoming === req);
}

/** Node's HTTP parser of a server socket (`socket.parser`, null once freed), with the request it last read. */
function parserOf(socket: Socket): { incoming?: unknown } | null | undefined {
  return (socket as Socket & { parser?: { incoming?: unknown } | null }).parser;
}

/** The client ended its side: end ours (Node's socketOnEnd, without the parser). */
function endConnection(this: Socket): void {
  this.end();
}
