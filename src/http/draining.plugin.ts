// Shutdown's first phase: the instance keeps its port open but answers every new request
// (/readyz included, so a load balancer takes it out of rotation) with 503 and
// `Connection: close`, and replies already under way close their connection too. Connections
// already queued in the kernel's accept backlog are thus answered instead of reset when the
// port finally closes; which connections are mid-request is the connection tracker's business.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-handler.js';

declare module 'fastify' {
  interface FastifyInstance {
    draining: {
      active: boolean;
      start(): void;
    };
  }
}

export const drainingPlugin = fp(async (app: FastifyInstance) => {
  const state = {
    active: false,
    start() {
      state.active = true;
    },
  };
  app.decorate('draining', state);
  // Synchronous: it runs on every request and nearly always has nothing to do. A reply sent here
  // ends the request (done is then not called).
  app.addHook('onRequest', (req, reply, done) => {
    if (!state.active) return done();
    reply.header('connection', 'close').header('retry-after', '1');
    // EventSource gives up for good on any non-200 reply, but reconnects after a stream that
    // ends: live viewers get an empty stream that asks them back in a second (to another instance).
    if (req.method === 'GET' && String(req.headers.accept ?? '').includes('text/event-stream')) {
      reply.code(200).header('cache-control', 'no-store').type('text/event-stream; charset=utf-8').send('retry: 1000\n\n');
      return;
    }
    sendError(reply, 503, 'unavailable', 'This instance is shutting down; retry');
  });
  // A request that began before draining finishes normally, but its keep-alive client learns
  // not to send the next one here (that one would meet a closed port).
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (state.active) reply.header('connection', 'close');
    done(null, payload);
  });
});
