// The map: bundled base map and street tiles, stop markers, the current position of each shared
// layer with "last seen", the layer toggle and the history scrubber. Leaflet is the global `L`
// (leaflet.js, a classic script loaded before the modules run).
import { cfg, COLORS, state, tooltipText } from './page-state.js';
import { ago, fmt } from './page-time.js';
import { accessibleMap } from './page-a11y.js';

var L = window.L;

function lastSeenText(p) {
  if (!p) return cfg.labels.last_seen + ': ' + cfg.labels.no_position;
  var t = Date.parse(p.recorded_at);
  return cfg.labels.last_seen + ': ' + fmt.format(new Date(t)) + ' (' + ago(t) + ')';
}

export function setLastSeen(layer) {
  var el = document.getElementById('last-seen-' + layer);
  if (!el) return;
  var p = state.current[layer];
  el.textContent = lastSeenText(p);
  if (p) {
    el.setAttribute('data-lat', String(p.lat));
    el.setAttribute('data-lon', String(p.lon));
  }
}

export function placeMarker(layer, lat, lon) {
  if (!state.map) return;
  var m = state.markers[layer];
  if (!m) {
    m = L.circleMarker([lat, lon], { radius: 9, color: '#fff', weight: 3, fillColor: COLORS[layer], fillOpacity: 1, className: 'tl-pos tl-pos-' + layer });
    m.bindTooltip(tooltipText(cfg.labels['layer_' + layer] || layer));
    state.markers[layer] = m;
  } else {
    m.setLatLng([lat, lon]);
  }
  if (state.shown[layer] && !state.map.hasLayer(m)) m.addTo(state.map);
  var el = document.getElementById('last-seen-' + layer);
  if (el) {
    el.setAttribute('data-marker-lat', String(lat));
    el.setAttribute('data-marker-lon', String(lon));
  }
}

export function showCurrent() {
  cfg.layers.forEach(function (layer) {
    var p = state.current[layer];
    if (p) placeMarker(layer, p.lat, p.lon);
    setLastSeen(layer);
  });
}

/** A position from the live stream: the marker moves unless the visitor is scrubbing history. */
export function onPosition(p) {
  if (cfg.layers.indexOf(p.layer) === -1) return;
  state.current[p.layer] = p;
  if (state.trails[p.layer]) state.trails[p.layer].addLatLng([p.lat, p.lon]);
  if (!state.scrubbing) { placeMarker(p.layer, p.lat, p.lon); setLastSeen(p.layer); }
}

function toggleLayer(layer, on) {
  state.shown[layer] = on;
  [state.markers[layer], state.trails[layer]].forEach(function (x) {
    if (!x || !state.map) return;
    if (on && !state.map.hasLayer(x)) x.addTo(state.map);
    if (!on && state.map.hasLayer(x)) state.map.removeLayer(x);
  });
}

function fit() {
  if (!state.map) return;
  var pts = cfg.markers.map(function (m) { return [m.lat, m.lon]; });
  Object.keys(state.current).forEach(function (l) { pts.push([state.current[l].lat, state.current[l].lon]); });
  if (pts.length === 1) state.map.setView(pts[0], 9);
  else if (pts.length > 1) state.map.fitBounds(pts, { padding: [30, 30], maxZoom: 12 });
  else state.map.setView([30, 10], 2);
}

/** Reads /data for the current positions; `onGone` when the link is no longer available. */
export function loadData(refit, onGone) {
  return fetch(cfg.base + '/data', { headers: { accept: 'application/json' }, cache: 'no-store' })
    .then(function (r) {
      if (r.status === 404 || r.status === 410) { onGone(); return null; }
      return r.ok ? r.json() : null;
    })
    .then(function (d) {
      if (!d) return;
      (d.positions || []).forEach(function (p) { if (cfg.layers.indexOf(p.layer) !== -1) state.current[p.layer] = p; });
      if (!state.scrubbing) showCurrent();
      if (refit) fit();
    })
    .catch(function () {});
}

