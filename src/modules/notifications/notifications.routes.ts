import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies, IdParams, NoContent } from '../../shared/schema.js';
import { actorOf } from '../auth/auth.plugin.js';
import {
  DraftPreviewInput,
  ListOnly,
  OutboxQuery,
  OutboxRetryInput,
  PreviewInput,
  RecalculateInput,
  TaskInput,
  TaskPatch,
  TemplateVariablesPage,
  TemplateInput,
  TemplatePatch,
  WebhookInput,
  WebhookPatch,
  ContactTaskSchema,
  ContactTasksPage,
  EmailTemplateSchema,
  EmailTemplatesPage,
  OutboxPage,
  OutboxRetryResult,
  RecalculateResult,
  RenderedEmail,
  WebhookSchema,
  WebhooksPage,
  WebhookTestQueued,
  WebhookWithSecret,
} from './notifications.schema.js';

export { WEBHOOK_TESTS_PER_MINUTE } from './webhooks.service.js';

export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { notifications } = app.services;
  const { templates, tasks, webhooks } = notifications;

  {
    const tags = ['email templates'];
    app.get(
      '/api/v1/email-templates/variables',
      { schema: { operationId: 'listTemplateVariables', summary: 'List the variables email templates can use', tags, querystring: ListOnly, response: { 200: TemplateVariablesPage, ...errorReplies(400, 401) } } },
      async (req) => templates.variables(actorOf(req), req.query),
    );
    app.get('/api/v1/email-templates', { schema: { operationId: 'listEmailTemplates', summary: 'List email templates', tags, response: { 200: EmailTemplatesPage }, querystring: ListOnly } }, async (req) => templates.list(actorOf(req), req.query));
    app.post('/api/v1/email-templates', { schema: { operationId: 'createEmailTemplate', summary: 'Create an email template', tags, response: { 201: EmailTemplateSchema }, body: TemplateInput } }, async (req, reply) => {
      reply.code(201);
      return templates.create(actorOf(req), req.body);
    });
    app.post('/api/v1/email-templates/preview', { schema: { operationId: 'previewEmailTemplateDraft', summary: 'Preview an unsaved email template', tags, response: { 200: RenderedEmail }, body: DraftPreviewInput } }, async (req) => templates.previewDraft(actorOf(req), req.body));
    app.get('/api/v1/email-templates/:id', { schema: { operationId: 'getEmailTemplate', summary: 'Get an email template', tags, response: { 200: EmailTemplateSchema }, params: IdParams } }, async (req) => templates.get(actorOf(req), req.params.id));
    app.put('/api/v1/email-templates/:id', { schema: { operationId: 'replaceEmailTemplate', summary: 'Replace an email template', tags, response: { 200: EmailTemplateSchema }, params: IdParams, body: TemplateInput } }, async (req) => templates.update(actorOf(req), req.params.id, req.body));
    app.patch('/api/v1/email-templates/:id', { schema: { operationId: 'updateEmailTemplate', summary: 'Change an email template', tags, response: { 200: EmailTemplateSchema }, params: IdParams, body: TemplatePatch } }, async (req) => templates.update(actorOf(req), req.params.id, req.body));
    app.delete('/api/v1/email-templates/:id', { schema: { operationId: 'deleteEmailTemplate', summary: 'Delete an email template', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
      await templates.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
    app.post('/api/v1/email-templates/:id/preview', { schema: { operationId: 'previewEmailTemplate', summary: 'Preview an email template for a shipment', tags, response: { 200: RenderedEmail }, params: IdParams, body: PreviewInput } }, async (req) => templates.preview(actorOf(req), req.params.id, req.body));
  }

  {
    const tags = ['contact tasks'];
    app.get('/api/v1/tasks', { schema: { operationId: 'listContactTasks', summary: 'List contact tasks', tags, response: { 200: ContactTasksPage }, querystring: ListOnly } }, async (req) => tasks.list(actorOf(req), req.query));
    app.post('/api/v1/tasks', { schema: { operationId: 'createContactTask', summary: 'Create a contact task', tags, response: { 201: ContactTaskSchema }, body: TaskInput } }, async (req, reply) => {
      reply.code(201);
      return tasks.create(actorOf(req), req.body);
    });
    app.post('/api/v1/tasks/recalculate', { schema: { operationId: 'recalculateContactTasks', summary: 'Recalculate contact task schedules', tags, response: { 200: RecalculateResult }, body: RecalculateInput } }, async (req) => tasks.recalculate(actorOf(req), req.body));
    app.get('/api/v1/tasks/:id', { schema: { operationId: 'getContactTask', summary: 'Get a contact task', tags, response: { 200: ContactTaskSchema }, params: IdParams } }, async (req) => tasks.get(actorOf(req), req.params.id));
    app.put('/api/v1/tasks/:id', { schema: { operationId: 'replaceContactTask', summary: 'Replace a contact task', tags, response: { 200: ContactTaskSchema }, params: IdParams, body: TaskInput } }, async (req) => tasks.update(actorOf(req), req.params.id, req.body));
    app.patch('/api/v1/tasks/:id', { schema: { operationId: 'updateContactTask', summary: 'Change a contact task', tags, response: { 200: ContactTaskSchema }, params: IdParams, body: TaskPatch } }, async (req) => tasks.update(actorOf(req), req.params.id, req.body));
    app.delete('/api/v1/tasks/:id', { schema: { operationId: 'deleteContactTask', summary: 'Delete a contact task', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
      await tasks.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
  }

  {
    const tags = ['outbox'];
    app.get('/api/v1/outbox', { schema: { operationId: 'listOutbox', summary: 'List outgoing emails', tags, response: { 200: OutboxPage }, querystring: OutboxQuery } }, async (req) => notifications.listOutbox(actorOf(req), req.query));
    app.post('/api/v1/outbox/retry', { schema: { operationId: 'retryOutbox', summary: 'Retry failed outgoing emails', tags, response: { 200: OutboxRetryResult }, body: OutboxRetryInput } }, async (req) => notifications.retryOutbox(actorOf(req), req.body));
  }

  {
    const tags = ['webhooks'];
    app.get('/api/v1/webhooks', { schema: { operationId: 'listWebhooks', summary: 'List webhooks', tags, response: { 200: WebhooksPage }, querystring: ListOnly } }, async (req) => webhooks.list(actorOf(req), req.query));
    app.post('/api/v1/webhooks', { schema: { operationId: 'createWebhook', summary: 'Create a webhook', tags, response: { 201: WebhookWithSecret }, body: WebhookInput } }, async (req, reply) => {
      reply.code(201);
      return webhooks.create(actorOf(req), req.body);
    });
    app.get('/api/v1/webhooks/:id', { schema: { operationId: 'getWebhook', summary: 'Get a webhook', tags, response: { 200: WebhookSchema }, params: IdParams } }, async (req) => webhooks.get(actorOf(req), req.params.id));
    app.patch('/api/v1/webhooks/:id', { schema: { operationId: 'updateWebhook', summary: 'Change a webhook', tags, response: { 200: WebhookSchema }, params: IdParams, body: WebhookPatch } }, async (req) => webhooks.update(actorOf(req), req.params.id, req.body));
    app.delete('/api/v1/webhooks/:id', { schema: { operationId: 'deleteWebhook', summary: 'Delete a webhook', response: { 204: NoContent }, tags, params: IdParams } }, async (req, reply) => {
      await webhooks.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
    app.post('/api/v1/webhooks/:id/rotate', { schema: { operationId: 'rotateWebhookSecret', summary: "Replace a webhook's signing secret", tags, response: { 200: WebhookWithSecret }, params: IdParams } }, async (req) => webhooks.rotate(actorOf(req), req.params.id));
    // At most WEBHOOK_TESTS_PER_MINUTE per organization, counted in the store (webhooks.service.ts).
    app.post('/api/v1/webhooks/:id/test', { schema: { operationId: 'testWebhook', summary: 'Send a test event to a webhook', tags, response: { 202: WebhookTestQueued }, params: IdParams } }, async (req, reply) => {
      reply.code(202);
      return webhooks.test(actorOf(req), req.params.id);
    });
    app.get('/api/v1/webhooks/:id/deliveries', { schema: { operationId: 'listWebhookDeliveries', summary: "List a webhook's deliveries", tags, response: { 200: OutboxPage }, params: IdParams, querystring: ListOnly } }, async (req) => webhooks.deliveries(actorOf(req), req.params.id, req.query));
  }
};
