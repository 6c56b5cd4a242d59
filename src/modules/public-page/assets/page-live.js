// Live updates over Server-Sent Events: positions move the markers, a 'changed' event re-renders
// the server's sections and follows the link's options, 'revoked' turns the page into "not
// available", and a pill in the header says "Live" or "Reconnecting…".
import { cfg, state } from './page-state.js';
import { bindLayerBox, dropHistory, dropLayer, drawStops, loadData, onPosition, removeMap, showCurrent, startMap } from './page-map.js';

var liveEl = document.getElementById('live-state');

export function notAvailable() {
  state.gone = true;
  if (state.source) state.source.close();
  if (liveEl) { liveEl.textContent = ''; liveEl.removeAttribute('data-state'); }
  var main = document.getElementById('main');
  if (!main) return;
  while (main.firstChild) main.removeChild(main.firstChild);
  var card = document.createElement('section');
  card.className = 'card state-card';
  var h = document.createElement('h1');
  h.textContent = cfg.labels.not_available_title;
  var p = document.createElement('p');
  p.textContent = cfg.labels.not_available_body;
  card.appendChild(h);
  card.appendChild(p);
  main.appendChild(card);
}

var refreshTimer = null;
/**
 * Re-renders the server-side sections (status, ETA, stops, timeline…) and follows the link's
 * options: sections and map layers it no longer shows go at once, sections it now shows appear.
 */
export function refreshSections(delayMs) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(function () {
    fetch(location.pathname, { headers: { 'x-tracklink-refresh': '1' }, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 404 || r.status === 410) { notAvailable(); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html || state.gone) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var freshCfg = doc.getElementById('tl-config');
        if (freshCfg) applyOptions(JSON.parse(freshCfg.textContent || '{}'), doc);
        applySections(doc);
        var upd = doc.querySelector('[data-field="updated"]');
        var cur = document.querySelector('[data-field="updated"]');
        if (upd && cur) cur.textContent = upd.textContent;
      })
      .catch(function () {});
  }, typeof delayMs === 'number' ? delayMs : 300);
}

/**
 * After the server lost its live bus, every viewer it holds gets `changed` at the same moment:
 * those refetches are spread over RESYNC_SPREAD_MS, so thousands of pages do not ask at once.
 */
var RESYNC_SPREAD_MS = 10000;
function onChanged(ev) {
  var resync = false;
  try { resync = JSON.parse(ev.data).resync === true; } catch (e) { /* an older server: {} */ }
  refreshSections(resync ? 300 + Math.floor(Math.random() * RESYNC_SPREAD_MS) : 300);
}

/** Replaces each section with its fresh version, inserts new ones in place, removes the gone. */
function applySections(doc) {
  var main = document.getElementById('main');
  if (!main) return;
  var current = function (key) { return main.querySelector(':scope > [data-live="' + key + '"]'); };
  var kept = {}, prev = null;
  doc.querySelectorAll('#main > [data-live]').forEach(function (fresh) {
    var key = fresh.getAttribute('data-live');
    var cur = current(key);
    // The map stays (its controls follow applyOptions, its legend is swapped); a map that was a
    // "no position yet" note becomes the map once there is one.
    if (key === 'where' && cur && cur.querySelector('#map')) {
      kept[key] = true;
      prev = cur;
      var legend = cur.querySelector('.map-legend'), freshLegend = fresh.querySelector('.map-legend');
      if (legend && freshLegend) legend.replaceWith(freshLegend);
      else if (freshLegend) cur.querySelector('.map-wrap').after(freshLegend);
      else if (legend) legend.remove();
      return;
    }
    kept[key] = true;
    if (cur) cur.replaceWith(fresh);
    else if (prev) prev.after(fresh);
    else main.prepend(fresh);
    prev = fresh;
  });
  if (!state.map && document.getElementById('map')) startMap(notAvailable);
  main.querySelectorAll(':scope > [data-live]').forEach(function (el) {
    if (kept[el.getAttribute('data-live')]) return;
    if (el.getAttribute('data-live') === 'where') removeMap();
    el.remove();
  });
}

