import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../auth/auth.plugin.js';
import { LinkTemplatePatchSchema, LinkTemplateSchema } from '../links/template.js';
import { OrgPatchSchema, OrgSchema } from './orgs.schema.js';
import { acceptMultipart, readUpload } from '../../http/uploads.js';

export const orgsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { orgs } = app.services;
  await acceptMultipart(app, app.config.uploadMaxBytes);

  app.get('/api/v1/org', { schema: { operationId: 'getOrg', summary: 'Get your organization', tags: ['org'], response: { 200: OrgSchema } } }, async (req) => orgs.get(actorOf(req)));

  app.patch('/api/v1/org', { schema: { operationId: 'updateOrg', summary: "Change your organization's settings", tags: ['org'], body: OrgPatchSchema, response: { 200: OrgSchema } } }, async (req) =>
    orgs.update(actorOf(req), req.body),
  );

  app.put('/api/v1/org/logo', { schema: { operationId: 'setOrgLogo', summary: "Upload your organization's logo", tags: ['org'], consumes: ['multipart/form-data', 'image/png', 'image/jpeg'], response: { 200: OrgSchema } } }, async (req) => {
    const actor = actorOf(req);
    const { bytes } = await readUpload(req, app.config.uploadMaxBytes);
    return orgs.setLogo(actor, bytes);
  });

  app.get('/api/v1/org/link-template', { schema: { operationId: 'getLinkTemplate', summary: 'Get the default visibility template for new links', tags: ['org'], response: { 200: LinkTemplateSchema } } }, async (req) =>
    orgs.getTemplate(actorOf(req)),
  );

  app.put('/api/v1/org/link-template', { schema: { operationId: 'setLinkTemplate', summary: 'Replace the default visibility template for new links', tags: ['org'], body: LinkTemplatePatchSchema, response: { 200: LinkTemplateSchema } } }, async (req) =>
    orgs.putTemplate(actorOf(req), req.body),
  );

  // Logos are public by nature (they appear on every tracking page of the org).
  app.get('/media/logo/:orgId', { schema: { hide: true, params: Type.Object({ orgId: Type.String({ maxLength: 64 }) }) } }, async (req, reply) => {
    const logo = await orgs.publicLogo(req.params.orgId);
    reply.header('cache-control', 'public, max-age=86400').type(logo.contentType);
    return reply.send(logo.stream);
  });
};
