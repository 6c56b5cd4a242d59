// Static files of the public page, read once: our own script and style, Leaflet from
// node_modules, and the offline world base map converted from world-atlas TopoJSON to GeoJSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export interface Asset {
  body: Buffer;
  type: string;
}

const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : typeof v === 'number' ? Math.round(v * 100) / 100 : v);

/** Low-resolution countries without names or ids: a small, always-available base map. */
function worldGeoJson(): Buffer {
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology;
  const fc = feature(topo, topo.objects.countries as GeometryCollection);
  const slim = {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({ type: 'Feature', properties: {}, geometry: { ...f.geometry, coordinates: round((f.geometry as { coordinates: unknown }).coordinates) } })),
  };
  return Buffer.from(JSON.stringify(slim));
}

let cache: Map<string, Asset> | null = null;

export function publicAssets(): Map<string, Asset> {
  if (cache) return cache;
  const leafletDir = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
  const own = (name: string) => readFileSync(path.join(here, 'assets', name));
  cache = new Map<string, Asset>([
    ['page.js', { body: own('page.js'), type: 'text/javascript; charset=utf-8' }],
    ['page.css', { body: own('page.css'), type: 'text/css; charset=utf-8' }],
    ['leaflet.js', { body: readFileSync(path.join(leafletDir, 'leaflet.js')), type: 'text/javascript; charset=utf-8' }],
    ['leaflet.css', { body: readFileSync(path.join(leafletDir, 'leaflet.css')), type: 'text/css; charset=utf-8' }],
    ['world.geojson', { body: worldGeoJson(), type: 'application/geo+json' }],
  ]);
  return cache;
}
