// Resolves the caller of /api/v1 routes: a Bearer API key, or the admin app's session cookie
// (with a CSRF token on writes). Routes opt out with `config: { auth: 'none' }` or take over
// authentication themselves with `config: { auth: 'custom' }` (device tokens on ingestion).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../shared/errors.js';
import { safeEqual } from '../../shared/ids.js';
import type { AuthService } from './auth.service.js';
import type { Actor } from './roles.js';

export const SESSION_COOKIE = 'tl_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    auth?: 'required' | 'none' | 'custom';
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : null;
}

/** The authenticated caller; throws 401 when there is none. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthorized', 'Authentication required: send Authorization: Bearer <api key>');
  return request.actor;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const authPlugin = fp(async (app: FastifyInstance, opts: { auth: AuthService }) => {
  app.decorateRequest('actor', null);
  // Hooks on every request (public pages and assets too) stay synchronous when they have nothing
  // to do: an async hook costs a promise and a microtask turn on the hottest path.
  // The matched route decides, not the raw URL: the router sends '/%61pi/v1/…' to /api/v1 routes
  // too. A URL no route matched keeps its own spelling (an unknown /api/v1 path still answers 401).
  app.addHook('onRequest', (request, _reply, done) => {
    if (!(request.routeOptions.url ?? request.url).startsWith('/api/v1/')) return done();
    // The one place cookies are parsed (app.ts registers @fastify/cookie with hook: false), as its hook would.
    const header = request.headers.cookie;
    request.cookies = header ? app.parseCookie(header) : {};
    authenticate(request).then(() => done(), done);
  });

  // A request with a body was authenticated before its body arrived, which a client may send
  // slowly (up to REQUEST_TIMEOUT_MS): its key or session is looked up again once the body is in,
  // so a key revoked, a session signed out or a user demoted meanwhile acts no more (401, or the
  // role it has now). What outlives the request (keys, tokens, users) is also made only with that
  // authority held for the handler's own moments (held-authority.ts).
  app.routeHooks.add((method) => !SAFE_METHODS.has(method), {
    preHandler: (request, _reply, done) => {
      if (!request.actor) return done();
      authenticateAgain(request).then(() => done(), done);
    },
  });

  async function authenticateAgain(request: FastifyRequest): Promise<void> {
    request.actor = null;
    await authenticate(request);
    if (!request.actor) throw new AppError('unauthorized', 'The API key or session of this request was revoked or has expired while it was sent');
  }

  async function authenticate(request: FastifyRequest): Promise<void> {
    const mode = request.routeOptions.config?.auth ?? 'required';
    if (mode === 'none') return;

    const token = bearerToken(request);
    if (token) {
      const actor = await opts.auth.authenticateApiKey(token);
      if (actor) request.actor = actor;
      else if (mode === 'required') throw new AppError('unauthorized', 'The API key is unknown or revoked');
      return;
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const s = await opts.auth.authenticateSession(cookie);
      if (s) {
        if (!SAFE_METHODS.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, s.csrfToken)) {
            throw AppError.forbidden('Missing or wrong X-CSRF-Token header');
          }
        }
        request.actor = s.actor;
        return;
      }
    }
    if (mode === 'required') throw new AppError('unauthorized', 'Authentication required: send Authorization: Bearer <api key>');
  }
});
