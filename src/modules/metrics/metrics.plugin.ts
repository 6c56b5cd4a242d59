// Request rate/latency by route template, and GET /metrics.
// The endpoint exists only when METRICS_TOKEN is set and answers only to that bearer token,
// so a public instance never exposes its internals.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../shared/errors.js';
import { safeEqual } from '../../shared/ids.js';
import { bearerToken } from '../auth/auth.plugin.js';
import type { Metrics } from './metrics.js';

export const metricsPlugin = fp(async (app: FastifyInstance, opts: { metrics: Metrics; token: string }) => {
  // Synchronous hooks: they run on every request, and an async one costs a promise per call.
  app.addHook('onRequest', (req, _reply, done) => {
    opts.metrics.requestStarted(req, req.routeOptions.url);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    // The route template (/t/:slug), never the URL, keeps slugs out and cardinality bounded.
    const route = req.routeOptions.url ?? 'unmatched';
    opts.metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    opts.metrics.requestEnded(req);
    done();
  });

  if (!opts.token) return;
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn', config: { auth: 'none' } }, async (req, reply) => {
    const token = bearerToken(req);
    if (!token || !safeEqual(token, opts.token)) {
      throw new AppError('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>');
    }
    const { contentType, body } = await opts.metrics.render();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
});