/** Follows the link's fresh configuration: layers, history and stop markers it shows. */
function applyOptions(fresh, doc) {
  if (!fresh.layers) return;
  var added = false;
  cfg.layers.forEach(function (layer) { if (fresh.layers.indexOf(layer) === -1) dropLayer(layer); });
  var fieldset = document.querySelector('fieldset.layers');
  if (!fresh.layers.length && fieldset) fieldset.remove();
  fresh.layers.forEach(function (layer) {
    if (cfg.layers.indexOf(layer) !== -1) return;
    added = true;
    state.shown[layer] = true;
    var label = doc.querySelector('label.layer-' + layer);
    if (fieldset && label) { fieldset.appendChild(label); bindLayerBox(label.querySelector('input')); }
  });
  if (!fresh.history || !fresh.layers.length) dropHistory();
  var markersChanged = JSON.stringify(fresh.markers) !== JSON.stringify(cfg.markers);
  var nextChanged = fresh.nextStop !== cfg.nextStop;
  cfg.layers = fresh.layers;
  cfg.layerGroups = fresh.layerGroups;
  cfg.ago = fresh.ago;
  cfg.units = fresh.units;
  cfg.history = fresh.history;
  cfg.markers = fresh.markers || [];
  cfg.nextStop = fresh.nextStop === undefined ? null : fresh.nextStop;
  if (markersChanged) drawStops();
  // The dashed line follows the stop the vehicle now heads to.
  if ((markersChanged || nextChanged) && !state.scrubbing) showCurrent();
  // The stream sends positions of the layers it already carried; a newly shown one needs /data.
  if (added) loadData(false, notAvailable);
}

function setStreamState(open) {
  document.body.setAttribute('data-stream', open ? 'open' : 'closed');
  if (!liveEl || state.gone) return;
  var text = open ? cfg.labels.live_on : cfg.labels.reconnecting;
  // Unchanged text is not written again: the live region would announce it again.
  if (liveEl.textContent !== text) liveEl.textContent = text;
  liveEl.setAttribute('data-state', open ? 'open' : 'closed');
}

/**
 * On every (re)connect the stream sends its snapshot: current positions, then status and ETA.
 * The page was rendered with those, so the first of each only sets what is known; a later one
 * that differs (a change while the stream was down, or live) re-renders the sections.
 */
function onSnapshotOrChange(ev) {
  var before = state.seen[ev.type];
  state.seen[ev.type] = ev.data;
  if (before !== undefined && before !== ev.data) refreshSections();
}

var retryMs = 5000;
export function listen() {
  if (!window.EventSource || state.gone) return;
  var es = new EventSource(cfg.base + '/events');
  state.source = es;
  es.addEventListener('open', function () { retryMs = 5000; setStreamState(true); });
  es.addEventListener('error', function () {
    setStreamState(false);
    // The browser re-opens a dropped stream by itself, but gives up on a refused one (429 from
    // the per-IP cap, 503 while an instance drains): try again later. The new stream's snapshot
    // (current positions, status, ETA) catches up on what was missed.
    if (es.readyState !== 2 || state.gone) return;
    setTimeout(listen, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  });
  es.addEventListener('position', function (ev) {
    try {
      var p = JSON.parse(ev.data);
      // The first position of a link that had none: the page gets its map.
      if (!state.map && document.getElementById('map-none') && cfg.layers.indexOf(p.layer) !== -1) refreshSections();
      onPosition(p);
    } catch (e) { /* ignore a malformed event */ }
  });
  es.addEventListener('changed', onChanged);
  ['status', 'eta'].forEach(function (t) { es.addEventListener(t, onSnapshotOrChange); });
  es.addEventListener('revoked', notAvailable);
}
