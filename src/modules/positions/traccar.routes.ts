// HTTP ⇄ Traccar forwarding: the org's ingest tokens (admin API) and POST /ingest/traccar, where
// Traccar server posts each position with the token in its forward.header.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies, IdParams, ListOnlyQuery, NoContent } from '../../shared/schema.js';
import { actorOf } from '../auth/auth.plugin.js';
import { IngestTokenCreate, IngestTokenCreated, IngestTokensPage, TraccarBody, TraccarReply } from './ingest-tokens.schema.js';

/** One PositionData is about 1–2 KB; anything near this is not one. */
const TRACCAR_BODY_LIMIT = 64 * 1024;

export const traccarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ingestTokens, traccar } = app.services;
  const tags = ['ingest tokens'];

  app.post(
    '/api/v1/ingest-tokens',
    { schema: { operationId: 'createIngestToken', summary: 'Create an ingest token for Traccar forwarding', tags, body: IngestTokenCreate, response: { 201: IngestTokenCreated, ...errorReplies(400, 401, 403) } } },
    async (req, reply) => {
      reply.code(201);
      return ingestTokens.create(actorOf(req), req.body);
    },
  );
  app.get('/api/v1/ingest-tokens', { schema: { operationId: 'listIngestTokens', summary: 'List ingest tokens', tags, querystring: ListOnlyQuery, response: { 200: IngestTokensPage, ...errorReplies(400, 401, 403) } } }, async (req) =>
    ingestTokens.list(actorOf(req), req.query),
  );
  app.post(
    '/api/v1/ingest-tokens/:id/rotate',
    { schema: { operationId: 'rotateIngestToken', summary: 'Replace an ingest token with a new secret', tags, params: IdParams, response: { 201: IngestTokenCreated, ...errorReplies(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      reply.code(201);
      return ingestTokens.rotate(actorOf(req), req.params.id);
    },
  );
  app.post('/api/v1/ingest-tokens/:id/revoke', { schema: { operationId: 'revokeIngestToken', summary: 'Revoke an ingest token', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await ingestTokens.revoke(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  // The token is in the Authorization header, which the logs censor (http/logging.ts).
  app.post(
    '/ingest/traccar',
    { bodyLimit: TRACCAR_BODY_LIMIT, schema: { operationId: 'ingestTraccar', summary: 'Traccar server position forwarding (JSON)', tags: ['protocols'], security: [{ ingestToken: [] }], body: TraccarBody, response: { 200: TraccarReply, ...errorReplies(400, 401, 404, 413, 429) } } },
    async (req) => traccar.ingest({ authorization: req.headers.authorization, body: req.body, ip: req.ip }),
  );
};
