// The bundled base map cut into small tiles of data (z/x/y, Web Mercator, as street tiles), so a
// phone draws only what it shows, already simplified for its zoom: a few hundred points per tile
// on a canvas instead of the whole world's 1:50m coastline parsed and projected at every zoom (that
// took seconds of a mid-range phone's main thread). Per zoom up to DETAIL_ZOOM the world is
// projected and simplified once (half a pixel), then each tile is clipped from it with a margin, so
// the cut edges fall outside the canvas and only real coastlines are stroked. Beyond DETAIL_ZOOM
// the data has no more detail: that zoom's geometry is scaled. City names are placed once per zoom
// for the whole world (largest first, no overlaps), so a name crossing a tile edge is drawn the
// same in both tiles and never collides with another one.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { baseMapData, type BaseMap } from './basemap.js';

export const TILE_SIZE = 256;
export const MAX_TILE_ZOOM = 19;
const DETAIL_ZOOM = 8;
/** Pixels drawn beyond each tile edge: wider than a stroke, so a cut edge is never seen. */
const MARGIN = 4;
/** A city label's box around its point: the dot at (0, 0), the name on its right. */
const LABEL = { left: 5, up: 9, down: 9, dot: 12, perChar: 7 };

/** A ring or line in a zoom's world pixels, with its bounding box. */
interface Shape {
  pts: Float64Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

interface World {
  land: Shape[];
  borders: Shape[];
}

export interface BaseTile {
  /** Land rings (outer and holes, even-odd), flat [x0, y0, x1, y1, …] in the tile's pixels. */
  land: number[][];
  /** Country borders, the same way. */
  borders: number[][];
  /** City names: [x, y, name] of the dot. */
  cities: [number, number, string][];
}

const worldSize = (z: number) => TILE_SIZE * 2 ** z;
const MAX_LAT = 85.0511287798;

function project(lon: number, lat: number, size: number): [number, number] {
  const l = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [((lon + 180) / 360) * size, ((1 - Math.log(Math.tan(l) + 1 / Math.cos(l)) / Math.PI) / 2) * size];
}

/** Douglas-Peucker over a flat list of points, keeping the first and last. */
function simplify(pts: number[], tolerance: number): number[] {
  const n = pts.length / 2;
  if (n <= 2) return pts;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack = [0, n - 1];
  const t2 = tolerance * tolerance;
  while (stack.length) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const ax = pts[first * 2], ay = pts[first * 2 + 1];
    const dx = pts[last * 2] - ax, dy = pts[last * 2 + 1] - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      let px = pts[i * 2] - ax, py = pts[i * 2 + 1] - ay;
      if (len2 > 0) {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        px -= t * dx;
        py -= t * dy;
      }
      const d = px * px + py * py;
      if (d > worst) {
        worst = d;
        index = i;
      }
    }
    if (worst > t2) {
      keep[index] = 1;
      stack.push(first, index, index, last);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(pts[i * 2], pts[i * 2 + 1]);
  return out;
}

function shape(pts: number[]): Shape {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    minX = Math.min(minX, pts[i]);
    maxX = Math.max(maxX, pts[i]);
    minY = Math.min(minY, pts[i + 1]);
    maxY = Math.max(maxY, pts[i + 1]);
  }
  return { pts: Float64Array.from(pts), minX, minY, maxX, maxY };
}

