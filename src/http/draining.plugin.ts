// Shutdown's first phase: the instance keeps its port open but answers every new request
// (/readyz included, so a load balancer takes it out of rotation) with 503 and
// `Connection: close`. Connections already queued in the kernel's accept backlog are thus
// answered instead of reset when the port finally closes.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-handler.js';

declare module 'fastify' {
  interface FastifyInstance {
    draining: {
      active: boolean;
      lastConnectionAt: number;
      /** Connections that have not sent a request yet: closing the port would reset them. */
      fresh: Set<Socket>;
      start(): void;
    };
  }
}

export const drainingPlugin = fp(async (app: FastifyInstance) => {
  const state = {
    active: false,
    lastConnectionAt: 0,
    fresh: new Set<Socket>(),
    start() {
      state.active = true;
    },
  };
  app.decorate('draining', state);
  app.addHook('onReady', async () => {
    app.server.on('connection', (socket: Socket) => {
      state.lastConnectionAt = Date.now();
      state.fresh.add(socket);
      socket.once('close', () => state.fresh.delete(socket));
    });
    app.server.on('request', (req: { socket: Socket }) => state.fresh.delete(req.socket));
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (!state.active) return;
    reply.header('connection', 'close').header('retry-after', '1');
    return sendError(reply, 503, 'unavailable', 'This instance is shutting down; retry');
  });
});