// ---- history scrubber ----
var scrubber = document.getElementById('scrubber');
var scrubTime = document.getElementById('scrubber-time');
function historyRange() {
  var min = Infinity, max = -Infinity;
  (state.history ? state.history.layers : []).forEach(function (h) {
    if (h.points.length) { min = Math.min(min, h.points[0][0]); max = Math.max(max, h.points[h.points.length - 1][0]); }
  });
  return min <= max ? [min, max] : null;
}
function scrubTo(value) {
  var range = historyRange();
  if (!range) return;
  if (Number(value) >= Number(scrubber.max)) {
    state.scrubbing = false;
    scrubTime.textContent = cfg.labels.history_latest;
    showCurrent();
    return;
  }
  state.scrubbing = true;
  var t = range[0] + ((range[1] - range[0]) * Number(value)) / Number(scrubber.max);
  scrubTime.textContent = fmt.format(new Date(t));
  state.history.layers.forEach(function (h) {
    var last = null;
    for (var i = 0; i < h.points.length && h.points[i][0] <= t; i++) last = h.points[i];
    if (last) placeMarker(h.layer, last[1], last[2]);
  });
}
function loadHistory() {
  if (!scrubber || !cfg.history) return;
  fetch(cfg.base + '/history', { headers: { accept: 'application/json' }, cache: 'no-store' })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (h) {
      if (!h || !h.layers) return;
      state.history = h;
      h.layers.forEach(function (x) {
        if (!x.points.length || !state.map) return;
        var line = L.polyline(x.points.map(function (p) { return [p[1], p[2]]; }), { color: COLORS[x.layer], weight: 3, opacity: 0.6, className: 'tl-trail tl-trail-' + x.layer });
        state.trails[x.layer] = line;
        if (state.shown[x.layer]) line.addTo(state.map);
      });
      if (historyRange()) scrubber.disabled = false;
    })
    .catch(function () {});
}

/** The link stopped showing history (or every layer): trails and the scrubber go. */
export function dropHistory() {
  Object.keys(state.trails).forEach(function (l) { if (state.map) state.map.removeLayer(state.trails[l]); });
  state.trails = {};
  state.history = null;
  document.querySelectorAll('.history').forEach(function (h) { h.remove(); });
  if (state.scrubbing) { state.scrubbing = false; showCurrent(); }
}

export function dropLayer(layer) {
  [state.markers[layer], state.trails[layer]].forEach(function (x) { if (x && state.map) state.map.removeLayer(x); });
  [state.markers, state.trails, state.current, state.shown].forEach(function (o) { delete o[layer]; });
  if (state.history) state.history.layers = state.history.layers.filter(function (h) { return h.layer !== layer; });
  document.querySelectorAll('label.layer-' + layer).forEach(function (l) { l.remove(); });
}

export function drawStops() {
  state.stops.forEach(function (m) { m.remove(); });
  state.stops = [];
  if (!state.map) return;
  cfg.markers.forEach(function (m) {
    var color = m.type === 'pickup' ? '#2e7d32' : '#c62828';
    state.stops.push(
      L.circleMarker([m.lat, m.lon], { radius: 7, color: color, weight: 3, fillColor: '#fff', fillOpacity: 1, className: 'tl-stop tl-stop-' + m.type })
        .bindTooltip(tooltipText((cfg.labels[m.type] || m.type) + (m.label ? ': ' + m.label : '')))
        .addTo(state.map),
    );
  });
}

export function bindLayerBox(box) {
  if (box) box.addEventListener('change', function () { toggleLayer(box.value, box.checked); });
}

export function removeMap() {
  if (state.map) { state.map.remove(); state.map = null; }
}

/** Draws the map when the page has one; positions from /data, then the history's trails. */
export function startMap(onGone) {
  var mapEl = document.getElementById('map');
  if (!mapEl || !L) return;
  // The attribution is server-rendered beside the map (.map-credit), as text.
  var map = L.map(mapEl, { worldCopyJump: true, attributionControl: false });
  state.map = map;
  accessibleMap(map);
  // Land, borders and city names bundled with Tracklink (basemap.js), under the tiles.
  if (window.TracklinkBaseMap) window.TracklinkBaseMap(map);
  // Tiles come from this server (/tiles/…), never from a third party; where one fails, the
  // bundled base map underneath stays visible.
  var tileUrl = mapEl.getAttribute('data-tiles');
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: Number(mapEl.getAttribute('data-max-zoom')) || 19, className: 'tl-tiles' }).addTo(map);
  drawStops();
  fit();
  document.querySelectorAll('input[name="layer"]').forEach(bindLayerBox);
  if (scrubber) scrubber.addEventListener('input', function () { scrubTo(scrubber.value); });
  loadData(true, onGone).then(loadHistory);
}
