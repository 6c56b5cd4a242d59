// What the map draws on top of the base map: one marker per device position (layers reporting
// the same fix, e.g. the driver and the cargo inferred from the driver's phone, share one marker
// whose label names both), numbered stop markers, and a dashed line from the live position to
// the stop the vehicle heads to. Markers are aria-hidden and never focusable: the legend and the
// layer rows beside the map carry their text. Labels are text nodes, never parsed HTML.
import { cfg, state, tooltipText } from './page-state.js';

var L = window.L;
var SVG = 'http://www.w3.org/2000/svg';
// Material Design icons (Apache 2.0): a truck for the driver, a parcel for cargo, a fix for a tracker.
var ICONS = {
  driver: 'M20 8h-3V4H3c-1.1 0-2 .9-2 2v11h2c0 1.66 1.34 3 3 3s3-1.34 3-3h6c0 1.66 1.34 3 3 3s3-1.34 3-3h2v-5l-3-4zM6 18.5c-.83 0-1.5-.67-1.5-1.5s.67-1.5 1.5-1.5 1.5.67 1.5 1.5-.67 1.5-1.5 1.5zm13.5-9 1.96 2.5H17V9.5h2.5zm-1.5 9c-.83 0-1.5-.67-1.5-1.5s.67-1.5 1.5-1.5 1.5.67 1.5 1.5-.67 1.5-1.5 1.5z',
  cargo: 'M20 2H4c-1 0-2 .9-2 2v3.01c0 .72.43 1.34 1 1.69V20c0 1.1 1.1 2 2 2h14c.9 0 2-.9 2-2V8.7c.57-.35 1-.97 1-1.69V4c0-1.1-1-2-2-2zm-5 12H9v-2h6v2zm5-7H4V4h16v3z',
  tracker: 'M12 8c-2.21 0-4 1.79-4 4s1.79 4 4 4 4-1.79 4-4-1.79-4-4-4zm8.94 3A8.994 8.994 0 0 0 13 3.06V1h-2v2.06A8.994 8.994 0 0 0 3.06 11H1v2h2.06A8.994 8.994 0 0 0 11 20.94V23h2v-2.06A8.994 8.994 0 0 0 20.94 13H23v-2h-2.06zM12 19c-3.87 0-7-3.13-7-7s3.13-7 7-7 7 3.13 7 7-3.13 7-7 7z',
};

function icon(kind) {
  var svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('focusable', 'false');
  var path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[kind]);
  svg.appendChild(path);
  return svg;
}

/** "Driver and Cargo" in the page's language (joined by the server, render.ts). */
function names(layers) {
  var joined = cfg.layerGroups && cfg.layerGroups[layers.join('+')];
  if (joined) return joined;
  var words = layers.map(function (l) { return cfg.labels['layer_' + l] || l; });
  try { return new Intl.ListFormat(cfg.lang, { type: 'conjunction' }).format(words); } catch (e) { return words.join(' + '); }
}

function hideFromAT(marker) {
  var el = marker.getElement && marker.getElement();
  if (el) el.setAttribute('aria-hidden', 'true');
}

function positionMarker(layers, p) {
  var kind = layers.indexOf('driver') !== -1 ? 'driver' : layers[0];
  var m = L.marker([p.lat, p.lon], {
    keyboard: false,
    zIndexOffset: 1000,
    icon: L.divIcon({ html: icon(kind), className: 'tl-pos tl-pos-icon-' + kind + ' ' + layers.map(function (l) { return 'tl-pos-' + l; }).join(' '), iconSize: [34, 34], iconAnchor: [17, 17] }),
  });
  m.bindTooltip(tooltipText(names(layers)), { permanent: true, direction: 'auto', offset: [16, 0], className: 'tl-pos-label' });
  m.on('add', function () { hideFromAT(m); });
  return m;
}

/**
 * Draws the given fix per layer (layer -> { lat, lon, t }) for the layers switched on: one marker
 * per distinct fix. Returns the newest fix drawn, for the route line.
 */
export function drawPositions(fixes) {
  if (!state.map) return null;
  var groups = {}, order = [], newest = null;
  cfg.layers.forEach(function (layer) {
    var f = fixes[layer];
    if (!f || !state.shown[layer]) return;
    var key = f.lat + ',' + f.lon + ',' + f.t;
    if (!groups[key]) { groups[key] = { fix: f, layers: [] }; order.push(key); }
    groups[key].layers.push(layer);
    if (!newest || f.t > newest.t) newest = f;
  });
  var keep = {};
  order.forEach(function (key) {
    var g = groups[key], id = g.layers.join('+');
    keep[id] = true;
    var m = state.markers[id];
    if (!m) { m = positionMarker(g.layers, g.fix); state.markers[id] = m; m.addTo(state.map); }
    else m.setLatLng([g.fix.lat, g.fix.lon]);
    g.layers.forEach(function (layer) {
      var el = document.getElementById('last-seen-' + layer);
      if (el) { el.setAttribute('data-marker-lat', String(g.fix.lat)); el.setAttribute('data-marker-lon', String(g.fix.lon)); }
    });
  });
  Object.keys(state.markers).forEach(function (id) {
    if (keep[id]) return;
    state.map.removeLayer(state.markers[id]);
    delete state.markers[id];
  });
  drawRoute(newest);
  return newest;
}

/** The stop the vehicle heads to, or null. */
export function nextStop() {
  if (cfg.nextStop === null || cfg.nextStop === undefined) return null;
  for (var i = 0; i < cfg.markers.length; i++) if (cfg.markers[i].number === cfg.nextStop) return cfg.markers[i];
  return null;
}

function drawRoute(from) {
  var to = nextStop();
  if (state.route) { state.map.removeLayer(state.route); state.route = null; }
  if (!from || !to) return;
  state.route = L.polyline([[from.lat, from.lon], [to.lat, to.lon]], { color: '#37474f', weight: 3, opacity: 0.8, dashArray: '6 8', interactive: false, className: 'tl-route' }).addTo(state.map);
}

export function drawStops() {
  state.stops.forEach(function (m) { m.remove(); });
  state.stops = [];
  if (!state.map) return;
  cfg.markers.forEach(function (s) {
    var badge = document.createElement('span');
    badge.textContent = String(s.number);
    var m = L.marker([s.lat, s.lon], {
      keyboard: false,
      icon: L.divIcon({ html: badge, className: 'tl-stop tl-stop-' + s.type, iconSize: [26, 26], iconAnchor: [13, 13] }),
    });
    m.bindTooltip(tooltipText((cfg.labels[s.type] || s.type) + (s.label ? ': ' + s.label : '')), { className: 'tl-stop-tip', direction: 'top', offset: [0, -12] });
    m.on('add', function () { hideFromAT(m); });
    state.stops.push(m.addTo(state.map));
  });
}
