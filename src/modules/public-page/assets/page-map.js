// The map: bundled base map and street tiles, the markers (page-markers.js), "last seen" per
// layer, the layer toggle, the history scrubber and the view: the live position and the stop it
// heads to, else the position with its trail. Leaflet is the global `L` (leaflet.js, a deferred
// classic script before the modules, so it has run when they do).
import { cfg, COLORS, state } from './page-state.js';
import { ago, fmt } from './page-time.js';
import { accessibleMap } from './page-a11y.js';
import { drawPositions, drawStops, nextStop } from './page-markers.js';

export { drawStops };
var L = window.L;

/**
 * The time of the layer's position as text, as the server wrote it (the row's data-seen for its
 * data-at, rendered with the page; a live position's recorded_at_text), or null. Never formatted
 * here: /data is often newer than the page (a truck reporting every few seconds), and a phone's
 * first date format is a long task; the stream's snapshot brings the text right after.
 */
function seenTime(el, p) {
  if (p.recorded_at_text) {
    el.setAttribute('data-at', p.recorded_at);
    el.setAttribute('data-seen', p.recorded_at_text);
  }
  return el.getAttribute('data-at') === p.recorded_at ? el.getAttribute('data-seen') : null;
}

function lastSeenText(el, p) {
  if (!p) return cfg.labels.last_seen + ': ' + cfg.labels.no_position;
  var when = ago(Date.parse(p.recorded_at)), time = seenTime(el, p);
  return cfg.labels.last_seen + ': ' + (time ? time + ' (' + when + ')' : when);
}

export function setLastSeen(layer) {
  var el = document.getElementById('last-seen-' + layer);
  if (!el) return;
  var p = state.current[layer];
  el.textContent = lastSeenText(el, p);
  if (p) {
    el.setAttribute('data-lat', String(p.lat));
    el.setAttribute('data-lon', String(p.lon));
    // A layer's row shows once it has reported.
    var row = el.closest('label');
    if (row) row.hidden = false;
  }
}

/** The latest fix per layer, as drawn when not scrubbing. */
function currentFixes() {
  var out = {};
  Object.keys(state.current).forEach(function (l) {
    var p = state.current[l];
    out[l] = { lat: p.lat, lon: p.lon, t: Date.parse(p.recorded_at) };
  });
  return out;
}

var shownFixes = {};
function draw(fixes) {
  shownFixes = fixes;
  drawPositions(fixes);
}

/** Writes the layers' "last seen" in a task after the markers' (dates cost a phone a while the first time). */
function lastSeenSoon(layers) {
  setTimeout(function () { layers.forEach(setLastSeen); }, 0);
}

export function showCurrent() {
  draw(currentFixes());
  lastSeenSoon(cfg.layers);
}

// Layers whose live position changed since the last draw: one device's fix reaches the page as
// one event per layer (driver, then the cargo inferred from the same phone). Drawn once per frame,
// so the pair never splits into two markers between the driver's event and the cargo's.
var moved = [];
function drawMoved() {
  var layers = moved;
  moved = [];
  if (state.scrubbing) return;
  draw(currentFixes());
  lastSeenSoon(layers);
}

/** A position from the live stream: the marker moves unless the visitor is scrubbing history. */
export function onPosition(p) {
  if (cfg.layers.indexOf(p.layer) === -1) return;
  var had = state.current[p.layer];
  // The stream starts with the current positions, which the page already drew from /data: not
  // drawn again, but their time as the server wrote it replaces a bare "… ago".
  if (had && had.recorded_at === p.recorded_at && had.lat === p.lat && had.lon === p.lon) {
    if (p.recorded_at_text && !had.recorded_at_text) {
      state.current[p.layer] = p;
      lastSeenSoon([p.layer]);
    }
    return;
  }
  state.current[p.layer] = p;
  if (state.trails[p.layer]) state.trails[p.layer].addLatLng([p.lat, p.lon]);
  if (moved.indexOf(p.layer) === -1) moved.push(p.layer);
  if (moved.length === 1) requestAnimationFrame(drawMoved);
}

function toggleLayer(layer, on) {
  state.shown[layer] = on;
  var trail = state.trails[layer];
  if (trail && state.map) {
    if (on && !state.map.hasLayer(trail)) trail.addTo(state.map);
    if (!on && state.map.hasLayer(trail)) state.map.removeLayer(trail);
  }
  draw(shownFixes);
}

