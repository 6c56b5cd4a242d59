// HTTP ⇄ positions: devices and sources (API), batch ingestion (API key or device token), the
// OsmAnd and OwnTracks protocols real tracking apps speak, and a shipment's track for the owner.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { errorReplies, FreeJson, Id, IdParams, ListOnlyQuery, NoContent } from '../../shared/schema.js';
import { actorOf, bearerToken } from '../auth/auth.plugin.js';
import {
  DeviceCreate,
  DeviceSchema,
  DeviceWithCredentials,
  IngestResultSchema,
  DevicesPage,
  DeviceTokenParams,
  OsmandAccepted,
  OsmandParams,
  OwnTracksReply,
  PartnerPositionBatch,
  PositionBatch,
  ShipmentPositionsQuery,
  ShipmentTrackSchema,
  SourceCreate,
  SourceSchema,
  SourcesPage,
} from './positions.schema.js';

const tags = ['devices and positions'];
/** The body limit of the OsmAnd/Traccar and OwnTracks endpoints (one position per request). */
export const PROTOCOL_BODY_LIMIT = 64 * 1024;

export const positionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { positions, devices } = app.services;

  app.post('/api/v1/devices', { schema: { operationId: 'createDevice', summary: 'Register a device', tags, response: { 201: DeviceWithCredentials }, body: DeviceCreate } }, async (req, reply) => {
    reply.code(201);
    return devices.create(actorOf(req), req.body);
  });
  app.get('/api/v1/devices', { schema: { operationId: 'listDevices', summary: 'List devices', tags, querystring: ListOnlyQuery, response: { 200: DevicesPage, ...errorReplies(400, 401) } } }, async (req) =>
    devices.list(actorOf(req), req.query),
  );
  app.get('/api/v1/devices/:id', { schema: { operationId: 'getDevice', summary: 'Get a device', tags, response: { 200: Type.Ref(DeviceSchema) }, params: IdParams } }, async (req) => devices.get(actorOf(req), req.params.id));
  app.post('/api/v1/devices/:id/rotate', { schema: { operationId: 'rotateDeviceToken', summary: "Replace a device's token", tags, response: { 200: DeviceWithCredentials }, params: IdParams } }, async (req) => devices.rotateToken(actorOf(req), req.params.id));
  app.delete('/api/v1/devices/:id', { schema: { operationId: 'deleteDevice', summary: 'Delete a device', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await devices.delete(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post(
    '/api/v1/shipments/:id/sources',
    {
      schema: {
        operationId: 'attachSource',
        summary: 'Attach a device or source to a shipment',
        tags,
        params: IdParams,
        body: SourceCreate,
        response: { 201: Type.Ref(SourceSchema), ...errorReplies(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return devices.attach(actorOf(req), req.params.id, req.body);
    },
  );
  app.get(
    '/api/v1/shipments/:id/sources',
    { schema: { operationId: 'listSources', summary: "List a shipment's position sources", tags, params: IdParams, querystring: ListOnlyQuery, response: { 200: SourcesPage, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => devices.listSources(actorOf(req), req.params.id, req.query),
  );
  app.delete('/api/v1/shipments/:id/sources/:sourceId', { schema: { operationId: 'detachSource', summary: 'Detach a source from a shipment', response: { 204: NoContent }, tags, params: Type.Object({ id: Id, sourceId: Id }) } }, async (req, reply) => {
    await devices.detach(actorOf(req), req.params.id, req.params.sourceId);
    return reply.code(204).send();
  });

  app.post('/api/v1/positions', { schema: { operationId: 'ingestPositions', summary: 'Send a batch of positions (API key or device token)', tags, response: { 200: IngestResultSchema }, security: [{ apiKey: [] }, { deviceToken: [] }], body: PositionBatch }, config: { auth: 'custom' } }, async (req) =>
    positions.ingestBatch(await positions.caller(req.actor, bearerToken(req), req.ip), req.body.positions),
  );

  app.post('/api/v1/shipments/:id/positions', { schema: { operationId: 'ingestPartnerPositions', summary: 'Send positions for a shipment shared with you', tags, response: { 200: IngestResultSchema }, params: IdParams, body: PartnerPositionBatch } }, async (req) => {
    return positions.ingestForPartner(actorOf(req), req.params.id, req.body.layer ?? 'driver', req.body.positions);
  });
  app.get('/api/v1/shipments/:id/positions', { schema: { operationId: 'listShipmentPositions', summary: "Get a shipment's track", tags, response: { 200: ShipmentTrackSchema }, params: IdParams, querystring: ShipmentPositionsQuery } }, async (req) =>
    positions.forShipment(actorOf(req), req.params.id, req.query),
  );

  // ---- protocols ----

  // The bare URL (generated external ids only) and the device's secret URL take the same
  // requests; the token in the path is redacted from logs (http/logging.ts).
  const osmand = (req: FastifyRequest, token?: string) =>
    positions.ingestOsmand({ token, params: formBody(req.query), body: req.body, isJson: String(req.headers['content-type'] ?? '').includes('json'), ip: req.ip });
  // The device is known by its secret URL or, on the bare URL, by its external id (`id`): no
  // header a tracking app could send, so no security scheme.
  // Protocol bodies are a few hundred bytes; 64 KB leaves room and nothing to hurt the server with.
  const osmandRoute = (operationId: string, summary: string, withBody: boolean) => ({
    bodyLimit: PROTOCOL_BODY_LIMIT,
    schema: { tags: ['protocols'], operationId, summary, security: [], querystring: OsmandParams, ...(withBody ? { body: FreeJson(Type.Unknown()) } : {}), response: { 200: OsmandAccepted } },
  });
  const withToken = <T extends { schema: object }>(o: T) => ({ ...o, schema: { ...o.schema, params: DeviceTokenParams } });
  app.get('/ingest/osmand', osmandRoute('ingestOsmandQuery', 'OsmAnd / Traccar Client position (query string)', false), async (req, reply) => {
    await osmand(req);
    return reply.code(200).send();
  });
  app.post('/ingest/osmand', osmandRoute('ingestOsmand', 'OsmAnd / Traccar Client position (form or JSON body)', true), async (req, reply) => {
    await osmand(req);
    return reply.code(200).send();
  });
  app.get('/ingest/osmand/:token', withToken(osmandRoute('ingestOsmandWithTokenQuery', "OsmAnd / Traccar Client position at the device's secret URL (query string)", false)), async (req, reply) => {
    await osmand(req, req.params.token);
    return reply.code(200).send();
  });
  app.post('/ingest/osmand/:token', withToken(osmandRoute('ingestOsmandWithToken', "OsmAnd / Traccar Client position at the device's secret URL (form or JSON body)", true)), async (req, reply) => {
    await osmand(req, req.params.token);
    return reply.code(200).send();
  });

  app.post('/ingest/owntracks', { schema: { operationId: 'ingestOwnTracks', summary: 'OwnTracks HTTP mode location', tags: ['protocols'], security: [{ ownTracksBasic: [] }], body: FreeJson(Type.Unknown()), response: { 200: OwnTracksReply } }, bodyLimit: PROTOCOL_BODY_LIMIT }, async (req, reply) => {
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
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : {};
}
