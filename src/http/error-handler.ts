// The one place that turns errors into replies: the API error body `{ error: { code, message,
// details? } }`, or, on a route that declares `config.htmlError` (the public tracking page), the
// HTML page that route renders for an AppError. Client input is always a 4xx; a database that
// cannot serve is a 503; anything else is a logged 500.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { storeProblem, type StoreProblem } from '../db/health.js';
import { redactUrl } from './logging.js';
import { AppError, errorBody, type ErrorCode, type ErrorDetail } from '../shared/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route people open in a browser: the page for an AppError it throws (the reply's status is
     * the error's; it may set headers such as Vary), or null for the JSON body.
     */
    htmlError?: (err: AppError, request: FastifyRequest, reply: FastifyReply) => string | null;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  406: 'validation_failed',
  409: 'conflict',
  410: 'gone',
  411: 'validation_failed',
  413: 'payload_too_large',
  414: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'payload_too_large',
};

function validationDetails(err: FastifyError): ErrorDetail[] | undefined {
  if (!err.validation) return undefined;
  // Unions (enums, nullable fields) make ajv report one error per branch; fold them into one
  // readable line per field: "must be one of: order, consignment, …".
  const byPath = new Map<string, { messages: string[]; allowed: unknown[]; union: boolean }>();
  for (const v of err.validation) {
    const params = (v.params ?? {}) as { missingProperty?: string; allowedValue?: unknown; additionalProperty?: string };
    let where = v.instancePath || '';
    if (params.missingProperty) where += `/${params.missingProperty}`;
    if (params.additionalProperty) where += `/${params.additionalProperty}`;
    const path = `${err.validationContext ?? 'body'}${where}`;
    const entry = byPath.get(path) ?? { messages: [], allowed: [], union: false };
    byPath.set(path, entry);
    if (v.keyword === 'anyOf' || v.keyword === 'oneOf') entry.union = true;
    else if (v.keyword === 'const') entry.allowed.push(params.allowedValue);
    else if (v.keyword === 'type' && v.message === 'must be null') continue;
    else if (v.keyword === 'additionalProperties') entry.messages.push('is not a known field');
    else entry.messages.push(v.message ?? 'is invalid');
  }
  const details: ErrorDetail[] = [];
  for (const [path, e] of byPath) {
    const messages = [...new Set(e.messages)];
    if (e.allowed.length) messages.unshift(`must be one of: ${e.allowed.map(String).join(', ')}`);
    if (!messages.length) messages.push(e.union ? 'does not match any allowed form' : 'is invalid');
    details.push({ path, message: messages.join('; ') });
  }
  return details;
}

/** Seconds a client should wait before retrying a request the database could not serve. */
export const STORE_RETRY_AFTER_S = 5;

const STORE_MESSAGES: Record<StoreProblem, string> = {
  unreachable: 'The database is not reachable; retry shortly',
  timeout: 'The database did not answer in time; retry shortly',
  busy: 'The database is busy; retry shortly',
  disk_full: "The server's disk is full, so nothing can be saved; retry later",
};

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return reply.status(status).type('application/json; charset=utf-8').send(errorBody(code, message, details));
}

/**
 * Errors Fastify's router meets before any route or hook runs (Fastify's `frameworkErrors`): a
 * broken %-escape in the path, a path segment longer than `maxParamLength`. The API's error
 * body, and no echo of the path (it may hold a slug or device token).
 */
export function frameworkErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 414, 'payload_too_large', 'A path segment is longer than any id');
  if (err.code === 'FST_ERR_BAD_URL') return sendError(reply, 400, 'validation_failed', 'The URL is not valid (a broken %-escape)');
  return sendError(reply, 400, 'validation_failed', 'The request is not valid');
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err.code === 'rate_limited' && !reply.hasHeader('retry-after')) reply.header('retry-after', String(err.retryAfterS ?? 60));
      const html = request.routeOptions.config.htmlError?.(err, request, reply) ?? null;
      if (html !== null) return reply.status(err.status).type('text/html; charset=utf-8').send(html);
      return sendError(reply, err.status, err.code, err.message, err.details);
    }
    // The database cannot serve right now (the store's health logs it once, not per request):
    // a temporary condition, so 503 with a time to retry, never a 500.
    const problem = storeProblem(err);
    if (problem) {
      return sendError(reply.header('retry-after', String(STORE_RETRY_AFTER_S)), 503, 'unavailable', STORE_MESSAGES[problem]);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return sendError(reply, 400, 'validation_failed', 'The request is not valid', validationDetails(fe));
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'validation_failed';
      let message = fe.message;
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE') message = 'The request body is too large';
      if (fe instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') message = 'The body is not valid JSON';
      return sendError(reply, status, code, message);
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'internal', 'Something went wrong on our side');
  });
});

/** Any method and URL no route takes; app.ts sets it once the route-only hooks are known (http/route-hooks.ts). */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(reply, 404, 'not_found', `No route ${request.method} ${redactUrl(request.url.split('?')[0])}`);
}
