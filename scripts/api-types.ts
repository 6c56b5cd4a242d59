// The admin app's API types come from the OpenAPI document the server serves (issue 17 item 3),
// so the app and the API cannot drift: this builds the app in-process (a throwaway SQLite store,
// no listening socket), reads /api/docs/json and turns it into TypeScript with openapi-typescript.
//
//   npm run gen:api-types      rewrites web/admin/src/generated/api-schema.d.ts
//
// test/api/admin-api-types.test.ts fails when the committed file differs from what this generates.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createServices } from '../src/services.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const API_TYPES_FILE = path.join(ROOT, 'web/admin/src/generated/api-schema.d.ts');

const HEADER = `// Generated from the served OpenAPI document (/api/docs/json) by \`npm run gen:api-types\`
// (scripts/api-types.ts). Do not edit: change the route schemas and regenerate.
`;

/** The document exactly as a client would fetch it, from an app that is built but never listens. */
export async function servedOpenApiDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-api-types-'));
  // A fixed environment, not process.env: the generated file must not depend on who runs it.
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dataDir, 'tracklink.db')}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    TILE_URL: 'off',
  });
  const store = createStore(config.database);
  try {
    await migrateToLatest(store);
    const app = await buildApp(createServices(config, store), { logger: false });
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
      if (res.statusCode !== 200) throw new Error(`/api/docs/json answered ${res.statusCode}`);
      return res.json();
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The text of the generated types file for a document. */
export async function apiTypesSource(doc: unknown): Promise<string> {
  return HEADER + astToString(await openapiTS(doc as never));
}

export async function generateApiTypes(): Promise<string> {
  return apiTypesSource(await servedOpenApiDocument());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await generateApiTypes();
  writeFileSync(API_TYPES_FILE, text);
  console.log(`${path.relative(ROOT, API_TYPES_FILE)}: ${text.length} bytes`);
  process.exit(0);
}
