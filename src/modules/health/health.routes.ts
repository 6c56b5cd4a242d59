// Liveness (/healthz: the process answers) and readiness (/readyz: the store answers `select 1`
// within READY_TIMEOUT_MS). A full disk leaves the instance ready (reads still work, and on SQLite
// there is no other instance to send them to) but says so in the reply.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { storeProblem } from '../../db/health.js';
import { STORE_RETRY_AFTER_S } from '../../http/error-handler.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.services;
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) => {
    try {
      await store.ping(config.readyTimeoutMs);
    } catch (err) {
      store.health.failed(err);
      return reply
        .code(503)
        .header('retry-after', String(STORE_RETRY_AFTER_S))
        .send({ error: { code: 'unavailable', message: 'The database is not reachable', details: [{ path: 'store', message: storeProblem(err) ?? 'failed' }] } });
    }
    const problem = store.health.state;
    if (problem?.problem === 'disk_full') {
      return { status: 'degraded', store: store.dialect, writes: 'unavailable', reason: 'disk_full', since: new Date(problem.since).toISOString() };
    }
    return { status: 'ready', store: store.dialect };
  });
};
