// HTTP ⇄ partners: connections, invitations, and the shipments an org shares with a partner.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorReplies, Id, IdParams, NoContent } from '../../shared/schema.js';
import { actorOf } from '../auth/auth.plugin.js';
import {
  InvitationCreate,
  InvitationSent,
  ListOnlyQuery,
  PartnersPage,
  ReceivedPage,
  SentPage,
  ShipmentShareInput,
  ShipmentShares,
  ShipmentSharesPage,
} from './partners.schema.js';

const tags = ['partners'];

export const partnersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { partners } = app.services;

  app.get('/api/v1/partners', { schema: { operationId: 'listPartners', summary: 'List partner organizations', tags, querystring: ListOnlyQuery, response: { 200: PartnersPage } } }, async (req) => partners.list(actorOf(req), req.query));
  app.delete('/api/v1/partners/:id', { schema: { operationId: 'endPartnership', summary: 'End a partnership', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await partners.end(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/v1/partner-invitations', { schema: { operationId: 'listSentPartnerInvitations', summary: 'List partner invitations you sent', tags, querystring: ListOnlyQuery, response: { 200: SentPage } } }, async (req) => partners.sent(actorOf(req), req.query));
  app.get('/api/v1/partner-invitations/received', { schema: { operationId: 'listReceivedPartnerInvitations', summary: 'List partner invitations you received', tags, querystring: ListOnlyQuery, response: { 200: ReceivedPage } } }, async (req) =>
    partners.received(actorOf(req), req.query),
  );
  app.post('/api/v1/partner-invitations', { schema: { operationId: 'invitePartner', summary: 'Invite an organization to be a partner', tags, body: InvitationCreate, response: { 201: InvitationSent } } }, async (req, reply) => {
    reply.code(201);
    return partners.invite(actorOf(req), req.body);
  });
  app.post('/api/v1/partner-invitations/:id/accept', { schema: { operationId: 'acceptPartnerInvitation', summary: 'Accept a partner invitation', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await partners.accept(actorOf(req), req.params.id);
    return reply.code(204).send();
  });
  app.post('/api/v1/partner-invitations/:id/decline', { schema: { operationId: 'declinePartnerInvitation', summary: 'Decline a partner invitation', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await partners.decline(actorOf(req), req.params.id);
    return reply.code(204).send();
  });
  // Withdraws a pending invitation (it stays in the list as withdrawn).
  app.delete('/api/v1/partner-invitations/:id', { schema: { operationId: 'withdrawPartnerInvitation', summary: 'Withdraw a pending partner invitation', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await partners.cancel(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  // Which connected partners see one shipment (the paths the API has always had).
  app.get(
    '/api/v1/shipments/:id/partners',
    { schema: { operationId: 'listShipmentPartners', summary: 'List the partners a shipment is shared with', tags, params: IdParams, querystring: ListOnlyQuery, response: { 200: ShipmentSharesPage, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => partners.shipmentSharesPage(actorOf(req), req.params.id, req.query),
  );
  app.post('/api/v1/shipments/:id/partners', { schema: { operationId: 'shareShipment', summary: 'Share a shipment with a partner', tags, params: IdParams, body: ShipmentShareInput, response: { 201: ShipmentShares } } }, async (req, reply) => {
    reply.code(201);
    return { items: await partners.shareShipment(actorOf(req), req.params.id, req.body.partner_org_id) };
  });
  app.delete('/api/v1/shipments/:id/partners/:partnerOrgId', { schema: { operationId: 'unshareShipment', summary: 'Stop sharing a shipment with a partner', response: { 204: NoContent }, tags, params: Type.Object({ id: Id, partnerOrgId: Id }) } }, async (req, reply) => {
    await partners.unshareShipment(actorOf(req), req.params.id, req.params.partnerOrgId);
    return reply.code(204).send();
  });
};
