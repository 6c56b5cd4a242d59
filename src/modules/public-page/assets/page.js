// Tracklink public page script: the map (bundled base map, street tiles, stop markers,
// current position per shared layer with "last seen"), the layer toggle, the history scrubber
// and live updates over Server-Sent Events. No inline code: configuration comes from a JSON block.
// Text reaches the DOM only as text (textContent, text nodes): stop names are the shipper's and
// its customers' words, and Leaflet writes a string tooltip with innerHTML.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var cfgEl = document.getElementById('tl-config');
  if (!cfgEl) return;
  var cfg = JSON.parse(cfgEl.textContent || '{}');
  var L = window.L;
  var COLORS = { driver: '#1565c0', cargo: '#ef6c00', tracker: '#6a1b9a' };
  var state = {
    map: null,
    current: {}, // layer -> PublicPosition
    markers: {}, // layer -> circleMarker
    trails: {}, // layer -> polyline
    shown: {}, // layer -> boolean
    history: null, // PublicHistory
    scrubbing: false,
    source: null,
    stops: [], // stop circleMarkers
    seen: {}, // event type -> last 'status'/'eta' data, to tell a real change from the stream's snapshot
  };
  cfg.layers.forEach(function (l) { state.shown[l] = true; });

  var fmt;
  try {
    fmt = new Intl.DateTimeFormat(cfg.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: cfg.timeZone, timeZoneName: 'short' });
  } catch (e) {
    fmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  var rel = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(cfg.lang, { numeric: 'auto' }) : null;
  function ago(ms) {
    var s = Math.round((ms - Date.now()) / 1000);
    if (!rel) return '';
    if (Math.abs(s) < 60) return rel.format(s, 'second');
    if (Math.abs(s) < 3600) return rel.format(Math.round(s / 60), 'minute');
    if (Math.abs(s) < 86400) return rel.format(Math.round(s / 3600), 'hour');
    return rel.format(Math.round(s / 86400), 'day');
  }
  // "1 hr 50 min", as the server renders it (eta-view.ts, i18n.ts formatDuration).
  var unitFmts = {};
  function unit(n, u) {
    if (!unitFmts[u]) {
      try { unitFmts[u] = new Intl.NumberFormat(cfg.locale, { style: 'unit', unit: u, unitDisplay: u === 'day' ? 'long' : 'short' }); } catch (e) { return n + ' ' + u; }
    }
    return unitFmts[u].format(n);
  }
  function duration(ms) {
    var minutes = Math.max(1, Math.round(Math.abs(ms) / 60000));
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days) return hours ? unit(days, 'day') + ' ' + unit(hours, 'hour') : unit(days, 'day');
    if (hours) return mins ? unit(hours, 'hour') + ' ' + unit(mins, 'minute') : unit(hours, 'hour');
    return unit(mins, 'minute');
  }
  // Keeps "arriving in …" and "(… ago)" true while the page stays open; once the ETA passes, the
  // server renders the late state.
  // Asks the server once per ETA that passes (not on every tick: the clocks may disagree).
  var etaPassed = {};
  function tickEta() {
    var now = Date.now(), due = false;
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var at = el.getAttribute('data-countdown');
      var ms = Date.parse(at) - now;
      if (ms > 0) el.textContent = duration(ms);
      else if (!etaPassed[at]) { etaPassed[at] = true; due = true; }
    });
    document.querySelectorAll('[data-since]').forEach(function (el) {
      el.textContent = duration(now - Date.parse(el.getAttribute('data-since')));
    });
    if (due) refreshSections();
  }

  /** Tooltip content as a text-only element: Leaflet would parse a string as HTML. */
  function tooltipText(text) {
    var span = document.createElement('span');
    span.textContent = text;
    return span;
  }

  function lastSeenText(p) {
    if (!p) return cfg.labels.last_seen + ': ' + cfg.labels.no_position;
    var t = Date.parse(p.recorded_at);
    return cfg.labels.last_seen + ': ' + fmt.format(new Date(t)) + ' (' + ago(t) + ')';
  }

  function setLastSeen(layer) {
    var el = document.getElementById('last-seen-' + layer);
    if (!el) return;
    var p = state.current[layer];
    el.textContent = lastSeenText(p);
    if (p) {
      el.setAttribute('data-lat', String(p.lat));
      el.setAttribute('data-lon', String(p.lon));
    }
  }

  function placeMarker(layer, lat, lon) {
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

  function showCurrent() {
    cfg.layers.forEach(function (layer) {
      var p = state.current[layer];
      if (p) placeMarker(layer, p.lat, p.lon);
      setLastSeen(layer);
    });
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

  function loadData(refit) {
    return fetch(cfg.base + '/data', { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 404 || r.status === 410) { notAvailable(); return null; }
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
  if (scrubber) scrubber.addEventListener('input', function () { scrubTo(scrubber.value); });

  // ---- live updates ----
  function notAvailable() {
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
  function refreshSections() {
    // Re-render the server-side sections (status, ETA, stops…) and follow the link's options:
    // sections and map layers it no longer shows go at once, sections it now shows appear.
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
    }, 300);
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
      // The map stays (its controls follow applyOptions); a map newly shown needs a reload.
      if (key === 'where') { if (cur) { kept[key] = true; prev = cur; } return; }
      kept[key] = true;
      if (cur) cur.replaceWith(fresh);
      else if (prev) prev.after(fresh);
      else main.prepend(fresh);
      prev = fresh;
    });
    main.querySelectorAll(':scope > [data-live]').forEach(function (el) {
      if (kept[el.getAttribute('data-live')]) return;
      if (el.getAttribute('data-live') === 'where' && state.map) { state.map.remove(); state.map = null; }
      el.remove();
    });
  }

  function dropLayer(layer) {
    [state.markers[layer], state.trails[layer]].forEach(function (x) { if (x && state.map) state.map.removeLayer(x); });
    [state.markers, state.trails, state.current, state.shown].forEach(function (o) { delete o[layer]; });
    if (state.history) state.history.layers = state.history.layers.filter(function (h) { return h.layer !== layer; });
    document.querySelectorAll('label.layer-' + layer).forEach(function (l) { l.remove(); });
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
    if (!fresh.history || !fresh.layers.length) {
      Object.keys(state.trails).forEach(function (l) { if (state.map) state.map.removeLayer(state.trails[l]); });
      state.trails = {};
      state.history = null;
      document.querySelectorAll('.history').forEach(function (h) { h.remove(); });
      if (state.scrubbing) { state.scrubbing = false; showCurrent(); }
    }
    var markersChanged = JSON.stringify(fresh.markers) !== JSON.stringify(cfg.markers);
    cfg.layers = fresh.layers;
    cfg.history = fresh.history;
    cfg.markers = fresh.markers || [];
    if (markersChanged) drawStops();
    // The stream sends positions of the layers it already carried; a newly shown one needs /data.
    if (added) loadData(false);
  }

  // ---- live state ----
  var liveEl = document.getElementById('live-state');
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
  function listen() {
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
        if (cfg.layers.indexOf(p.layer) === -1) return;
        state.current[p.layer] = p;
        if (state.trails[p.layer]) state.trails[p.layer].addLatLng([p.lat, p.lon]);
        if (!state.scrubbing) { placeMarker(p.layer, p.lat, p.lon); setLastSeen(p.layer); }
      } catch (e) { /* ignore a malformed event */ }
    });
    es.addEventListener('changed', refreshSections);
    ['status', 'eta'].forEach(function (t) { es.addEventListener(t, onSnapshotOrChange); });
    es.addEventListener('revoked', notAvailable);
  }

  // ---- map ----
  function drawStops() {
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
  function bindLayerBox(box) {
    if (box) box.addEventListener('change', function () { toggleLayer(box.value, box.checked); });
  }

  var mapEl = document.getElementById('map');
  if (mapEl && L) {
    // The attribution is server-rendered beside the map (.map-credit), as text.
    var map = L.map(mapEl, { worldCopyJump: true, attributionControl: false });
    state.map = map;
    // Land, borders and city names bundled with Tracklink (basemap.js), under the tiles.
    if (window.TracklinkBaseMap) window.TracklinkBaseMap(map);
    // Tiles come from this server (/tiles/…), never from a third party; where one fails, the
    // bundled base map underneath stays visible.
    var tileUrl = mapEl.getAttribute('data-tiles');
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: Number(mapEl.getAttribute('data-max-zoom')) || 19, className: 'tl-tiles' }).addTo(map);
    drawStops();
    fit();
    document.querySelectorAll('input[name="layer"]').forEach(bindLayerBox);
    loadData(true).then(loadHistory);
  }
  listen();
  tickEta();
  // "Last seen … ago" and countdowns stay true to within a few seconds.
  setInterval(function () { if (!state.scrubbing) cfg.layers.forEach(setLastSeen); tickEta(); }, 5000);
})();
