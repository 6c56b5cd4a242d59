// The admin app's API types are generated from the served OpenAPI document (issue 17 item 3) and
// committed; this fails when a route schema changed and `npm run gen:api-types` was not run, so
// the admin app can never type-check against a stale copy of the API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { API_TYPES_FILE, apiTypesSource, generateApiTypes } from '../../scripts/api-types.js';

it('web/admin/src/generated/api-schema.d.ts is what npm run gen:api-types generates from the served document', async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  const fresh = await generateApiTypes();
  const firstDifference = [...fresh].findIndex((ch, i) => committed[i] !== ch);
  assert.ok(
    committed === fresh,
    `out of date: run npm run gen:api-types (first difference at line ${fresh.slice(0, firstDifference === -1 ? committed.length : firstDifference).split('\n').length})`,
  );
});

it('the generated file changes when the document does (the check can fail)', async () => {
  const doc = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { Stop: { type: 'object', properties: { name: { type: 'string' } } } } } };
  const before = await apiTypesSource(doc);
  doc.components.schemas.Stop.properties = { name: { type: 'string' }, arrived_at: { type: 'string' } } as never;
  assert.notEqual(await apiTypesSource(doc), before);
});
