// Reads one uploaded file from a multipart form (any field name) or a raw binary body.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { findNul } from '../shared/json-bounds.js';

export interface Upload {
  bytes: Buffer;
  /** Text fields sent before the file in a multipart form (e.g. caption). */
  fields: Record<string, string>;
}

/**
 * Multipart forms for the routes of the calling plugin (the upload routes' own), not app-wide:
 * @fastify/multipart's onRequest hook gives every response a 'close' listener holding the request
 * and the reply, so an idle live stream kept both alive for hours (about 1 KB per viewer, heap
 * snapshots of 2,000), and every request paid for an async hook. Bodies of other routes never
 * reach its parser anyway: the body guard refuses multipart outside upload routes (415).
 */
export async function acceptMultipart(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 20 } });
}

export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (request.isMultipart()) return readMultipart(request, maxBytes);
  if (Buffer.isBuffer(request.body)) {
    if (request.body.length === 0) throw AppError.validation('The body is empty');
    return { bytes: request.body, fields: {} };
  }
  throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data or as the raw body with its image/PDF content type');
}

async function readMultipart(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  let bytes: Buffer;
  let truncated: boolean;
  const fields: Record<string, string> = {};
  try {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 20 } });
    if (!file) throw AppError.validation('The form has no file', [{ path: 'body/file', message: 'required' }]);
    bytes = await file.toBuffer();
    truncated = file.file.truncated;
    for (const [k, v] of Object.entries(file.fields)) {
      const f = Array.isArray(v) ? v[0] : v;
      if (f && f.type === 'field' && typeof f.value === 'string') fields[k] = f.value;
    }
  } catch (err) {
    throw multipartError(err);
  }
  if (truncated) throw new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes`);
  // Form fields are text input like any other (http/body-guard checks the rest): no NUL.
  const nul = findNul(fields);
  if (nul !== null) throw AppError.validation('Text must not contain the NUL character (\\u0000)', [{ path: `body${nul}`, message: 'must not contain the NUL character' }]);
  return { bytes, fields };
}

/**
 * Reading a form only parses what the client sent, so whatever fails there is the client's: a
 * truncated part, a missing or wrong boundary, a broken header (busboy's errors carry no status).
 */
function multipartError(err: unknown): Error {
  if (err instanceof AppError) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new AppError('payload_too_large', 'The form is larger than this route takes');
    if (status === 406 || status === 415) return new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
    return AppError.validation('The multipart form is malformed');
  }
  return AppError.validation(`The multipart form is malformed: ${(err as Error).message ?? 'unreadable'}`.slice(0, 200));
}
