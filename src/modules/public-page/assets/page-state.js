// Shared state of the public page's scripts: the server's configuration (a JSON block, never
// inline code) and what the map currently shows. Every other module imports it from here.
document.documentElement.classList.add('js');
export const cfgEl = document.getElementById('tl-config');
export const cfg = cfgEl ? JSON.parse(cfgEl.textContent || '{}') : null;

export const COLORS = { driver: '#1565c0', cargo: '#ef6c00', tracker: '#6a1b9a' };

export const state = {
  map: null,
  current: {}, // layer -> PublicPosition
  markers: {}, // 'driver+cargo' (the layers at one fix) -> marker
  route: null, // dashed line to the next stop
  trails: {}, // layer -> polyline
  shown: {}, // layer -> boolean
  history: null, // PublicHistory
  scrubbing: false,
  source: null,
  gone: false,
  stops: [], // numbered stop markers
  seen: {}, // event type -> last 'status'/'eta' data, to tell a real change from the stream's snapshot
};
if (cfg) cfg.layers.forEach(function (l) { state.shown[l] = true; });

/** Tooltip content as a text-only element: Leaflet would parse a string as HTML. */
export function tooltipText(text) {
  var span = document.createElement('span');
  span.textContent = text;
  return span;
}