/** A delta-encoded grid ring or line of basemap.ts in a zoom's world pixels, simplified. */
function toPixels(flat: number[], q: BaseMap['q'], size: number): number[] {
  const pts: number[] = [];
  for (let i = 0, x = 0, y = 0; i < flat.length; i += 2) {
    x += flat[i];
    y += flat[i + 1];
    const [px, py] = project(x * q[0] - 180, y * q[1] - 90, size);
    pts.push(px, py);
  }
  return simplify(pts, 0.5);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A zoom's world, built in steps of a few milliseconds so requests served meanwhile never wait long. */
async function buildWorld(map: BaseMap, z: number): Promise<World> {
  const size = worldSize(z);
  const land: Shape[] = [];
  let budget = Date.now() + 15;
  const pause = async () => {
    if (Date.now() < budget) return;
    await nextTurn();
    budget = Date.now() + 15;
  };
  for (const polygon of map.land) {
    for (const ring of polygon) {
      const s = shape(toPixels(ring, map.q, size));
      // Islands smaller than a pixel at this zoom are not drawn.
      if (s.pts.length >= 6 && (s.maxX - s.minX >= 1 || s.maxY - s.minY >= 1)) land.push(s);
    }
    await pause();
  }
  const borders: Shape[] = [];
  for (const line of map.borders) {
    const s = shape(toPixels(line, map.q, size));
    if (s.pts.length >= 4) borders.push(s);
    await pause();
  }
  return { land, borders };
}

/** Sutherland-Hodgman against an axis-aligned box: the part of a ring inside it (an area stays an area). */
function clipRing(pts: Float64Array | number[], x0: number, y0: number, x1: number, y1: number): number[] {
  let ring = Array.from(pts);
  const edges: [(x: number, y: number) => boolean, (ax: number, ay: number, bx: number, by: number) => [number, number]][] = [
    [(x) => x >= x0, (ax, ay, bx, by) => [x0, ay + ((by - ay) * (x0 - ax)) / (bx - ax)]],
    [(x) => x <= x1, (ax, ay, bx, by) => [x1, ay + ((by - ay) * (x1 - ax)) / (bx - ax)]],
    [(_x, y) => y >= y0, (ax, ay, bx, by) => [ax + ((bx - ax) * (y0 - ay)) / (by - ay), y0]],
    [(_x, y) => y <= y1, (ax, ay, bx, by) => [ax + ((bx - ax) * (y1 - ay)) / (by - ay), y1]],
  ];
  for (const [inside, cross] of edges) {
    const out: number[] = [];
    const n = ring.length / 2;
    for (let i = 0; i < n; i++) {
      const ax = ring[((i + n - 1) % n) * 2], ay = ring[((i + n - 1) % n) * 2 + 1];
      const bx = ring[i * 2], by = ring[i * 2 + 1];
      const aIn = inside(ax, ay), bIn = inside(bx, by);
      if (bIn) {
        if (!aIn) out.push(...cross(ax, ay, bx, by));
        out.push(bx, by);
      } else if (aIn) out.push(...cross(ax, ay, bx, by));
    }
    ring = out;
    if (!ring.length) break;
  }
  return ring;
}

/** Liang-Barsky per segment: the pieces of a line inside the box. */
function clipLine(pts: Float64Array, x0: number, y0: number, x1: number, y1: number): number[][] {
  const pieces: number[][] = [];
  let current: number[] | null = null;
  for (let i = 0; i + 3 < pts.length; i += 2) {
    const ax = pts[i], ay = pts[i + 1], bx = pts[i + 2], by = pts[i + 3];
    const dx = bx - ax, dy = by - ay;
    let t0 = 0, t1 = 1;
    let visible = true;
    for (const [p, q] of [[-dx, ax - x0], [dx, x1 - ax], [-dy, ay - y0], [dy, y1 - ay]]) {
      if (p === 0) {
        if (q < 0) visible = false;
      } else {
        const r = q / p;
        if (p < 0) t0 = Math.max(t0, r);
        else t1 = Math.min(t1, r);
      }
    }
    if (!visible || t0 > t1) {
      current = null;
      continue;
    }
    const sx = ax + t0 * dx, sy = ay + t0 * dy, ex = ax + t1 * dx, ey = ay + t1 * dy;
    if (!current || t0 > 0) {
      current = [sx, sy];
      pieces.push(current);
    }
    current.push(ex, ey);
    if (t1 < 1) current = null;
  }
  return pieces;
}

/** Greedy placement, largest city first: a name is kept where it overlaps no name kept before. */
function placeCities(map: BaseMap, z: number): [number, number, string][] {
  const size = worldSize(z);
  const cell = 128;
  const grid = new Map<string, number[][]>();
  const placed: [number, number, string][] = [];
  for (const [gx, gy, name, minZoom] of map.cities) {
    if (minZoom > z) continue;
    const [x, y] = project(gx * map.q[0] - 180, gy * map.q[1] - 90, size);
    const box = [x - LABEL.left, y - LABEL.up, x + LABEL.dot + name.length * LABEL.perChar, y + LABEL.down];
    const cells: string[] = [];
    for (let cx = Math.floor(box[0] / cell); cx <= Math.floor(box[2] / cell); cx++) for (let cy = Math.floor(box[1] / cell); cy <= Math.floor(box[3] / cell); cy++) cells.push(`${cx},${cy}`);
    const clash = cells.some((c) => grid.get(c)?.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]));
    if (clash) continue;
    for (const c of cells) (grid.get(c) ?? grid.set(c, []).get(c)!).push(box);
    placed.push([x, y, name]);
  }
  return placed;
}

const round = (v: number) => Math.round(v * 4) / 4;

/** The shapes of a world (in its pixels) that cross a box, clipped to it. */
function clipWorld(world: World, x0: number, y0: number, x1: number, y1: number): World {
  const hits = (s: Shape) => s.maxX >= x0 && s.minX <= x1 && s.maxY >= y0 && s.minY <= y1;
  const within = (s: Shape) => s.minX >= x0 && s.maxX <= x1 && s.minY >= y0 && s.maxY <= y1;
  const land: Shape[] = [];
  for (const s of world.land) {
    if (!hits(s)) continue;
    if (within(s)) land.push(s);
    else {
      const ring = clipRing(s.pts, x0, y0, x1, y1);
      if (ring.length >= 6) land.push(shape(ring));
    }
  }
  const borders: Shape[] = [];
  for (const s of world.borders) {
    if (!hits(s)) continue;
    if (within(s)) borders.push(s);
    else for (const piece of clipLine(s.pts, x0, y0, x1, y1)) borders.push(shape(piece));
  }
  return { land, borders };
}

