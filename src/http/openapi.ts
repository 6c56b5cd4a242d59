// The OpenAPI document at /api/docs/json: what @fastify/swagger builds from the route schemas,
// plus what a route cannot say about itself — the server, the security schemes, and which of
// them each operation takes (derived from the same `config.auth` the auth plugin enforces, so the
// document cannot claim a login where the server asks for none), and the one error body every
// 4xx reply has. test/api/openapi.test.ts checks the result with three independent tools.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import type { Config } from '../config.js';
import { ErrorSchema } from '../shared/schema.js';
import { TrackingLinkSchema } from '../modules/links/links.schema.js';
import { DeviceSchema, SourceSchema } from '../modules/positions/positions.schema.js';
import { PublicDataSchema, PublicPositionSchema } from '../modules/public-page/public.schema.js';
import { PartnerShipmentSchema, ShipmentSchema } from '../modules/shipments/shipments.schema.js';
import { TRACKLINK_VERSION } from '../shared/version.js';

type Security = Record<string, string[]>[];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** API key or session cookie; the session also needs its CSRF token on writes (auth.plugin.ts). */
const signedIn = (method: string): Security =>
  SAFE_METHODS.has(method) ? [{ apiKey: [] }, { session: [] }] : [{ apiKey: [] }, { session: [], csrfToken: [] }];

/** The security an operation takes when its route schema does not name one. */
function defaultSecurity(url: string, route: RouteOptions): Security {
  if (!url.startsWith('/api/v1/')) return [];
  const auth = (route.config as { auth?: string } | undefined)?.auth ?? 'required';
  if (auth === 'none') return [];
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  return signedIn(method);
}

const ErrorRef = Type.Ref(ErrorSchema);

const TAGS = [
  { name: 'shipments', description: 'Shipments, their stops, events, notes, photos, contacts and proof of delivery' },
  { name: 'links', description: 'Tracking links: the public URLs a shipment is followed by' },
  { name: 'devices and positions', description: 'Devices, the sources a shipment takes positions from, and position ingestion' },
  { name: 'protocols', description: 'Position ingestion in the protocols of existing tracking apps' },
  { name: 'ingest tokens', description: 'Credentials for Traccar server forwarding' },
  { name: 'public', description: 'What a tracking link shows, without login: for a shipper who embeds tracking in their own site' },
  { name: 'partners', description: 'Partner organizations and the shipments shared with them' },
  { name: 'org', description: 'Your organization and its defaults' },
  { name: 'auth', description: 'API keys, users, sessions and admin app login' },
  { name: 'audit', description: 'Who changed what' },
  { name: 'email templates', description: 'Notification emails' },
  { name: 'contact tasks', description: 'Scheduled notifications to a shipment’s contacts' },
  { name: 'outbox', description: 'Outgoing emails' },
  { name: 'webhooks', description: 'Event delivery to your own endpoints' },
];

/** Shared schemas the routes refer to (Type.Ref): the document's named components. */
export const COMPONENT_SCHEMAS = [ErrorSchema, ShipmentSchema, PartnerShipmentSchema, TrackingLinkSchema, DeviceSchema, SourceSchema, PublicPositionSchema, PublicDataSchema];

type OpenApiDocument = { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>> };

/** A multipart upload: the file in the part named `file`, short text fields (caption, signed_by) beside it. */
const MULTIPART_UPLOAD = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: 'The file, one per request (the part may have any name)' } },
  additionalProperties: { type: 'string', description: 'Text fields of the upload, e.g. caption or signed_by' },
};

function describeUploads(document: OpenApiDocument): OpenApiDocument {
  for (const item of Object.values(document.paths ?? {})) {
    for (const op of Object.values(item)) {
      const content = op.requestBody?.content;
      const multipart = content?.['multipart/form-data'];
      if (!content || (multipart?.schema as { format?: string } | undefined)?.format !== 'binary') continue;
      // @fastify/swagger shares one media object between the types: give each its own.
      for (const type of Object.keys(content)) {
        content[type] = { schema: type === 'multipart/form-data' ? MULTIPART_UPLOAD : { type: 'string', format: 'binary' } };
      }
    }
  }
  return document;
}

export function openapiOptions(config: Config): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tracklink API',
        version: TRACKLINK_VERSION,
        description:
          'Public tracking links for shipments. Authenticate with `Authorization: Bearer <api key>`. ' +
          'Every 4xx reply has the body `{"error": {"code", "message", "details"?}}`.',
        license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      },
      servers: [{ url: config.publicBaseUrl, description: 'This Tracklink server (PUBLIC_BASE_URL)' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of your organization (`Authorization: Bearer <api key>`)' },
          session: { type: 'apiKey', in: 'cookie', name: 'tl_session', description: 'The admin app’s session cookie, set by login' },
          csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'With the session cookie on writes: the csrf_token login answered' },
          deviceToken: { type: 'http', scheme: 'bearer', description: 'A device’s token (`Authorization: Bearer <device token>`), as created or rotated' },
          ingestToken: { type: 'http', scheme: 'bearer', description: 'An ingest token of your organization, in the header Traccar’s forward.header setting sends' },
          ownTracksBasic: { type: 'http', scheme: 'basic', description: 'OwnTracks HTTP mode: the device’s external id as user, its token as password' },
        },
      },
    },
    // Shared schemas (addSchema) appear under their $id (`Error`), not as def-0, def-1, ….
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (document) => ('openapiObject' in document ? describeUploads(document.openapiObject as OpenApiDocument) : document.swaggerObject),
    transform: ({ schema, url, route }) => {
      if (!schema || schema.hide) return { schema, url };
      const response = (schema.response ?? {}) as Record<string, unknown>;
      const documentsSuccess = Object.keys(response).some((status) => status.startsWith('2'));
      const documentsErrors = Object.keys(response).some((status) => status.startsWith('4'));
      const consumes = (schema as { consumes?: string[] }).consumes;
      return {
        url,
        schema: {
          ...schema,
          // Uploads take the file raw or as multipart (http/uploads.ts) and declare no body the
          // validator would check; the document still needs one (made per media type below).
          ...(consumes?.includes('multipart/form-data') && !schema.body ? { body: { type: 'string', format: 'binary' } } : {}),
          security: schema.security ?? defaultSecurity(url, route),
          // Without a success reply @fastify/swagger would add its "200 Default Response" only when
          // no response is documented at all; the error body must not hide that.
          ...(documentsSuccess && !documentsErrors ? { response: { ...response, '4xx': ErrorRef } } : {}),
        },
      };
    },
  };
}
