// Connections, below Fastify's routes: a cap on the connections one peer address may hold
// open, answers in the API's error shape for requests Node gives up on (headers or body not
// received within HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS: Node's own timers, set in app.ts),
// and what shutdown needs to know: which connections are in the middle of a request.
//
// Without the cap and the timeouts, 600 sockets sending half a request header from one address
// stayed open for minutes and held SIGTERM until it cut them (issue 14 item 5, issue 13 item 10).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../modules/metrics/metrics.js';
import { errorBody, type ErrorCode } from '../shared/errors.js';
import { clientKey } from './client-key.js';

declare module 'fastify' {
  interface FastifyInstance {
    connections: ConnectionTracker;
  }
}

interface Tracked {
  /** What the cap counts under: clientKey() of the peer (an IPv6 /64 is one client). */
  key: string;
  openedAt: number;
  /** Requests whose headers arrived and whose reply has not finished (more than one when pipelined). */
  inRequest: number;
  /** Replies finished on this connection: one that has any and is between requests is an idle keep-alive. */
  served: number;
}

/** A reply written straight to the socket, for connections Fastify never sees a request on. */
function rawReply(status: number, reason: string, code: ErrorCode, message: string, extraHeaders = ''): string {
  const body = JSON.stringify(errorBody(code, message));
  return (
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${extraHeaders}Content-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const OVER_CAP_REPLY = rawReply(503, 'Service Unavailable', 'unavailable', 'Too many open connections from your address; close some and retry', 'Retry-After: 5\r\n');

/** IPv4 clients of a dual-stack listener appear as ::ffff:a.b.c.d; one address, one count. */
function peerAddress(socket: Socket): string {
  const a = socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export class ConnectionTracker {
  private readonly sockets = new Map<Socket, Tracked>();
  private readonly perIp = new Map<string, number>();
  private closing = false;
  private lastRefusalLogAt = 0;
  private refusedSinceLog = 0;
  /** When the last connection was accepted (draining waits until they stop arriving). */
  lastConnectionAt = 0;
  /**
   * The 'close' listeners, one function each for every connection and reply (`this` is the
   * socket or the reply): a closure and a once() wrapper per connection and per reply cost an
   * idle live viewer about 0.5 KB (heap snapshots of 2,000 viewers, issue 19).
   */
  private readonly socketClosed: (this: Socket) => void;
  private readonly replyClosed: (this: ServerResponse) => void;

  constructor(
    private readonly maxPerIp: number,
    private readonly metrics: Metrics,
    private readonly log: FastifyInstance['log'],
  ) {
    const tracker = this;
    this.socketClosed = function (this: Socket) {
      tracker.forget(this);
    };
    this.replyClosed = function (this: ServerResponse) {
      tracker.replyEnded(this);
    };
  }

  get open(): number {
    return this.sockets.size;
  }

  /** The server's 'connection' event: counts the socket against its address, or refuses it. */
  accept(socket: Socket): void {
    this.lastConnectionAt = Date.now();
    const key = clientKey(socket.remoteAddress ?? '');
    const count = (this.perIp.get(key) ?? 0) + 1;
    if (this.maxPerIp > 0 && count > this.maxPerIp) return this.refuse(socket);
    this.perIp.set(key, count);
    const tracked: Tracked = { key, openedAt: Date.now(), inRequest: 0, served: 0 };
    this.sockets.set(socket, tracked);
    socket.on('close', this.socketClosed);
  }

  private forget(socket: Socket): void {
    const tracked = this.sockets.get(socket);
    if (!tracked) return;
    this.sockets.delete(socket);
    const left = (this.perIp.get(tracked.key) ?? 1) - 1;
    if (left > 0) this.perIp.set(tracked.key, left);
    else this.perIp.delete(tracked.key);
  }

  /** The server's 'request' event (headers complete): the connection is busy until the reply ends. */
  request(req: IncomingMessage, res: ServerResponse): void {
    const tracked = this.sockets.get(req.socket);
    if (!tracked) return;
    tracked.inRequest++;
    res.on('close', this.replyClosed);
  }

  private replyEnded(res: ServerResponse): void {
    // The reply's request keeps its socket (res.socket is gone once the reply finished).
    const socket = res.req.socket;
    const tracked = this.sockets.get(socket);
    // Not there: the connection closed first, and nothing is counted for it any more.
    if (!tracked) return;
    tracked.inRequest--;
    tracked.served++;
    // Shutting down: the reply is complete (or the client left), so the connection goes now
    // instead of waiting idle for a next request the closed listener would refuse anyway.
    if (this.closing && tracked.inRequest === 0) socket.destroySoon();
  }

  /**
   * Connections opened within the last `withinMs` that have not sent a whole request header yet:
   * most likely a request on its way, which closing would reset. Older ones are slow clients.
   */
  arriving(withinMs: number): number {
    const since = Date.now() - withinMs;
    let n = 0;
    for (const t of this.sockets.values()) if (t.inRequest === 0 && t.served === 0 && t.openedAt > since) n++;
    return n;
  }

  /**
   * Shutdown, once the listener is closed: every connection between requests (an idle
   * keep-alive, or one that never finished sending a request header) is closed now; one in the
   * middle of a request is closed as soon as its reply is complete.
   */
  closeBetweenRequests(): { idle: number; unfinished: number; serving: number } {
    this.closing = true;
    const counts = { idle: 0, unfinished: 0, serving: 0 };
    for (const [socket, t] of this.sockets) {
      if (t.inRequest > 0) counts.serving++;
      else {
        if (t.served > 0) counts.idle++;
        else counts.unfinished++;
        socket.destroy();
      }
    }
    return counts;
  }

  /**
   * Cuts every connection, also those whose parser a stream freed (releaseParser), which Node's
   * own list no longer holds: the server's closeAllConnections() runs it (connectionsPlugin).
   */
  destroyAll(): void {
    for (const socket of this.sockets.keys()) socket.destroy();
  }

  private refuse(socket: Socket): void {
    const ip = peerAddress(socket);
    this.metrics.countConnectionCut('per_ip_limit');
    // Closed in the same tick it was accepted, before Node's HTTP parser reads anything, so no
    // request on it can reach a route. The reply is written first (a TCP write goes straight to
    // the kernel when nothing is queued); a client that had already sent data may see a reset.
    socket.write(OVER_CAP_REPLY);
    socket.destroy();
    // One line per minute at most: a flood of refusals must not become a flood of log lines.
    this.refusedSinceLog++;
    if (Date.now() - this.lastRefusalLogAt < 60_000) return;
    this.log.warn({ ip, limit: this.maxPerIp, refused: this.refusedSinceLog }, 'connections over MAX_CONNECTIONS_PER_IP refused');
    this.lastRefusalLogAt = Date.now();
    this.refusedSinceLog = 0;
  }
}

export const connectionsPlugin = fp(async (app: FastifyInstance, opts: { maxPerIp: number; metrics: Metrics }) => {
  const tracker = new ConnectionTracker(opts.maxPerIp, opts.metrics, app.log);
  app.decorate('connections', tracker);
  opts.metrics.setOpenConnectionsSource(() => tracker.open);
  app.server.on('connection', (socket: Socket) => tracker.accept(socket));
  // Node's closeAllConnections() walks the connections that have a parser; a live stream frees
  // its own (releaseParser), so the server's "close everything" would miss every stream and a
  // server.close() waiting on them would never return. The server's own call covers them too.
  const closeAllConnections = app.server.closeAllConnections.bind(app.server);
  app.server.closeAllConnections = () => {
    closeAllConnections();
    tracker.destroyAll();
  };
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => tracker.request(req, res));
});

/**
 * Fastify's clientErrorHandler: Node gave up on a connection before any route saw a request
 * (headers or body too slow, malformed HTTP, headers too large). The reply has the API's error
 * shape; a timed-out request is counted in /metrics.
 */
export function clientErrorHandler(metrics: Metrics) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let reply: string;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      metrics.countConnectionCut('timeout');
      reply = rawReply(408, 'Request Timeout', 'request_timeout', 'The request did not arrive in time');
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      reply = rawReply(431, 'Request Header Fields Too Large', 'payload_too_large', 'Request headers too large');
    } else {
      reply = rawReply(400, 'Bad Request', 'validation_failed', 'Malformed HTTP request');
    }
    // As Node does: only when no reply of a request on this connection has begun.
    const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !pending?.headersSent) socket.write(reply);
    socket.destroy();
  };
}
