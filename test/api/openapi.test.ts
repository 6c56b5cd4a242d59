// The OpenAPI document at /api/docs/json is what API clients are generated from (issue 17), so
// three independent tools must accept it as served: swagger-parser validates it against the
// OpenAPI schema, openapi-typescript generates types from it, and Redocly's recommended rules
// (redocly.yaml) report no error. It does not depend on the store: one SQLite app, one run each.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { createTestContext, type TestContext } from '../helpers/context.js';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  servers?: { url: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** Operations whose reply is not declared yet, so not documented: none. Shrinks, never grows. */
const KNOWN_UNDECLARED = new Set<string>();

const ROOT = path.resolve(import.meta.dirname, '../..');
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ where: `${method.toUpperCase()} ${p}`, path: p, method, op })),
  );

describe('OpenAPI document', () => {
  let ctx: TestContext;
  let doc: Document;

  before(async () => {
    ctx = await createTestContext('sqlite');
    const res = await ctx.anon.get('/api/docs/json');
    assert.equal(res.status, 200);
    doc = res.body as Document;
  });
  after(async () => {
    await ctx?.close();
  });

  it('is valid OpenAPI (swagger-parser)', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it('generates TypeScript types (openapi-typescript)', async () => {
    const types = astToString(await openapiTS(structuredClone(doc) as never));
    assert.match(types, /\bcreateShipment: \{/);
    assert.match(types, /\bgetPublicData: \{/);
  });

  it("passes Redocly's recommended rules with no error (redocly.yaml)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
      const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=json', '--max-problems=1000'], {
        cwd: ROOT,
        // Offline and quiet: no usage telemetry, no look-up of a newer version.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
        maxBuffer: 32 * 1024 * 1024,
      }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
      const report = JSON.parse(run.stdout || '{}') as { totals?: { errors: number }; problems?: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
      assert.ok(report.totals, `redocly printed no report: ${run.stderr}`);
      const errors = (report.problems ?? []).filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
      assert.deepEqual(errors, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every operation (stable camelCase operationId), summarizes and tags it', () => {
    const declaredTags = new Set((doc.tags ?? []).map((t) => t.name));
    const ids = new Set<string>();
    for (const { where, op } of operations(doc)) {
      assert.match(op.operationId ?? '', /^[a-z][a-zA-Z0-9]+$/, `${where}: operationId`);
      assert.ok(!ids.has(op.operationId!), `${where}: operationId ${op.operationId} used twice`);
      ids.add(op.operationId!);
      assert.ok(op.summary, `${where}: summary`);
      assert.ok(op.tags?.length, `${where}: tag`);
      for (const tag of op.tags!) assert.ok(declaredTags.has(tag), `${where}: tag ${tag} is not described in the document's tags`);
    }
    for (const id of ['createShipment', 'listShipments', 'createTrackingLink', 'revokeTrackingLink', 'getPublicData']) assert.ok(ids.has(id), id);
  });

  it('documents a success reply (with its schema when it has a body) and the Error body on 4xx for every operation', () => {
    const missing: string[] = [];
    for (const { where, op } of operations(doc)) {
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
      if (!success.length) missing.push(`${where}: no success reply`);
      for (const [status, reply] of success) {
        for (const [type, media] of Object.entries(reply.content ?? {})) if (!media.schema) missing.push(`${where}: ${status} ${type} without a schema`);
      }
      // @fastify/swagger's placeholder for a route that declares no reply at all.
      if (success.length === 1 && success[0][0] === '200' && !success[0][1].content && (success[0][1] as { description?: string }).description === 'Default Response') {
        if (!KNOWN_UNDECLARED.has(where)) missing.push(`${where}: reply not declared`);
        continue;
      }
      const errors = Object.entries(op.responses).filter(([status]) => status.startsWith('4'));
      if (!errors.length) missing.push(`${where}: no 4xx documented`);
      for (const [status, reply] of errors) {
        const schema = reply.content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (schema?.$ref !== '#/components/schemas/Error') missing.push(`${where}: ${status} is not the Error schema`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('states the security of every operation as the server enforces it', () => {
    const schemes = new Set(Object.keys(doc.components.securitySchemes ?? {}));
    for (const { where, op } of operations(doc)) {
      assert.ok(Array.isArray(op.security), `${where}: no security of its own`);
      for (const requirement of op.security!) for (const name of Object.keys(requirement)) assert.ok(schemes.has(name), `${where}: unknown scheme ${name}`);
    }
    const security = (method: string, p: string) => doc.paths[p]?.[method]?.security;
    assert.deepEqual(security('get', '/api/v1/shipments'), [{ apiKey: [] }, { session: [] }]);
    assert.deepEqual(security('post', '/api/v1/shipments'), [{ apiKey: [] }, { session: [], csrfToken: [] }]);
    assert.deepEqual(security('post', '/api/v1/auth/login'), []);
    assert.deepEqual(security('post', '/api/v1/positions'), [{ apiKey: [] }, { deviceToken: [] }]);
    assert.deepEqual(security('post', '/ingest/owntracks'), [{ ownTracksBasic: [] }]);
    assert.deepEqual(security('get', '/t/{slug}/data'), []);
  });

  it('documents the public API of a tracking link under its own tag, and the server it is served from', () => {
    for (const p of ['/t/{slug}/data', '/t/{slug}/history', '/t/{slug}/events', '/t/{slug}/photos/{photoId}', '/t/{slug}/pod.pdf']) {
      assert.deepEqual(doc.paths[p]?.get?.tags, ['public'], p);
    }
    assert.deepEqual(doc.servers?.map((s) => s.url), [ctx.config.publicBaseUrl]);
  });

  it('documents uploads as a multipart file or the raw file', () => {
    for (const [method, p] of [['post', '/api/v1/shipments/{id}/photos'], ['put', '/api/v1/shipments/{id}/proof-of-delivery'], ['put', '/api/v1/org/logo']] as const) {
      const content = (doc.paths[p][method] as { requestBody?: { content: Record<string, { schema: { type: string; format?: string; properties?: Record<string, { format?: string }> } }> } }).requestBody?.content;
      assert.equal(content?.['multipart/form-data']?.schema.properties?.file?.format, 'binary', `${method} ${p}`);
      assert.deepEqual(content?.['image/png']?.schema, { type: 'string', format: 'binary' }, `${method} ${p}`);
    }
  });

  it("describes a tracking link's options field by field, as the link routes take them", () => {
    type Obj = { properties?: Record<string, unknown>; additionalProperties?: unknown; $ref?: string };
    const link = doc.components.schemas?.TrackingLink as Obj;
    const options = link.properties?.options as Obj;
    const body = (doc.paths['/api/v1/links/{id}'].patch as unknown as { requestBody: { content: Record<string, { schema: Obj }> } }).requestBody.content['application/json'].schema;
    const sent = body.properties?.options as Obj;
    for (const key of ['driver_position', 'layers', 'segments', 'photo_ids', 'cargo', 'map']) assert.ok(options.properties?.[key], `TrackingLink.options.${key}`);
    assert.deepEqual(Object.keys(options.properties ?? {}).sort(), Object.keys(sent.properties ?? {}).sort());
    assert.equal(options.additionalProperties, false);
  });

  it('lists named component schemas, and OsmAnd parameters by name', () => {
    const names = Object.keys(doc.components.schemas ?? {});
    assert.ok(names.includes('Error'), names.join(', '));
    assert.deepEqual(names.filter((n) => n.startsWith('def-')), []);
    const params = doc.paths['/ingest/osmand'].get.parameters!.map((p) => p.name);
    for (const name of ['id', 'lat', 'lon', 'timestamp', 'speed']) assert.ok(params.includes(name), name);
    assert.ok(!params.includes('type') && !params.includes('additionalProperties'), params.join(', '));
  });
});
