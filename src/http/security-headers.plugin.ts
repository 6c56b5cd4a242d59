// Security headers on every reply (CSP, Referrer-Policy: no-referrer, nosniff, frame-ancestors…),
// as helmet defines them. @fastify/helmet rebuilds helmet's middleware, CSP parsing included, on
// every request: measured at 15% of the public page's CPU. Our policy is fixed at start, so helmet
// runs once (securityHeaders, called by app.ts) and each reply gets the resulting headers copied in:
// by the first onRequest hook, and by app.ts for the router's own errors, which reach no hook.
// API replies (/api/...) also get Cache-Control: no-store, chosen here with the same copy: behind a
// caching proxy one tenant's reply must never be served to another. A route that sets its own
// caching (a photo download's private max-age) overrides it, as it is set later.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet would set for these options, lower-cased. */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown = null;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    failure = err ?? null;
  });
  if (failure) throw failure;
  return headers;
}

/** The fixed headers of a reply: the security headers, plus no-store for the API. */
export interface ReplyHeaders {
  /** Every reply's. */
  readonly headers: Readonly<Record<string, string>>;
  /** An /api/... reply's: the same plus Cache-Control: no-store. */
  readonly api: Readonly<Record<string, string>>;
}

export function replyHeaders(security: Readonly<Record<string, string>>): ReplyHeaders {
  return { headers: security, api: { ...security, 'cache-control': 'no-store' } };
}

/** The fixed headers for a request's route (its URL when it reached none), as auth.plugin decides "API". */
export function replyHeadersFor(h: ReplyHeaders, route: string): Readonly<Record<string, string>> {
  return route.startsWith('/api/') ? h.api : h.headers;
}

/**
 * What every reply carries: the fixed headers for its route, and its request id, which lets an
 * operator find a client's failing request in the JSON logs. Set by the first onRequest hook, and
 * by app.ts for the router's own errors, which reach no hook.
 */
export function setReplyHeaders(reply: FastifyReply, h: ReplyHeaders, route: string, requestId: string): FastifyReply {
  return reply.headers(replyHeadersFor(h, route)).header('x-request-id', requestId);
}

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, opts: { headers: ReplyHeaders }) => {
    const h = opts.headers;
    app.addHook('onRequest', (req, reply, done) => {
      // The route, not the URL's spelling: /%61pi/v1/... reaches an API route and gets no-store too.
      // In the first hook, so the replies the next hooks give at once (401, 415, 503, connection
      // limit) have them too.
      setReplyHeaders(reply, h, req.routeOptions.url ?? req.url, req.id);
      done();
    });
  },
  { name: 'security-headers' },
);
