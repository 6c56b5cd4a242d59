// HTTP ⇄ positions: devices and sources (API), batch ingestion (API key or device token), the
// OsmAnd and OwnTracks protocols real tracking apps speak, and a shipment's track for the owner.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { errorReplies, Id, IdParams, ListOnlyQuery } from '../../shared/schema.js';
import { actorOf, bearerToken } from '../auth/auth.plugin.js';
import {
  DeviceCreate,
  DevicesPage,
  DeviceTokenParams,
  OsmandParams,
  PartnerPositionBatch,
  PositionBatch,
  ShipmentPositionsQuery,
  SourceCreate,
  SourcesPage,
} from './positions.schema.js';

const tags = ['devices and positions'];

export const positionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { positions, devices } = app.services;

  app.post('/api/v1/devices', { schema: { tags, body: DeviceCreate } }, async (req, reply) => {
    reply.code(201);
    return devices.create(actorOf(req), req.body);
  });
  app.get('/api/v1/devices', { schema: { tags, querystring: ListOnlyQuery, response: { 200: DevicesPage, ...errorReplies(400, 401) } } }, async (req) =>
    devices.list(actorOf(req), req.query),
  );
  app.get('/api/v1/devices/:id', { schema: { tags, params: IdParams } }, async (req) => devices.get(actorOf(req), req.params.id));
  app.post('/api/v1/devices/:id/rotate', { schema: { tags, params: IdParams } }, async (req) => devices.rotateToken(actorOf(req), req.params.id));
  app.delete('/api/v1/devices/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await devices.delete(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/shipments/:id/sources', { schema: { tags, params: IdParams, body: SourceCreate } }, async (req, reply) => {
    reply.code(201);
    return devices.attach(actorOf(req), req.params.id, req.body);
  });
  app.get(
    '/api/v1/shipments/:id/sources',
    { schema: { tags, params: IdParams, querystring: ListOnlyQuery, response: { 200: SourcesPage, ...errorReplies(400, 401, 404) } } },
    async (req) => devices.listSources(actorOf(req), req.params.id, req.query),
  );
  app.delete('/api/v1/shipments/:id/sources/:sourceId', { schema: { tags, params: Type.Object({ id: Id, sourceId: Id }) } }, async (req, reply) => {
    await devices.detach(actorOf(req), req.params.id, req.params.sourceId);
    return reply.code(204).send();
  });

  app.post('/api/v1/positions', { schema: { tags, body: PositionBatch }, config: { auth: 'custom' } }, async (req) =>
    positions.ingestBatch(await positions.caller(req.actor, bearerToken(req), req.ip), req.body.positions),
  );

  app.post('/api/v1/shipments/:id/positions', { schema: { tags, params: IdParams, body: PartnerPositionBatch } }, async (req) => {
    return positions.ingestForPartner(actorOf(req), req.params.id, req.body.layer ?? 'driver', req.body.positions);
  });
  app.get('/api/v1/shipments/:id/positions', { schema: { tags, params: IdParams, querystring: ShipmentPositionsQuery } }, async (req) =>
    positions.forShipment(actorOf(req), req.params.id, req.query),
  );

  // ---- protocols ----

  // The bare URL (generated external ids only) and the device's secret URL take the same
  // requests; the token in the path is redacted from logs (http/logging.ts).
  const osmand = (req: FastifyRequest, token?: string) =>
    positions.ingestOsmand({ token, params: formBody(req.query), body: req.body, isJson: String(req.headers['content-type'] ?? '').includes('json'), ip: req.ip });
  const osmandSchema = { schema: { tags: ['protocols'], querystring: OsmandParams } };
  const osmandPost = { ...osmandSchema, schema: { ...osmandSchema.schema, body: Type.Unknown() } };
  const withToken = <T extends { schema: object }>(o: T) => ({ ...o, schema: { ...o.schema, params: DeviceTokenParams } });
  app.get('/ingest/osmand', osmandSchema, async (req, reply) => {
    await osmand(req);
    return reply.code(200).send();
  });
  app.post('/ingest/osmand', osmandPost, async (req, reply) => {
    await osmand(req);
    return reply.code(200).send();
  });
  app.get('/ingest/osmand/:token', withToken(osmandSchema), async (req, reply) => {
    await osmand(req, req.params.token);
    return reply.code(200).send();
  });
  app.post('/ingest/osmand/:token', withToken(osmandPost), async (req, reply) => {
    await osmand(req, req.params.token);
    return reply.code(200).send();
  });

  app.post('/ingest/owntracks', { schema: { tags: ['protocols'], body: Type.Unknown() } }, async (req, reply) => {
    try {
      await positions.ingestOwnTracks(req.headers.authorization, req.body, req.ip);
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') reply.header('www-authenticate', 'Basic realm="tracklink"');
      throw err;
    }
    return reply.code(200).send([]);
  });
};

function formBody(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