/** Regions kept (a zoom's world clipped to a tile's box at some zoom): the way down to recent tiles. */
const MAX_REGIONS = 4096;

export class BaseMapTiler {
  private worlds = new Map<number, Promise<World>>();
  private cities = new Map<number, [number, number, string][]>();
  private regions = new Map<string, World>();

  constructor(private readonly map: BaseMap) {}

  private world(z: number): Promise<World> {
    let w = this.worlds.get(z);
    if (!w) this.worlds.set(z, (w = buildWorld(this.map, z)));
    return w;
  }

  /** Builds every zoom's world ahead of the first visitor, one after another. */
  async warm(): Promise<void> {
    for (let z = 0; z <= DETAIL_ZOOM; z++) await this.world(z);
  }

  private citiesAt(z: number) {
    let c = this.cities.get(z);
    if (!c) this.cities.set(z, (c = placeCities(this.map, z)));
    return c;
  }

  /**
   * The world of zoom `dz` clipped to the box of tile (level, x, y) in its pixels, with the margin:
   * cut from the parent tile's region, so each cut works on a quarter of what the one above had
   * (the whole world is cut once per zoom, not once per tile).
   */
  private region(world: World, dz: number, level: number, x: number, y: number): World {
    if (level === 0) return world;
    const key = `${dz}/${level}/${x}/${y}`;
    const known = this.regions.get(key);
    if (known) {
      this.regions.delete(key);
      this.regions.set(key, known);
      return known;
    }
    const parent = this.region(world, dz, level - 1, x >> 1, y >> 1);
    const side = (TILE_SIZE * 2 ** dz) / 2 ** level;
    const margin = MARGIN / 2 ** Math.max(0, level - dz);
    const r = clipWorld(parent, x * side - margin, y * side - margin, (x + 1) * side + margin, (y + 1) * side + margin);
    this.regions.set(key, r);
    if (this.regions.size > MAX_REGIONS) this.regions.delete(this.regions.keys().next().value!);
    return r;
  }

  /** One tile's shapes in its own pixels (0-256, a few pixels beyond at the edges). */
  async tile(z: number, x: number, y: number): Promise<BaseTile> {
    const dz = Math.min(z, DETAIL_ZOOM);
    const scale = 2 ** (z - dz);
    const region = this.region(await this.world(dz), dz, z, x, y);
    const local = (pts: ArrayLike<number>) => Array.from(pts, (v, i) => round(v * scale - (i % 2 ? y : x) * TILE_SIZE));
    const left = x * TILE_SIZE, top = y * TILE_SIZE;
    const cities = this.citiesAt(z)
      .filter(([cx, cy, name]) => cx + LABEL.dot + name.length * LABEL.perChar >= left && cx - LABEL.left <= left + TILE_SIZE && cy + LABEL.down >= top && cy - LABEL.up <= top + TILE_SIZE)
      .map(([cx, cy, name]): [number, number, string] => [round(cx - left), round(cy - top), name]);
    return { land: region.land.map((s) => local(s.pts)), borders: region.borders.map((s) => local(s.pts)), cities };
  }
}

let tiler: Promise<BaseMapTiler> | null = null;

/** The tiler over the base map's data, built once per process (the data takes ~1.5 s). */
export function baseMapTiler(): Promise<BaseMapTiler> {
  tiler ??= baseMapData().then((m) => new BaseMapTiler(m));
  // Every zoom's world in the background: the first visitor's tiles need not wait for them.
  void tiler.then((t) => t.warm()).catch(() => {});
  tiler.catch(() => {
    tiler = null;
  });
  return tiler;
}

/** Whether z/x/y names a tile of the Web Mercator grid. */
export function isTile(z: number, x: number, y: number): boolean {
  return Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && z <= MAX_TILE_ZOOM && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
}

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
/** Tiles kept ready to send (JSON with its brotli and gzip forms), least recently used dropped. */
const MAX_CACHED = 2048;
const cached = new Map<string, Promise<{ identity: Buffer; gzip: Buffer; br: Buffer }>>();

/** A tile as JSON, plain and compressed, made once per process (for the MAX_CACHED most recent). */
export function encodedBaseTile(z: number, x: number, y: number): Promise<{ identity: Buffer; gzip: Buffer; br: Buffer }> {
  const key = `${z}/${x}/${y}`;
  let entry = cached.get(key);
  if (entry) cached.delete(key);
  else {
    entry = baseMapTiler().then(async (t) => {
      const identity = Buffer.from(JSON.stringify(await t.tile(z, x, y)));
      const [gz, br] = await Promise.all([gzip(identity, { level: 6 }), brotli(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })]);
      return { identity, gzip: gz, br };
    });
    entry.catch(() => cached.delete(key));
  }
  cached.set(key, entry);
  if (cached.size > MAX_CACHED) cached.delete(cached.keys().next().value!);
  return entry;
}
