// Static files of the public page, read once: our own scripts and style, and Leaflet from
// node_modules. The base map's data is built apart (basemap.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export interface Asset {
  body: Buffer;
  type: string;
}

/** The page script's ES modules: page.js is the entry, the others are its imports. */
export const PAGE_MODULES = ['page.js', 'page-state.js', 'page-time.js', 'page-map.js', 'page-live.js'];

let cache: Map<string, Asset> | null = null;

export function publicAssets(): Map<string, Asset> {
  if (cache) return cache;
  const leafletDir = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
  const own = (name: string) => readFileSync(path.join(here, 'assets', name));
  cache = new Map<string, Asset>([
    // The page script is a few ES modules (page.js imports the others by relative path).
    ...PAGE_MODULES.map((name): [string, Asset] => [name, { body: own(name), type: 'text/javascript; charset=utf-8' }]),
    ['page.css', { body: own('page.css'), type: 'text/css; charset=utf-8' }],
    ['basemap.js', { body: own('basemap.js'), type: 'text/javascript; charset=utf-8' }],
    ['leaflet.js', { body: readFileSync(path.join(leafletDir, 'leaflet.js')), type: 'text/javascript; charset=utf-8' }],
    ['leaflet.css', { body: readFileSync(path.join(leafletDir, 'leaflet.css')), type: 'text/css; charset=utf-8' }],
  ]);
  return cache;
}
