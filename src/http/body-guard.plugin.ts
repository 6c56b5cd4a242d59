// What a request may carry, checked once for every route before anything reads or stores it:
// - a body's content type must be one its route takes: binary and multipart bodies only on upload
//   routes (those whose schema lists `consumes`), refused with 415 before a byte is read;
// - no NUL character in any text input (headers, path, query, body strings and keys at any
//   depth): PostgreSQL cannot store it in text, and SQLite must refuse what PostgreSQL refuses so
//   data stays portable;
// - no JSON body nested deeper than MAX_BODY_DEPTH, before validation or storage recurse into it;
// - a refused body is drained (read and discarded, up to DRAIN_MAX_BYTES) instead of the socket
//   being closed under a client that is still sending, so fetch or requests see the 413/415
//   instead of a broken pipe.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../shared/errors.js';
import { findNul, jsonDepthOver } from '../shared/json-bounds.js';

/** Types every non-upload route accepts (each has a text parser; the schema decides the rest). */
const TEXT_TYPES = new Set(['application/json', 'text/plain', 'application/x-www-form-urlencoded']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose body Fastify never reads (request.body stays undefined). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/** Deeper than any body the API defines (a shipment with a free-form value at its own bound, 16). */
export const MAX_BODY_DEPTH = 32;
/** A refused body is read and discarded up to this much, then the connection is cut. */
export const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

function checkContentType(request: FastifyRequest): void {
  if (!BODY_METHODS.has(request.method) || !hasBody(request)) return;
  const type = mediaType(request.headers['content-type']);
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes;
  const allowed = consumes ?? TEXT_TYPES;
  const ok = consumes ? consumes.includes(type) : TEXT_TYPES.has(type);
  if (!ok) {
    const list = [...allowed].join(', ');
    throw new AppError('unsupported_media_type', `This route does not take ${type ? `a ${type}` : 'an untyped'} body; send one of: ${list}`);
  }
}

function nulInTextParts(request: FastifyRequest): AppError | null {
  // for...in, not Object.entries: no array per header on every request.
  const headers = request.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && findNul(value) !== null) return nulError(`headers/${name}`);
  }
  const inParams = findNul(request.params);
  if (inParams !== null) return nulError(`params${inParams}`);
  const inQuery = findNul(request.query);
  if (inQuery !== null) return nulError(`querystring${inQuery}`);
  return null;
}

function nulError(path: string): AppError {
  return AppError.validation(`Text ${NUL_MESSAGE}`, [{ path, message: NUL_MESSAGE }]);
}

/** Reads and discards what is left of a refused body, so the client can finish sending and read the reply. */
function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  // Fastify asks to close after a body error; closing while the client still sends resets the
  // connection under it. Drained, the connection is as good as any other.
  reply.removeHeader('connection');
  let seen = 0;
  raw.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_MAX_BYTES) raw.socket?.destroy();
  });
  raw.on('error', () => {});
  raw.resume();
}

export const bodyGuardPlugin = fp(async (app: FastifyInstance) => {
  // Before authentication (which reads headers and cookies) and before the body is read.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      checkContentType(request);
    } catch (err) {
      return done(err as Error);
    }
    const nul = nulInTextParts(request);
    done(nul ?? undefined);
  });

  // Only where a body can be: Fastify reads none for GET, HEAD and TRACE (http/route-hooks.ts).
  app.routeHooks.add((method) => !BODYLESS_METHODS.has(method), {
    preValidation: (request, _reply, done) => {
      const body = request.body;
      if (body === undefined || body === null || Buffer.isBuffer(body)) return done();
      if (typeof body === 'object' && jsonDepthOver(body, MAX_BODY_DEPTH)) {
        return done(AppError.validation(`The body is nested deeper than ${MAX_BODY_DEPTH} levels`, [{ path: 'body', message: `nested deeper than ${MAX_BODY_DEPTH} levels` }]));
      }
      const inBody = findNul(body);
      done(inBody !== null ? nulError(`body${inBody}`) : undefined);
    },
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode === 413 || reply.statusCode === 415 || (reply.statusCode >= 400 && !request.raw.complete)) drainRefusedBody(request, reply);
    done(null, payload);
  });
});