/**
 * The view: the live position(s) and the stop the vehicle heads to; without one, the positions
 * with their trails; a lone point never sits at a zoom that hides its trail.
 */
function fit() {
  if (!state.map) return;
  var pts = [];
  Object.keys(state.current).forEach(function (l) { if (state.shown[l]) pts.push([state.current[l].lat, state.current[l].lon]); });
  var next = nextStop();
  if (next && pts.length) pts.push([next.lat, next.lon]);
  else if (pts.length) {
    Object.keys(state.trails).forEach(function (l) {
      if (!state.shown[l]) return;
      var b = state.trails[l].getBounds();
      if (b.isValid()) { pts.push([b.getSouth(), b.getWest()]); pts.push([b.getNorth(), b.getEast()]); }
    });
  } else pts = cfg.markers.map(function (m) { return [m.lat, m.lon]; });
  if (pts.length === 1) state.map.setView(pts[0], 13);
  else if (pts.length > 1) state.map.fitBounds(pts, { padding: [40, 40], maxZoom: 14 });
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
var scrubber = null, scrubTime = null;
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
  var fixes = {};
  state.history.layers.forEach(function (h) {
    var last = null;
    for (var i = 0; i < h.points.length && h.points[i][0] <= t; i++) last = h.points[i];
    if (last) fixes[h.layer] = { lat: last[1], lon: last[2], t: last[0] };
  });
  draw(fixes);
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
        var line = L.polyline(x.points.map(function (p) { return [p[1], p[2]]; }), { color: COLORS[x.layer], weight: 3, opacity: 0.6, interactive: false, className: 'tl-trail tl-trail-' + x.layer });
        state.trails[x.layer] = line;
        if (state.shown[x.layer]) line.addTo(state.map);
      });
      if (historyRange()) scrubber.disabled = false;
      // Without a stop ahead the view is the position and its trail, now that it is known.
      if (!nextStop()) fit();
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
  if (state.trails[layer] && state.map) state.map.removeLayer(state.trails[layer]);
  [state.trails, state.current, state.shown].forEach(function (o) { delete o[layer]; });
  delete shownFixes[layer];
  if (state.history) state.history.layers = state.history.layers.filter(function (h) { return h.layer !== layer; });
  document.querySelectorAll('label.layer-' + layer).forEach(function (l) { l.remove(); });
  var keep = cfg.layers;
  cfg.layers = cfg.layers.filter(function (l) { return l !== layer; });
  draw(shownFixes);
  cfg.layers = keep;
}

export function bindLayerBox(box) {
  if (box) box.addEventListener('change', function () { toggleLayer(box.value, box.checked); });
}

export function removeMap() {
  if (state.map) { state.map.remove(); state.map = null; }
  state.markers = {};
  state.route = null;
}

/** Draws the map when the page has one; positions from /data, then the history's trails. */
export function startMap(onGone) {
  var mapEl = document.getElementById('map');
  if (!mapEl || !L || state.map) return;
  // The attribution is server-rendered beside the map (.map-credit), as text.
  var map = L.map(mapEl, { worldCopyJump: true, attributionControl: false });
  state.map = map;
  accessibleMap(map);
  // Street tiles come from this server (/tiles/…), never from a third party. Land, borders and
  // city names bundled with Tracklink (basemap.js) go under them when there are none, or from
  // the first street tile that fails (upstream unreachable): not fetched twice for nothing.
  var tileUrl = mapEl.getAttribute('data-tiles');
  var baseMap = function () { if (window.TracklinkBaseMap) window.TracklinkBaseMap(map); };
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: Number(mapEl.getAttribute('data-max-zoom')) || 19, className: 'tl-tiles' }).once('tileerror', baseMap).addTo(map);
  else baseMap();
  drawStops();
  fit();
  document.querySelectorAll('input[name="layer"]').forEach(bindLayerBox);
  scrubber = document.getElementById('scrubber');
  scrubTime = document.getElementById('scrubber-time');
  if (scrubber) scrubber.addEventListener('input', function () { scrubTo(scrubber.value); });
  loadData(true, onGone).then(loadHistory);
}
