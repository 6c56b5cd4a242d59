// HTTP ⇄ positions: devices and sources (API), batch ingestion (API key or device token), the
// OsmAnd and OwnTracks protocols real tracking apps speak, and a shipment's track for the owner.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { Id, IdParams } from '../../shared/schema.js';
import { safeEqual, hashToken } from '../../shared/ids.js';
import { actorOf, bearerToken } from '../auth/auth.plugin.js';
import { requireRole } from '../auth/roles.js';
import type { IngestCaller } from './positions.service.js';
import { DeviceCreate, OsmandParams, PartnerPositionBatch, PositionBatch, ShipmentPositionsQuery, SourceCreate } from './positions.schema.js';
import { parseOsmandParams, parseTraccarJson } from './protocols/osmand.js';
import { basicCredentials, parseOwnTracks } from './protocols/owntracks.js';

const tags = ['devices and positions'];

export const positionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { positions, devices } = app.services;

  app.post('/api/v1/devices', { schema: { tags, body: DeviceCreate } }, async (req, reply) => {
    reply.code(201);
    return devices.create(actorOf(req), req.body);
  });
  app.get('/api/v1/devices', { schema: { tags } }, async (req) => devices.list(actorOf(req)));
  app.get('/api/v1/devices/:id', { schema: { tags, params: IdParams } }, async (req) => devices.get(actorOf(req), req.params.id));
  app.delete('/api/v1/devices/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await devices.delete(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/shipments/:id/sources', { schema: { tags, params: IdParams, body: SourceCreate } }, async (req, reply) => {
    reply.code(201);
    return devices.attach(actorOf(req), req.params.id, req.body);
  });
  app.get('/api/v1/shipments/:id/sources', { schema: { tags, params: IdParams } }, async (req) => devices.listSources(actorOf(req), req.params.id));
  app.delete('/api/v1/shipments/:id/sources/:sourceId', { schema: { tags, params: Type.Object({ id: Id, sourceId: Id }) } }, async (req, reply) => {
    await devices.detach(actorOf(req), req.params.id, req.params.sourceId);
    return reply.code(204).send();
  });

  const callerOf = async (req: FastifyRequest): Promise<IngestCaller> => {
    if (req.actor) {
      requireRole(req.actor, 'dispatcher', 'send positions');
      return { kind: 'org', orgId: req.actor.orgId };
    }
    const token = bearerToken(req);
    const device = token ? await devices.byToken(token) : null;
    if (!device) throw new AppError('unauthorized', 'Send Authorization: Bearer <api key or device token>');
    return { kind: 'device', device };
  };

  app.post('/api/v1/positions', { schema: { tags, body: PositionBatch }, config: { auth: 'custom' } }, async (req) =>
    positions.ingestBatch(await callerOf(req), req.body.positions),
  );

  app.post('/api/v1/shipments/:id/positions', { schema: { tags, params: IdParams, body: PartnerPositionBatch } }, async (req) => {
    const actor = actorOf(req);
    requireRole(actor, 'dispatcher', 'send positions');
    return positions.ingestForPartner(actor, req.params.id, req.body.layer ?? 'driver', req.body.positions);
  });
  app.get('/api/v1/shipments/:id/positions', { schema: { tags, params: IdParams, querystring: ShipmentPositionsQuery } }, async (req) =>
    positions.forShipment(actorOf(req), req.params.id, req.query),
  );

  // ---- protocols ----

  const osmand = async (req: FastifyRequest) => {
    const isJson = String(req.headers['content-type'] ?? '').includes('json');
    const parsed = isJson ? parseTraccarJson(req.body) : parseOsmandParams(formBody(req.query), formBody(req.body));
    if (typeof parsed === 'string') throw AppError.validation(parsed);
    if (!parsed.externalId) throw AppError.validation('id (or deviceid) is required');
    const device = await devices.byExternalId(parsed.externalId);
    if (!device) throw isJson ? AppError.notFound('Device') : AppError.validation('Unknown device id');
    await positions.ingestOne(device, parsed.raw, 'osmand');
  };
  const osmandSchema = { schema: { tags: ['protocols'], querystring: OsmandParams } };
  app.get('/ingest/osmand', osmandSchema, async (req, reply) => {
    await osmand(req);
    return reply.code(200).send();
  });
  app.post('/ingest/osmand', { ...osmandSchema, schema: { ...osmandSchema.schema, body: Type.Unknown() } }, async (req, reply) => {
    await osmand(req);
    return reply.code(200).send();
  });

  app.post('/ingest/owntracks', { schema: { tags: ['protocols'], body: Type.Unknown() } }, async (req, reply) => {
    const creds = basicCredentials(req.headers.authorization);
    const device = creds ? await devices.byExternalId(creds.user) : null;
    if (!creds || !device || !safeEqual(hashToken(creds.password), device.token_hash)) {
      reply.header('www-authenticate', 'Basic realm="tracklink"');
      throw new AppError('unauthorized', 'HTTP Basic auth with the device external id and token is required');
    }
    const raw = parseOwnTracks(req.body);
    if (typeof raw === 'string') throw AppError.validation(raw);
    if (raw) await positions.ingestOne(device, raw, 'owntracks');
    return reply.code(200).send([]);
  });
};

function formBody(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
