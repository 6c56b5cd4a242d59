// Drives a device along a route through the real OsmAnd endpoint, as a phone running Traccar
// Client would: one fix every `intervalS` seconds at `speedKmh`. Used by `tracklink simulate`
// and by the demo's moving truck.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { bearingDeg, haversineM } from './geo.js';

export type LatLon = [number, number];

/** Rotterdam Waalhaven → Utrecht Vredenburg along the A15/A20/A12, the demo order's route. */
const ROTTERDAM_UTRECHT: LatLon[] = [
  [51.8926, 4.4278], [51.8862, 4.4705], [51.8905, 4.5206], [51.9201, 4.5412], [51.9583, 4.5627],
  [51.9921, 4.6311], [52.0183, 4.7295], [52.0452, 4.8598], [52.0801, 4.9507], [52.0852, 5.0306],
  [52.0903, 5.0811], [52.0927, 5.1143],
];
/** Port of Antwerp → Venlo along the E34/A67. */
const ANTWERP_VENLO: LatLon[] = [
  [51.2637, 4.3953], [51.2405, 4.4791], [51.2212, 4.6520], [51.2166, 4.9412], [51.2505, 5.2303],
  [51.3012, 5.4806], [51.3401, 5.7302], [51.3622, 5.9611], [51.3704, 6.1724],
];

export const BUILTIN_ROUTES: Record<string, LatLon[]> = {
  builtin: ROTTERDAM_UTRECHT,
  'rotterdam-utrecht': ROTTERDAM_UTRECHT,
  'antwerp-venlo': ANTWERP_VENLO,
};

/** Track points (trkpt) of a GPX file, else its route points (rtept), else its waypoints. */
export function parseGpx(xml: string): LatLon[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['trk', 'trkseg', 'trkpt', 'rte', 'rtept', 'wpt'].includes(name) });
  type Pt = { lat?: string; lon?: string };
  const doc = parser.parse(xml) as { gpx?: { trk?: { trkseg?: { trkpt?: Pt[] }[] }[]; rte?: { rtept?: Pt[] }[]; wpt?: Pt[] } };
  const gpx = doc.gpx;
  if (!gpx) throw new Error('not a GPX document (no <gpx> root)');
  const trk = (gpx.trk ?? []).flatMap((t) => (t.trkseg ?? []).flatMap((s) => s.trkpt ?? []));
  const rte = (gpx.rte ?? []).flatMap((r) => r.rtept ?? []);
  const pts = trk.length ? trk : rte.length ? rte : (gpx.wpt ?? []);
  const out = pts.map((p): LatLon => [Number(p.lat), Number(p.lon)]).filter(([lat, lon]) => Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180);
  if (out.length < 2) throw new Error('the GPX file needs at least two points');
  return out;
}

export function loadRoute(nameOrFile: string): LatLon[] {
  return BUILTIN_ROUTES[nameOrFile] ?? parseGpx(readFileSync(nameOrFile, 'utf8'));
}

/** Positions every `stepM` metres of distance along the polyline (and its last point), with the heading of the leg. */
export function* walk(route: LatLon[], stepM: number): Generator<{ lat: number; lon: number; heading: number }> {
  let next = 0; // distance along the route of the next fix
  let travelled = 0;
  for (let i = 1; i < route.length; i++) {
    const [aLat, aLon] = route[i - 1];
    const [bLat, bLon] = route[i];
    const len = haversineM(aLat, aLon, bLat, bLon);
    const heading = bearingDeg(aLat, aLon, bLat, bLon);
    while (next <= travelled + len) {
      const f = len === 0 ? 0 : (next - travelled) / len;
      yield { lat: aLat + (bLat - aLat) * f, lon: aLon + (bLon - aLon) * f, heading };
      next += stepM;
    }
    travelled += len;
  }
  const [lat, lon] = route[route.length - 1];
  if (next - stepM < travelled) yield { lat, lon, heading: bearingDeg(route[route.length - 2][0], route[route.length - 2][1], lat, lon) };
}

export interface SimulationOptions {
  baseUrl: string;
  /** Sent as `id`; optional with a token. */
  externalId?: string;
  /** The device token: fixes go to the device's secret URL /ingest/osmand/<token>. */
  token?: string;
  route: LatLon[];
  speedKmh: number;
  intervalS: number;
  /** Real milliseconds between fixes; defaults to intervalS (real time). Tests speed it up. */
  paceMs?: number;
  loop?: boolean;
  maxFixes?: number;
  signal?: AbortSignal;
  /** Extra request headers (the demo marks its own truck's requests so they are logged at debug). */
  headers?: Record<string, string>;
  onFix?: (fix: { lat: number; lon: number; status: number | null }) => void;
}

const KNOT_MPS = 1852 / 3600;

export async function runSimulation(o: SimulationOptions): Promise<number> {
  const speed = o.speedKmh / 3.6;
  const pace = o.paceMs ?? o.intervalS * 1000;
  let sent = 0;
  let clock = Date.now();
  do {
    for (const p of walk(o.route, speed * o.intervalS)) {
      if (o.signal?.aborted || (o.maxFixes !== undefined && sent >= o.maxFixes)) return sent;
      const q = new URLSearchParams({
        ...(o.externalId ? { id: o.externalId } : {}),
        timestamp: String(Math.floor((o.paceMs === undefined ? Date.now() : clock) / 1000)),
        lat: p.lat.toFixed(6),
        lon: p.lon.toFixed(6),
        speed: (speed / KNOT_MPS).toFixed(1),
        bearing: p.heading.toFixed(1),
        accuracy: '8',
        batt: '87',
      });
      let status: number | null = null;
      try {
        // POST with parameters in the query string and an empty body, exactly like Traccar Client.
        const r = await fetch(`${o.baseUrl}/ingest/osmand${o.token ? `/${encodeURIComponent(o.token)}` : ''}?${q}`, { method: 'POST', headers: o.headers, signal: o.signal });
        status = r.status;
        await r.arrayBuffer();
      } catch {
        if (o.signal?.aborted) return sent;
        // The server is restarting or unreachable: keep driving, as a phone would.
      }
      sent++;
      o.onFix?.({ lat: p.lat, lon: p.lon, status });
      clock += o.intervalS * 1000;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pace);
        o.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
  } while (o.loop);
  return sent;
}
