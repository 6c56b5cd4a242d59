import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { errorReplies, IdParams, ListOnlyQuery, ListQuery, NoContent, Nullable } from '../../shared/schema.js';
import { OrgSchema } from '../orgs/orgs.schema.js';
import { actorOf, SESSION_COOKIE } from './auth.plugin.js';
import { ActorSchema, ApiKeyCreated, AuditPage, LoginReply, UserCreated, UserSchema, ApiKeyCreate, ApiKeysPage, LoginInput, SessionsPage, UserCreate, UserPatch, UsersPage } from './auth.schema.js';

function jsonBodyOnly(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return done();
  done(new AppError('unsupported_media_type', `Send the sign-in as application/json${type ? `, not ${type}` : ''}`));
}

/** Who is calling: the admin app's first request. */
const MeReply = Type.Object({ actor: ActorSchema, user: Nullable(UserSchema), org: OrgSchema, csrf_token: Nullable(Type.String()) });

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { auth, audit, orgs } = app.services;
  const secure = app.config.publicBaseUrl.startsWith('https:');

  app.get('/api/v1/api-keys', { schema: { operationId: 'listApiKeys', summary: 'List API keys', tags: ['auth'], querystring: ListOnlyQuery, response: { 200: ApiKeysPage, ...errorReplies(400, 401, 403) } } }, async (req) =>
    auth.listApiKeys(actorOf(req), req.query),
  );
  app.post('/api/v1/api-keys', { schema: { operationId: 'createApiKey', summary: 'Create an API key', tags: ['auth'], response: { 201: ApiKeyCreated }, body: ApiKeyCreate } }, async (req, reply) => {
    reply.code(201);
    return auth.createApiKey(actorOf(req), req.body);
  });
  app.post('/api/v1/api-keys/:id/revoke', { schema: { operationId: 'revokeApiKey', summary: 'Revoke an API key', response: { 204: NoContent }, tags: ['auth'], params: IdParams } }, async (req, reply) => {
    await auth.revokeApiKey(actorOf(req), req.params.id);
    return reply.code(204).send();
  });
  app.post('/api/v1/api-keys/:id/rotate', { schema: { operationId: 'rotateApiKey', summary: 'Replace an API key with a new secret', tags: ['auth'], response: { 201: ApiKeyCreated, ...errorReplies(401, 403, 404, 409) }, params: IdParams } }, async (req, reply) => {
    reply.code(201);
    return auth.rotateApiKey(actorOf(req), req.params.id);
  });

  app.get('/api/v1/users', { schema: { operationId: 'listUsers', summary: 'List users', tags: ['auth'], querystring: ListOnlyQuery, response: { 200: UsersPage, ...errorReplies(400, 401, 403) } } }, async (req) =>
    auth.listUsers(actorOf(req), req.query),
  );
  app.post('/api/v1/users', { schema: { operationId: 'createUser', summary: 'Create a user', tags: ['auth'], response: { 201: UserCreated }, body: UserCreate } }, async (req, reply) => {
    reply.code(201);
    const r = await auth.createUser(actorOf(req), req.body);
    return { ...r.user, ...(r.password ? { password: r.password } : {}) };
  });
  app.get('/api/v1/users/:id', { schema: { operationId: 'getUser', summary: 'Get a user', tags: ['auth'], response: { 200: UserSchema }, params: IdParams } }, async (req) => auth.getUser(actorOf(req), req.params.id));
  app.patch('/api/v1/users/:id', { schema: { operationId: 'updateUser', summary: 'Change a user', tags: ['auth'], response: { 200: UserSchema }, params: IdParams, body: UserPatch } }, async (req) =>
    auth.updateUser(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/v1/users/:id', { schema: { operationId: 'deleteUser', summary: 'Delete a user', response: { 204: NoContent }, tags: ['auth'], params: IdParams } }, async (req, reply) => {
    await auth.deleteUser(actorOf(req), req.params.id);
    return reply.code(204).send();
  });
  app.get(
    '/api/v1/users/:id/sessions',
    { schema: { operationId: 'listUserSessions', summary: "List a user's browser sessions", tags: ['auth'], params: IdParams, querystring: ListOnlyQuery, response: { 200: SessionsPage, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => auth.listSessions(actorOf(req), req.params.id, req.query),
  );
  app.post('/api/v1/users/:id/sessions/revoke', { schema: { operationId: 'revokeUserSessions', summary: 'Sign a user out everywhere', response: { 204: NoContent }, tags: ['auth'], params: IdParams } }, async (req, reply) => {
    await auth.revokeSessions(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  // Browser sessions for the admin app. Login is rate limited per IP against password guessing.
  // JSON only: a page on another site can POST a form (urlencoded, multipart or text/plain) but not
  // JSON without a CORS preflight, so refusing forms stops login CSRF (a victim signed in to the
  // attacker's account). Refused before the body is read.
  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'none', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { operationId: 'login', summary: 'Sign in to the admin app (sets the session cookie)', tags: ['auth'], response: { 200: LoginReply }, consumes: ['application/json'], body: LoginInput },
      onRequest: jsonBodyOnly,
    },
    async (req, reply) => {
      const s = await auth.login(req.body.email, req.body.password, req.body.org_id);
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires: new Date(s.expiresAt) });
      return { user: s.user, csrf_token: s.csrfToken, expires_at: new Date(s.expiresAt).toISOString() };
    },
  );
  app.post('/api/v1/auth/logout', { config: { auth: 'none' }, schema: { operationId: 'logout', summary: 'Sign out of the admin app', response: { 204: NoContent }, tags: ['auth'] } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await auth.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
  app.get('/api/v1/auth/me', { config: { auth: 'custom' }, schema: { operationId: 'getCurrentActor', summary: 'Who is calling: user or API key, org and CSRF token', tags: ['auth'], response: { 200: MeReply } } }, async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    const s = token ? await auth.authenticateSession(token) : null;
    const actor = s?.actor ?? actorOf(req);
    const org = await orgs.get(actor);
    return {
      actor: { type: actor.type, id: actor.id, label: actor.label, role: actor.role },
      user: actor.type === 'user' && actor.id ? await auth.getUser(actor, actor.id, true) : null,
      org,
      csrf_token: s?.csrfToken ?? null,
    };
  });

  app.get(
    '/api/v1/audit-log',
    {
      schema: { operationId: 'listAuditLog', summary: 'List the audit log',
        tags: ['audit'], response: { 200: AuditPage },
        querystring: Type.Object({ ...ListQuery, action: Type.Optional(Type.String({ maxLength: 100 })), target_id: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      },
    },
    async (req) => audit.list(actorOf(req), req.query),
  );
};
