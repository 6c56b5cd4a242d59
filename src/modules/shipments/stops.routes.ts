// One stop of a shipment (issue 17 item 4): POST …/stops, PATCH and DELETE …/stops/{index}, and
// POST …/stops/{index}/events for a driver app's arrival and departure.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorReplies, IdParams, NoContent } from '../../shared/schema.js';
import { actorOf } from '../auth/auth.plugin.js';
import { ShipmentSchema, StopSchema } from './shipments.schema.js';
import { StopAddInput, StopEventInput, StopIndexParams, StopPatchInput } from './stops.schema.js';

const tags = ['shipments'];
const errors = errorReplies(400, 401, 403, 404, 409);

export const stopsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stops } = app.services.shipments;

  app.post(
    '/api/v1/shipments/:id/stops',
    { schema: { operationId: 'addShipmentStop', summary: 'Add a stop (append, or insert at a position)', tags, params: IdParams, body: StopAddInput, response: { 201: StopSchema, ...errors } } },
    async (req, reply) => {
      reply.code(201);
      return stops.add(actorOf(req), req.params.id, req.body);
    },
  );
  app.patch(
    '/api/v1/shipments/:id/stops/:index',
    { schema: { operationId: 'updateShipmentStop', summary: 'Change one stop', tags, params: StopIndexParams, body: StopPatchInput, response: { 200: StopSchema, ...errors } } },
    async (req) => stops.update(actorOf(req), req.params.id, req.params.index, req.body),
  );
  app.delete(
    '/api/v1/shipments/:id/stops/:index',
    { schema: { operationId: 'deleteShipmentStop', summary: 'Remove one stop', tags, params: StopIndexParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await stops.remove(actorOf(req), req.params.id, req.params.index);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/v1/shipments/:id/stops/:index/events',
    {
      schema: {
        operationId: 'recordStopEvent',
        summary: 'Report arrival at or departure from a stop',
        description: 'The same as recording stop_arrived / stop_departed for the shipment: status, ETA, notifications and live views follow alike.',
        tags,
        params: StopIndexParams,
        body: StopEventInput,
        response: { 200: Type.Ref(ShipmentSchema), ...errorReplies(400, 401, 403, 404) },
      },
    },
    async (req) => stops.recordEvent(actorOf(req), req.params.id, req.params.index, req.body),
  );
};
