// Security headers on every reply (CSP, Referrer-Policy: no-referrer, nosniff, frame-ancestors…),
// as helmet defines them. @fastify/helmet rebuilds helmet's middleware, CSP parsing included, on
// every request: measured at 15% of the public page's CPU. Our policy is fixed at start, so helmet
// runs once (securityHeaders, called by app.ts) and each reply gets the resulting headers copied in:
// by the first onRequest hook, and by app.ts for the router's own errors, which reach no hook.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
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

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, opts: { headers: Readonly<Record<string, string>> }) => {
    const { headers } = opts;
    app.addHook('onRequest', (_req, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);
