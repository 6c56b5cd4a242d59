// Reading what a scope shows: the points of each visible window (a device's attachment window
// clipped to the shipment's life and to the request's bounds), per layer, merged across windows.
import type { Layer } from './types.js';
import type { TrackPoint } from './downsample.js';
import type { PositionsRepository, StoredPoint } from './positions.repository.js';
import { finite, type VisibleWindows, type Window } from './scope.js';

/** Each visible window of the scope within bounds, as finite query bounds, with its device and layer. */
function* visibleSpans(visible: VisibleWindows, bounds: Window): Generator<{ deviceId: string; layer: Layer; from: number; to: number }> {
  for (const e of visible.entries) {
    for (const w of e.windows) {
      const f = Math.max(w[0], bounds[0]);
      const t = Math.min(w[1], bounds[1]);
      if (f > t) continue;
      const [from, to] = finite([f, t]);
      yield { deviceId: e.deviceId, layer: e.layer, from, to };
    }
  }
}

/** Visible points per layer within bounds, oldest first, de-duplicated across overlapping windows. */
export async function collectPoints(repo: PositionsRepository, visible: VisibleWindows, bounds: Window, limit: number): Promise<Map<Layer, StoredPoint[]>> {
  const out = new Map<Layer, Map<string, StoredPoint>>();
  for (const span of visibleSpans(visible, bounds)) {
    const pts = await repo.pointsBetween(visible.orgId, span.deviceId, span.from, span.to, limit);
    const layer = out.get(span.layer) ?? new Map<string, StoredPoint>();
    for (const p of pts) layer.set(`${p.device_id}:${p.recorded_at}`, p);
    out.set(span.layer, layer);
  }
  const sorted = new Map<Layer, StoredPoint[]>();
  for (const [layer, m] of out) sorted.set(layer, [...m.values()].sort((a, b) => a.recorded_at - b.recorded_at));
  return sorted;
}

/**
 * Like collectPoints, for a history: [t, lat, lon] per layer and how many points it stands for. A
 * window with more than `sample.above` points is read as the first point of each of
 * `sample.buckets` time buckets (plus its last point), which downsample() then reduces as before.
 * A layer fed by one window of one device (the usual case) is used as read; only several are merged.
 */
export async function collectTracks(
  repo: PositionsRepository,
  visible: VisibleWindows,
  bounds: Window,
  limit: number,
  sample: { above: number; buckets: number },
): Promise<Map<Layer, { track: TrackPoint[]; total: number }>> {
  const parts = new Map<Layer, { deviceId: string; track: TrackPoint[]; n: number; sampled: boolean }[]>();
  for (const { deviceId, layer, from, to } of visibleSpans(visible, bounds)) {
    const stats = await repo.trackStats(visible.orgId, deviceId, from, to);
    if (stats.n === 0) continue;
    let track: TrackPoint[];
    const sampled = stats.n > sample.above;
    if (sampled) {
      const width = Math.max(1, Math.ceil((stats.last - stats.first + 1) / sample.buckets));
      track = await repo.trackSampled(visible.orgId, deviceId, stats.first, stats.last, width);
      const end = track.at(-1);
      if (end && end[0] !== stats.last) track.push(...(await repo.trackBetween(visible.orgId, deviceId, stats.last, stats.last, 1)));
    } else {
      track = await repo.trackBetween(visible.orgId, deviceId, from, to, limit);
    }
    const list = parts.get(layer) ?? [];
    list.push({ deviceId, track, n: sampled ? stats.n : track.length, sampled });
    parts.set(layer, list);
  }
  const out = new Map<Layer, { track: TrackPoint[]; total: number }>();
  for (const [layer, list] of parts) {
    if (list.length === 1) {
      out.set(layer, { track: list[0].track, total: list[0].n });
      continue;
    }
    const seen = new Map<string, TrackPoint>();
    for (const { deviceId, track } of list) for (const p of track) seen.set(`${deviceId}:${p[0]}`, p);
    const track = [...seen.values()].sort((a, b) => a[0] - b[0]);
    // Overlapping sampled windows may count a point twice in total; their track has no duplicates.
    const total = list.some((x) => x.sampled) ? Math.max(track.length, list.reduce((n, x) => n + x.n, 0)) : track.length;
    out.set(layer, { track, total });
  }
  return out;
}
