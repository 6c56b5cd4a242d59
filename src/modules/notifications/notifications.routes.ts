import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies, IdParams } from '../../shared/schema.js';
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
} from './notifications.schema.js';

export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { notifications } = app.services;
  const { templates, tasks, webhooks } = notifications;

  {
    const tags = ['email templates'];
    app.get(
      '/api/v1/email-templates/variables',
      { schema: { tags, querystring: ListOnly, response: { 200: TemplateVariablesPage, ...errorReplies(400, 401) } } },
      async (req) => templates.variables(actorOf(req), req.query),
    );
    app.get('/api/v1/email-templates', { schema: { tags, querystring: ListOnly } }, async (req) => templates.list(actorOf(req), req.query));
    app.post('/api/v1/email-templates', { schema: { tags, body: TemplateInput } }, async (req, reply) => {
      reply.code(201);
      return templates.create(actorOf(req), req.body);
    });
    app.post('/api/v1/email-templates/preview', { schema: { tags, body: DraftPreviewInput } }, async (req) => templates.previewDraft(actorOf(req), req.body));
    app.get('/api/v1/email-templates/:id', { schema: { tags, params: IdParams } }, async (req) => templates.get(actorOf(req), req.params.id));
    app.put('/api/v1/email-templates/:id', { schema: { tags, params: IdParams, body: TemplateInput } }, async (req) => templates.update(actorOf(req), req.params.id, req.body));
    app.patch('/api/v1/email-templates/:id', { schema: { tags, params: IdParams, body: TemplatePatch } }, async (req) => templates.update(actorOf(req), req.params.id, req.body));
    app.delete('/api/v1/email-templates/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
      await templates.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
    app.post('/api/v1/email-templates/:id/preview', { schema: { tags, params: IdParams, body: PreviewInput } }, async (req) => templates.preview(actorOf(req), req.params.id, req.body));
  }

  {
    const tags = ['contact tasks'];
    app.get('/api/v1/tasks', { schema: { tags, querystring: ListOnly } }, async (req) => tasks.list(actorOf(req), req.query));
    app.post('/api/v1/tasks', { schema: { tags, body: TaskInput } }, async (req, reply) => {
      reply.code(201);
      return tasks.create(actorOf(req), req.body);
    });
    app.post('/api/v1/tasks/recalculate', { schema: { tags, body: RecalculateInput } }, async (req) => tasks.recalculate(actorOf(req), req.body));
    app.get('/api/v1/tasks/:id', { schema: { tags, params: IdParams } }, async (req) => tasks.get(actorOf(req), req.params.id));
    app.put('/api/v1/tasks/:id', { schema: { tags, params: IdParams, body: TaskInput } }, async (req) => tasks.update(actorOf(req), req.params.id, req.body));
    app.patch('/api/v1/tasks/:id', { schema: { tags, params: IdParams, body: TaskPatch } }, async (req) => tasks.update(actorOf(req), req.params.id, req.body));
    app.delete('/api/v1/tasks/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
      await tasks.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
  }

  {
    const tags = ['outbox'];
    app.get('/api/v1/outbox', { schema: { tags, querystring: OutboxQuery } }, async (req) => notifications.listOutbox(actorOf(req), req.query));
    app.post('/api/v1/outbox/retry', { schema: { tags, body: OutboxRetryInput } }, async (req) => notifications.retryOutbox(actorOf(req), req.body));
  }

  {
    const tags = ['webhooks'];
    app.get('/api/v1/webhooks', { schema: { tags, querystring: ListOnly } }, async (req) => webhooks.list(actorOf(req), req.query));
    app.post('/api/v1/webhooks', { schema: { tags, body: WebhookInput } }, async (req, reply) => {
      reply.code(201);
      return webhooks.create(actorOf(req), req.body);
    });
    app.get('/api/v1/webhooks/:id', { schema: { tags, params: IdParams } }, async (req) => webhooks.get(actorOf(req), req.params.id));
    app.patch('/api/v1/webhooks/:id', { schema: { tags, params: IdParams, body: WebhookPatch } }, async (req) => webhooks.update(actorOf(req), req.params.id, req.body));
    app.delete('/api/v1/webhooks/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
      await webhooks.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
    app.post('/api/v1/webhooks/:id/rotate', { schema: { tags, params: IdParams } }, async (req) => webhooks.rotate(actorOf(req), req.params.id));
    app.post('/api/v1/webhooks/:id/test', { schema: { tags, params: IdParams } }, async (req, reply) => {
      reply.code(202);
      return webhooks.test(actorOf(req), req.params.id);
    });
    app.get('/api/v1/webhooks/:id/deliveries', { schema: { tags, params: IdParams, querystring: ListOnly } }, async (req) => webhooks.deliveries(actorOf(req), req.params.id, req.query));
  }
};
