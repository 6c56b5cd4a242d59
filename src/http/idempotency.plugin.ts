// Idempotency-Key on POST: the same key with the same body replays the first reply; another body → 409.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../shared/errors.js';
import { nowMs } from '../shared/time.js';
import { IdempotencyRepository } from './idempotency.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { orgId: string; key: string } | null;
  }
}

function requestHash(method: string, path: string, body: unknown, headers: Record<string, unknown>): string {
  const h = createHash('sha256').update(method).update('\0').update(path).update('\0');
  // Multipart bodies are read by the handler, after this hook: their size and type stand in for them.
  if (body === undefined) h.update(String(headers['content-type'] ?? '')).update(String(headers['content-length'] ?? ''));
  else h.update(JSON.stringify(body));
  return h.digest('hex');
}

export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Kysely<Database> }) => {
  const repo = new IdempotencyRepository(opts.db);
  app.decorateRequest('idempotency', null);

  // Only a POST with the header has work here; every other request passes synchronously.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' || !request.actor || request.headers['idempotency-key'] === undefined) return done();
    // A replayed reply ends the request here: done is then not called.
    claimOrReplay(request, reply).then((replayed) => replayed || done(), done);
  });

  /** True when the stored reply of an earlier identical request was sent. */
  async function claimOrReplay(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const actor = request.actor as NonNullable<FastifyRequest['actor']>;
    const raw = request.headers['idempotency-key'] as string | string[];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || key.length > 255) throw AppError.validation('Idempotency-Key must be 1 to 255 characters');
    const path = request.url.split('?')[0];
    const hash = requestHash(request.method, path, request.body, request.headers);
    const orgId = actor.orgId;

    if (await repo.claim(orgId, key, request.method, path, hash, nowMs())) {
      request.idempotency = { orgId, key };
      return false;
    }
    const prior = await repo.find(orgId, key);
    if (!prior) throw AppError.conflict('This Idempotency-Key is being released; retry');
    if (prior.request_hash !== hash || prior.path !== path) {
      throw AppError.conflict('This Idempotency-Key was already used with a different request');
    }
    if (prior.status_code === 0) throw AppError.conflict('A request with this Idempotency-Key is still in progress');
    reply.header('idempotent-replayed', 'true');
    reply.code(prior.status_code).type('application/json; charset=utf-8').send(prior.response_body);
    return true;
  }

  app.addHook('onSend', (request, reply, payload, done) => {
    const idem = request.idempotency;
    if (!idem) return done(null, payload);
    request.idempotency = null;
    const recorded =
      reply.statusCode >= 500 || typeof payload !== 'string'
        ? repo.release(idem.orgId, idem.key)
        : repo.complete(idem.orgId, idem.key, reply.statusCode, payload);
    recorded.then(() => done(null, payload), done);
  });
});
