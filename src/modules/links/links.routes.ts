// HTTP ⇄ LinksService for the admin API: create, list, read, change, revoke, regenerate, QR, backfill.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies, fileReply, IdParams } from '../../shared/schema.js';
import { actorOf } from '../auth/auth.plugin.js';
import { BackfillResult, LinkCreate, LinkListQuery, LinkPatch, ShipmentIdParams, ShipmentLinksQuery, ShipmentTrackingSchema, TrackingLinkRef, TrackingLinksPage } from './links.schema.js';

const tags = ['links'];

export const linksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { links } = app.services;

  app.post('/api/v1/shipments/:id/links', { schema: { operationId: 'createTrackingLink', summary: 'Create a tracking link for a shipment', tags, response: { 201: TrackingLinkRef }, params: ShipmentIdParams, body: LinkCreate } }, async (req, reply) => {
    reply.code(201);
    return links.create(actorOf(req), req.params.id, req.body);
  });
  app.get(
    '/api/v1/shipments/:id/links',
    { schema: { operationId: 'listShipmentTrackingLinks', summary: "List a shipment's tracking links", tags, params: ShipmentIdParams, querystring: ShipmentLinksQuery, response: { 200: TrackingLinksPage, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => links.listOfShipment(actorOf(req), req.params.id, req.query),
  );
  app.get('/api/v1/shipments/:id/tracking', { schema: { operationId: 'getShipmentTracking', summary: "Get a shipment's tracking summary", tags, response: { 200: ShipmentTrackingSchema }, params: ShipmentIdParams } }, async (req) => links.tracking(actorOf(req), req.params.id));

  app.get('/api/v1/links', { schema: { operationId: 'listTrackingLinks', summary: 'List tracking links', tags, response: { 200: TrackingLinksPage }, querystring: LinkListQuery } }, async (req) => links.list(actorOf(req), req.query));
  app.post('/api/v1/links/backfill', { schema: { operationId: 'backfillTrackingLinks', summary: 'Create links for shipments that have none', tags, response: { 200: BackfillResult } } }, async (req) => links.backfill(actorOf(req)));
  app.get('/api/v1/links/:id', { schema: { operationId: 'getTrackingLink', summary: 'Get a tracking link', tags, response: { 200: TrackingLinkRef }, params: IdParams } }, async (req) => links.get(actorOf(req), req.params.id));
  app.patch('/api/v1/links/:id', { schema: { operationId: 'updateTrackingLink', summary: 'Change a tracking link', tags, response: { 200: TrackingLinkRef }, params: IdParams, body: LinkPatch } }, async (req) => links.update(actorOf(req), req.params.id, req.body));
  app.post('/api/v1/links/:id/revoke', { schema: { operationId: 'revokeTrackingLink', summary: 'Revoke a tracking link', tags, response: { 200: TrackingLinkRef }, params: IdParams } }, async (req) => links.revoke(actorOf(req), req.params.id));
  app.post('/api/v1/links/:id/regenerate', { schema: { operationId: 'regenerateTrackingLink', summary: 'Replace a tracking link with one at a new URL', tags, response: { 201: TrackingLinkRef }, params: IdParams } }, async (req, reply) => {
    reply.code(201);
    return links.regenerate(actorOf(req), req.params.id);
  });
  app.get('/api/v1/links/:id/qr.svg', { schema: { operationId: 'getTrackingLinkQrCode', summary: "Get a tracking link's QR code (SVG)", tags, response: { 200: fileReply('The QR code of the link’s URL', ['image/svg+xml']) }, params: IdParams } }, async (req, reply) => {
    const svg = await links.qrSvg(actorOf(req), req.params.id);
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-store').send(svg);
  });
};
