// Idempotency-Key on POST: the same credential sending the same key with the same request gets
// the first reply again; the same key with another request is a 409. A stored reply is only
// ever replayed to the credential (API key or user) that received it, after authentication,
// and only while that credential still has the role it had then: the route's own authorization
// decided that reply for exactly this caller. Secrets minted for the reply are stored redacted
// (a replay shows the resource's id, not its key), and records expire after 24 hours.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../shared/errors.js';
import { collectMintedSecrets, redactSecrets } from '../shared/secrets.js';
import { nowMs } from '../shared/time.js';
import type { Actor } from '../modules/auth/roles.js';
import { IDEMPOTENCY_TTL_MS, type IdempotencyRepository, type RecordKey } from './idempotency.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: (RecordKey & { secrets: Set<string> }) | null;
  }
}

// A secret the client sends (a new user's password) is left out of the fingerprint: even a hash
// of it in the store could be guessed offline at SHA-256 speed. Requests that differ only there
// count as the same request (the stored reply never held it).
const SECRET_FIELD = /password|secret|token/i;
const withoutSecrets = (key: string, value: unknown) => (typeof value === 'string' && SECRET_FIELD.test(key) ? '' : value);

function requestHash(request: FastifyRequest): string {
  const h = createHash('sha256')
    .update(JSON.stringify(request.params ?? {}))
    .update('\0')
    .update(JSON.stringify(request.query ?? {}))
    .update('\0');
  // Multipart bodies are read by the handler, after this hook: their size and type stand in for them.
  const body = request.body;
  if (body === undefined) h.update(String(request.headers['content-type'] ?? '')).update(String(request.headers['content-length'] ?? ''));
  else h.update(JSON.stringify(body, withoutSecrets));
  return h.digest('hex');
}

/** The credential a stored reply belongs to; null for callers that never come over HTTP. */
function credentialOf(actor: Actor): string | null {
  return (actor.type === 'api_key' || actor.type === 'user') && actor.id ? `${actor.type}:${actor.id}` : null;
}

export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { repo: IdempotencyRepository }) => {
  const { repo } = opts;
  app.decorateRequest('idempotency', null);

  // Only a POST with the header has work here, so only POST routes (and the not-found handler)
  // run these hooks (http/route-hooks.ts). The auth plugin has authenticated the caller by now (onRequest).
  const isPost = (method: string) => method === 'POST';
  const preHandler: preHandlerHookHandler = (request, reply, done) => {
    if (request.method !== 'POST' || !request.actor || request.headers['idempotency-key'] === undefined) return done();
    claimOrReplay(request, reply).then((claimed) => {
      // A replayed reply ends the request here: done is then not called.
      if (!claimed) return;
      // The handler runs inside the collector, so the secrets it mints are known when its reply is stored.
      const idem = request.idempotency as NonNullable<FastifyRequest['idempotency']>;
      collectMintedSecrets(idem.secrets, () => done());
    }, done);
  };

  /** True when this request holds the key and runs; false when a stored reply was sent instead. */
  async function claimOrReplay(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const actor = request.actor as Actor;
    const raw = request.headers['idempotency-key'] as string | string[];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || key.length > 255) throw AppError.validation('Idempotency-Key must be 1 to 255 characters');
    const credential = credentialOf(actor);
    if (!credential) return true;
    const k: RecordKey = { orgId: actor.orgId, credential, key };
    // The route template with its params (in the hash), not the raw URL: an encoded spelling is the same request.
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    const hash = requestHash(request);
    const now = nowMs();
    const claim = () => repo.claim({ org_id: k.orgId, credential, key, route, request_hash: hash, role: actor.role, created_at: now });

    let claimed = await claim();
    if (!claimed) {
      // An expired record is gone as far as clients know, whether or not the purge ran yet.
      await repo.release(k, now - IDEMPOTENCY_TTL_MS);
      claimed = await claim();
    }
    if (claimed) {
      request.idempotency = { ...k, secrets: new Set() };
      return true;
    }
    const prior = await repo.find(k);
    if (!prior) throw AppError.conflict('This Idempotency-Key is being released; retry');
    if (prior.route !== route || prior.request_hash !== hash) {
      throw AppError.conflict('This Idempotency-Key was already used with a different request');
    }
    if (prior.role !== actor.role) {
      throw AppError.conflict('This Idempotency-Key was used before this credential’s role changed; use a new key');
    }
    if (prior.status_code === 0) throw AppError.conflict('A request with this Idempotency-Key is still in progress');
    reply.header('idempotent-replayed', 'true');
    reply.code(prior.status_code).type('application/json; charset=utf-8').send(prior.response_body);
    return false;
  }

  const onSend: onSendHookHandler = (request, reply, payload, done) => {
    const idem = request.idempotency;
    if (!idem) return done(null, payload);
    request.idempotency = null;
    const recorded =
      reply.statusCode >= 500 || typeof payload !== 'string'
        ? repo.release(idem)
        : repo.complete(idem, reply.statusCode, redactSecrets(payload, idem.secrets));
    recorded.then(() => done(null, payload), done);
  };
  app.routeHooks.add(isPost, { preHandler, onSend });
});
