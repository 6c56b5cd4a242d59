// Liveness (/healthz: the process answers) and readiness (/readyz: the store answers).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) => {
    try {
      await app.services.store.ping();
      return { status: 'ready', store: app.services.store.dialect };
    } catch {
      return reply.code(503).send({ error: { code: 'unavailable', message: 'The database is not reachable' } });
    }
  });
};
