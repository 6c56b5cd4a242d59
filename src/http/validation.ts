// Request validation: query strings and params are coerced from text ("limit=10"), bodies are not,
// so a JSON body with a wrong type is a 400 and never silently converted.
import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { freeJsonProblem } from '../shared/json-bounds.js';

// ajv-formats ships CommonJS with a default export object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const base: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
const bodyAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
const textAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));

/**
 * `x-free-json: true` on a schema whose value is stored as the client sent it (see FreeJson in
 * shared/schema.ts): bounded in depth and size, so no stored value can break a later read.
 */
function validateFreeJson(this: unknown, _schema: boolean, data: unknown): boolean {
  const problem = freeJsonProblem(data);
  (validateFreeJson as { errors?: unknown[] }).errors = problem ? [{ keyword: 'x-free-json', message: problem, params: {} }] : [];
  return problem === null;
}
for (const ajv of [bodyAjv, textAjv]) ajv.addKeyword({ keyword: 'x-free-json', schemaType: 'boolean', errors: true, validate: validateFreeJson });

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);
