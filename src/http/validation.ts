// Request validation: query strings and params are coerced from text ("limit=10"), bodies are not,
// so a JSON body with a wrong type is a 400 and never silently converted.
import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS with a default export object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const base: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
const bodyAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
const textAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);
