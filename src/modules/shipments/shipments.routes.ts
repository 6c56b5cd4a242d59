import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { acceptMultipart, readUpload } from '../../http/uploads.js';
import { errorReplies, fileReply, Id, IdParams, IMAGE_TYPES, ListOnlyQuery, NoContent } from '../../shared/schema.js';
import { extensionOf } from '../../shared/files.js';
import { actorOf } from '../auth/auth.plugin.js';
import {
  ContactInput,
  HeroPhotoInput,
  NoteInput,
  NoteSchema,
  PalletScanInput,
  PalletScanSchema,
  PhotoSchema,
  ShipmentContactSchema,
  ShipmentOrShared,
  ShipmentSchema,
  ShipmentsPage,
  ShipmentCreate,
  ShipmentEventInput,
  ShipmentEventsPage,
  ShipmentListQuery,
  ShipmentPatch,
} from './shipments.schema.js';
import { stopsRoutes } from './stops.routes.js';

const tags = ['shipments'];
const ShipmentRef = Type.Ref(ShipmentSchema);
const upload = { consumes: ['multipart/form-data', 'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'] };

export const shipmentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { shipments } = app.services;
  const max = app.config.uploadMaxBytes;
  await acceptMultipart(app, max);
  await app.register(stopsRoutes);

  app.post('/api/v1/shipments', { schema: { operationId: 'createShipment', summary: 'Create a shipment', tags, response: { 201: ShipmentRef }, body: ShipmentCreate } }, async (req, reply) => {
    reply.code(201);
    return shipments.create(actorOf(req), req.body);
  });
  app.get('/api/v1/shipments', { schema: { operationId: 'listShipments', summary: 'List shipments', tags, response: { 200: ShipmentsPage }, querystring: ShipmentListQuery } }, async (req) => shipments.list(actorOf(req), req.query));
  app.get('/api/v1/shipments/:id', { schema: { operationId: 'getShipment', summary: 'Get a shipment', tags, response: { 200: ShipmentOrShared }, params: IdParams } }, async (req) => shipments.get(actorOf(req), req.params.id));
  app.patch('/api/v1/shipments/:id', { schema: { operationId: 'updateShipment', summary: 'Change a shipment', tags, response: { 200: ShipmentRef }, params: IdParams, body: ShipmentPatch } }, async (req) =>
    shipments.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/v1/shipments/:id', { schema: { operationId: 'deleteShipment', summary: 'Delete a shipment', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
    await shipments.delete(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/api/v1/shipments/:id/events',
    { schema: { operationId: 'listShipmentEvents', summary: "List a shipment's events", tags, params: IdParams, querystring: ListOnlyQuery, response: { 200: ShipmentEventsPage, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => shipments.timeline.list(actorOf(req), req.params.id, req.query),
  );
  app.post('/api/v1/shipments/:id/events', { schema: { operationId: 'recordShipmentEvent', summary: 'Record a shipment event', tags, response: { 200: ShipmentRef }, params: IdParams, body: ShipmentEventInput } }, async (req) =>
    shipments.timeline.record(actorOf(req), req.params.id, req.body),
  );

  app.post('/api/v1/shipments/:id/notes', { schema: { operationId: 'addShipmentNote', summary: 'Add a note to a shipment', tags, response: { 201: NoteSchema }, params: IdParams, body: NoteInput } }, async (req, reply) => {
    reply.code(201);
    return shipments.addNote(actorOf(req), req.params.id, req.body);
  });
  app.delete('/api/v1/shipments/:id/notes/:noteId', { schema: { operationId: 'deleteShipmentNote', summary: 'Delete a shipment note', response: { 204: NoContent }, tags, params: Type.Object({ id: Id, noteId: Id }) } }, async (req, reply) => {
    await shipments.deleteNote(actorOf(req), req.params.id, req.params.noteId);
    return reply.code(204).send();
  });

  app.post('/api/v1/shipments/:id/photos', { schema: { operationId: 'addShipmentPhoto', summary: 'Upload a photo of a shipment', tags, response: { 201: PhotoSchema }, params: IdParams, ...upload } }, async (req, reply) => {
    const actor = actorOf(req);
    const { bytes, fields } = await readUpload(req, max);
    reply.code(201);
    return shipments.photos.add(actor, req.params.id, bytes, fields.caption);
  });
  app.get('/api/v1/shipments/:id/photos/:photoId', { schema: { operationId: 'getShipmentPhoto', summary: 'Download a shipment photo', tags, response: { 200: fileReply('The photo', IMAGE_TYPES) }, params: Type.Object({ id: Id, photoId: Id }) } }, async (req, reply) => {
    const f = await shipments.photos.file(actorOf(req), req.params.id, req.params.photoId);
    reply.header('cache-control', 'private, max-age=3600').type(f.contentType);
    return reply.send(f.stream);
  });
  app.delete('/api/v1/shipments/:id/photos/:photoId', { schema: { operationId: 'deleteShipmentPhoto', summary: 'Delete a shipment photo', response: { 204: NoContent }, tags, params: Type.Object({ id: Id, photoId: Id }) } }, async (req, reply) => {
    await shipments.photos.delete(actorOf(req), req.params.id, req.params.photoId);
    return reply.code(204).send();
  });
  app.put('/api/v1/shipments/:id/hero-photo', { schema: { operationId: 'setShipmentHeroPhoto', summary: 'Choose the photo shown first on the tracking page', tags, response: { 200: ShipmentRef }, params: IdParams, body: HeroPhotoInput } }, async (req) =>
    shipments.photos.setHero(actorOf(req), req.params.id, req.body.photo_id),
  );

  app.post('/api/v1/shipments/:id/pallet-scans', { schema: { operationId: 'addPalletScan', summary: 'Record a pallet scan', tags, response: { 201: PalletScanSchema }, params: IdParams, body: PalletScanInput } }, async (req, reply) => {
    reply.code(201);
    return shipments.addPalletScan(actorOf(req), req.params.id, req.body);
  });

  app.put('/api/v1/shipments/:id/proof-of-delivery', { schema: { operationId: 'setProofOfDelivery', summary: 'Upload the proof of delivery', tags, response: { 200: ShipmentRef }, params: IdParams, ...upload } }, async (req) => {
    const actor = actorOf(req);
    const { bytes, fields } = await readUpload(req, max);
    const signedBy = fields.signed_by ?? (typeof req.headers['x-signed-by'] === 'string' ? req.headers['x-signed-by'] : undefined);
    return shipments.setProofOfDelivery(actor, req.params.id, bytes, signedBy);
  });
  app.get('/api/v1/shipments/:id/proof-of-delivery', { schema: { operationId: 'getProofOfDelivery', summary: 'Download the proof of delivery', tags, response: { 200: fileReply('The proof of delivery', [...IMAGE_TYPES, 'application/pdf']) }, params: IdParams } }, async (req, reply) => {
    const f = await shipments.ownProofOfDeliveryFile(actorOf(req), req.params.id);
    reply.type(f.contentType).header('content-disposition', `attachment; filename="proof-of-delivery.${extensionOf(f.contentType)}"`);
    return reply.send(f.stream);
  });

  app.post('/api/v1/shipments/:id/contacts', { schema: { operationId: 'addShipmentContact', summary: 'Add a contact to a shipment', tags, response: { 201: ShipmentContactSchema }, params: IdParams, body: ContactInput } }, async (req, reply) => {
    reply.code(201);
    return shipments.addContact(actorOf(req), req.params.id, req.body);
  });
  app.delete('/api/v1/shipments/:id/contacts/:contactId', { schema: { operationId: 'deleteShipmentContact', summary: 'Remove a contact from a shipment', response: { 204: NoContent }, tags, params: Type.Object({ id: Id, contactId: Id }) } }, async (req, reply) => {
    await shipments.deleteContact(actorOf(req), req.params.id, req.params.contactId);
    return reply.code(204).send();
  });
};
