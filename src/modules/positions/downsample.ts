// Shape-preserving downsampling of a track (Largest-Triangle-Three-Buckets over lat/lon):
// keeps the first and last points and, per bucket, the point that bends the line most.
export type TrackPoint = [number, number, number]; // [epoch ms, lat, lon]

export function downsample(points: TrackPoint[], max: number): TrackPoint[] {
  if (points.length <= max || max < 3) return points.length <= max ? points : [points[0], points[points.length - 1]].slice(0, Math.max(max, 0));
  const out: TrackPoint[] = [points[0]];
  const every = (points.length - 2) / (max - 2);
  let a = 0;
  for (let i = 0; i < max - 2; i++) {
    const start = Math.floor(i * every) + 1;
    const end = Math.min(Math.floor((i + 1) * every) + 1, points.length - 1);
    // Average of the next bucket: the third corner of the triangle.
    const nStart = end;
    const nEnd = Math.min(Math.floor((i + 2) * every) + 1, points.length);
    let avgLat = 0;
    let avgLon = 0;
    for (let j = nStart; j < nEnd; j++) {
      avgLat += points[j][1];
      avgLon += points[j][2];
    }
    const n = Math.max(nEnd - nStart, 1);
    avgLat /= n;
    avgLon /= n;
    const [, aLat, aLon] = points[a];
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((aLat - avgLat) * (points[j][2] - aLon) - (aLat - points[j][1]) * (avgLon - aLon));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]);
    a = best;
  }
  out.push(points[points.length - 1]);
  return out;
}
