// An offline base map for the shipment map: country outlines from world-atlas (Natural Earth
// 1:50m), loaded lazily as its own chunk and projected into the map's SVG box.
import { feature } from 'topojson-client';
import type { Position as GeoPosition } from 'geojson';

type Ring = GeoPosition[];
let rings: Promise<Ring[]> | null = null;

/** Every outer and inner ring of every country, in [lon, lat]. */
export function countryRings(): Promise<Ring[]> {
  rings ??= import('world-atlas/countries-50m.json').then((m) => {
    const fc = feature(m.default, m.default.objects.countries);
    const out: Ring[] = [];
    for (const f of fc.features) {
      const g = f.geometry;
      if (g?.type === 'Polygon') out.push(...g.coordinates);
      else if (g?.type === 'MultiPolygon') for (const p of g.coordinates) out.push(...p);
    }
    return out;
  });
  return rings;
}

/** SVG path data for the rings that touch the box, projected by px/py. */
export function ringsPath(all: Ring[], box: { minLon: number; maxLon: number; minLat: number; maxLat: number }, px: (lon: number) => number, py: (lat: number) => number): string {
  const parts: string[] = [];
  for (const ring of all) {
    // A ring counts when its bounding box meets the view (a big country can enclose the whole view).
    let [a, b, c, d] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const [lon, lat] of ring) {
      if (lon < a) a = lon;
      if (lon > b) b = lon;
      if (lat < c) c = lat;
      if (lat > d) d = lat;
    }
    if (b < box.minLon || a > box.maxLon || d < box.minLat || c > box.maxLat) continue;
    parts.push('M' + ring.map(([lon, lat]) => `${px(lon).toFixed(1)},${py(lat).toFixed(1)}`).join('L') + 'Z');
  }
  return parts.join('');
}
