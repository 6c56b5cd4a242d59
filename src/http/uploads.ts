// Reads one uploaded file from a multipart form (any field name) or a raw binary body.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';

export interface Upload {
  bytes: Buffer;
  /** Text fields sent before the file in a multipart form (e.g. caption). */
  fields: Record<string, string>;
}

export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 20 } });
    if (!file) throw AppError.validation('The form has no file', [{ path: 'body/file', message: 'required' }]);
    const bytes = await file.toBuffer();
    if (file.file.truncated) throw new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes`);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(file.fields)) {
      const f = Array.isArray(v) ? v[0] : v;
      if (f && f.type === 'field' && typeof f.value === 'string') fields[k] = f.value;
    }
    return { bytes, fields };
  }
  if (Buffer.isBuffer(request.body)) {
    if (request.body.length === 0) throw AppError.validation('The body is empty');
    return { bytes: request.body, fields: {} };
  }
  throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data or as the raw body with its image/PDF content type');
}
