// Recent positions of the shipment's tracking sources drawn over its stops (a schematic map:
// no tiles, so it works offline and under a strict CSP), and the devices attached as layers.
import { useEffect, useState, type FormEvent } from 'react';
import { all as allPages, call, client, ApiError, PAGE_ALL } from '../api';
import { formatDateTime, relative } from '../format';
import type { Layer, Position, Shipment } from '../types';
import { FormError, SelectField, fieldError } from '../components/forms';
import { LAYERS } from '../components/linkOptions';
import { useAction, useLoad } from '../components/ui';
import { countryRings, ringsPath } from './basemap';

/** How often the map reads positions again while the page is open. */
const POSITIONS_REFRESH_MS = 30_000;
const W = 600;
const H = 320;
// Web Mercator y, in degrees so that it shares a scale with longitude.
const mercY = (lat: number) => (Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360)) * 180) / Math.PI;

export function MapCard({ s, canWrite, locale }: { s: Shipment; canWrite: boolean; locale: string }) {
  const positions = useLoad(() => {
    // Ask for the last 24 hours explicitly (plus a little slack for device clocks ahead of ours).
    const to = new Date(Date.now() + 10 * 60_000).toISOString();
    const from = new Date(Date.now() - 24 * 3600_000).toISOString();
    return call(client.GET('/api/v1/shipments/{id}/positions', { params: { path: { id: s.id }, query: { from, to, limit: 2000 } } })).then((r) => r.items);
  }, [s.id]);
  // The latest position moves while the page is open: read the track again now and then.
  const reloadPositions = positions.reload;
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reloadPositions();
    }, POSITIONS_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadPositions]);
  const pts = positions.data ?? [];
  const rings = useLoad(() => countryRings(), []);
  const stops = s.stops.filter((st) => st.lat !== null && st.lon !== null) as (Shipment['stops'][number] & { lat: number; lon: number })[];
  const all = [...stops.map((p) => [p.lon, mercY(p.lat)]), ...pts.map((p) => [p.lon, mercY(p.lat)])];
  const latest = new Map<Layer, Position>();
  for (const p of pts) latest.set(p.layer, p);

  let map = <p className="muted">Nothing to draw yet: add stop coordinates or attach a device.</p>;
  if (all.length) {
    const xs = all.map((a) => a[0]);
    const ys = all.map((a) => a[1]);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // At least ~30 km across, so a single point still shows its surroundings.
    const scale = Math.min((W - 80) / Math.max(maxX - minX, 0.3), (H - 60) / Math.max(maxY - minY, 0.3));
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    const px = (lon: number) => W / 2 + (lon - cx) * scale;
    const py = (lat: number) => H / 2 - (mercY(lat) - cy) * scale;
    const unY = (y: number) => (Math.atan(Math.sinh((y * Math.PI) / 180)) * 180) / Math.PI;
    const box = { minLon: cx - W / 2 / scale, maxLon: cx + W / 2 / scale, minLat: unY(cy - H / 2 / scale), maxLat: unY(cy + H / 2 / scale) };
    const land = rings.data ? ringsPath(rings.data, box, px, py) : '';
    const byLayer = new Map<Layer, Position[]>();
    for (const p of pts) byLayer.set(p.layer, [...(byLayer.get(p.layer) ?? []), p]);
    map = (
      <svg viewBox={`0 0 ${W} ${H}`} className="minimap" role="img" aria-label={`Map of ${stops.length} stops and ${pts.length} recent positions`}>
        <rect x="0" y="0" width={W} height={H} className="map-bg" />
        {land ? <path d={land} className="land" /> : null}
        {stops.length > 1 ? <polyline className="route" points={stops.map((st) => `${px(st.lon)},${py(st.lat)}`).join(' ')} /> : null}
        {[...byLayer].map(([layer, list]) => (
          <polyline key={layer} className={`track layer-${layer}`} points={list.map((p) => `${px(p.lon)},${py(p.lat)}`).join(' ')} />
        ))}
        {stops.map((st, i) => (
          <g key={i} className={`stop stop-${st.type}`}>
            <circle cx={px(st.lon)} cy={py(st.lat)} r="7" />
            <text x={px(st.lon) + 10} y={py(st.lat) + 4}>
              {st.name ?? `Stop ${i + 1}`}
            </text>
          </g>
        ))}
        {[...latest].map(([layer, p]) => (
          <circle key={layer} className={`now layer-${layer}`} cx={px(p.lon)} cy={py(p.lat)} r="6">
            <title>{`${layer}: ${formatDateTime(p.recorded_at, locale)}`}</title>
          </circle>
        ))}
      </svg>
    );
  }

  return (
    <section className="card span-2" aria-labelledby="map-title">
      <h2 id="map-title">Map of recent positions</h2>
      {positions.error && !(positions.error instanceof ApiError && positions.error.status === 404) ? <FormError error={positions.error} /> : null}
      {map}
      {latest.size ? (
        <ul className="legend">
          {[...latest].map(([layer, p]) => (
            <li key={layer}>
              <span className={`swatch layer-${layer}`} aria-hidden="true" /> {layer}: last seen {relative(p.recorded_at)} ({formatDateTime(p.recorded_at, locale)})
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No positions in the last 24 hours.</p>
      )}
      {s.shared_by_org_id ? null : <Sources s={s} canWrite={canWrite} locale={locale} />}
    </section>
  );
}

function Sources({ s, canWrite, locale }: { s: Shipment; canWrite: boolean; locale: string }) {
  const sources = useLoad(() => allPages((cursor) => client.GET('/api/v1/shipments/{id}/sources', { params: { path: { id: s.id }, query: { limit: PAGE_ALL, cursor } } })), [s.id]);
  const devices = useLoad(() => (canWrite ? allPages((cursor) => client.GET('/api/v1/devices', { params: { query: { limit: PAGE_ALL, cursor } } })) : Promise.resolve([])), [canWrite]);
  const [device, setDevice] = useState('');
  const [layer, setLayer] = useState<Layer>('driver');
  const [segment, setSegment] = useState('');
  const action = useAction();
  const name = (id: string) => devices.data?.find((d) => d.id === id)?.name ?? id.slice(0, 8);
  const attach = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.POST('/api/v1/shipments/{id}/sources', { params: { path: { id: s.id } }, body: { device_id: device, layer, ...(segment !== '' ? { segment: Number(segment) } : {}) } })));
    if (r) sources.reload();
  };
  const detach = async (id: string) => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/shipments/{id}/sources/{sourceId}', { params: { path: { id: s.id, sourceId: id } } }));
      return true;
    });
    if (ok) sources.reload();
  };
  if (sources.error) return null;
  return (
    <div className="sources">
      <h3>Tracking sources</h3>
      {sources.data?.length ? (
        <ul className="plain">
          {sources.data.map((src) => (
            <li key={src.id} data-detached={src.until ? 'true' : undefined} className={src.until ? 'muted' : undefined}>
              <span className={`swatch layer-${src.layer}`} aria-hidden="true" /> <strong>{src.layer}</strong> — {name(src.device_id)}
              {src.segment !== null ? ` (segment ${src.segment + 1})` : ''}{' '}
              <span className="small">
                {src.until
                  ? `detached: carried it from ${formatDateTime(src.from, locale)} until ${formatDateTime(src.until, locale)}`
                  : `from ${formatDateTime(src.from, locale)}`}
              </span>
              {canWrite && !src.until ? (
                <button type="button" className="btn tiny ghost" onClick={() => void detach(src.id)} aria-label={`Detach ${name(src.device_id)}`}>
                  Detach
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No device attached.</p>
      )}
      {canWrite && devices.data ? (
        <form className="inline-form" onSubmit={(e) => void attach(e)} noValidate aria-label="Attach a device">
          <FormError error={action.error} shown={['body/device_id', 'body/layer', 'body/segment']} />
          <SelectField label="Device" value={device} onChange={(e) => setDevice(e.target.value)} options={[{ value: '', label: devices.data.length ? 'Choose a device' : 'No devices (add one in Settings)' }, ...devices.data.map((d) => ({ value: d.id, label: d.name }))]} error={fieldError(action.error, 'body/device_id')} />
          <SelectField label="Layer" value={layer} onChange={(e) => setLayer(e.target.value as Layer)} options={LAYERS.map((l) => ({ value: l.value, label: l.label }))} error={fieldError(action.error, 'body/layer')} />
          <SelectField label="Segment" value={segment} onChange={(e) => setSegment(e.target.value)} options={[{ value: '', label: 'Whole shipment' }, ...s.segments.map((g, i) => ({ value: String(g.index ?? i), label: g.name ?? `Segment ${i + 1}` }))]} error={fieldError(action.error, 'body/segment')} />
          <button type="submit" className="btn" disabled={action.busy || !device}>
            Attach
          </button>
        </form>
      ) : null}
    </div>
  );
}
