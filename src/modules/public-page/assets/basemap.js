// The bundled base map under the public page's street tiles, and alone without them: land with
// its coastline, country borders and major city names (its content-hashed URL in the map's data-basemap,
// built by basemap.ts). Loaded after the first paint: the page's text comes first. City names are text
// nodes, decorative (hidden from screen readers), never focusable, and sit under the tiles, which
// carry their own names, so they show only where a tile is missing.
(function () {
  'use strict';
  var MAX_LABELS = 60;

  window.TracklinkBaseMap = function (map) {
    var L = window.L;
    map.createPane('base');
    map.getPane('base').style.zIndex = '150';
    map.createPane('baselabels');
    var labelPane = map.getPane('baselabels');
    labelPane.style.zIndex = '160';
    labelPane.setAttribute('aria-hidden', 'true');
    var labels = L.layerGroup().addTo(map);
    var cities = [];

    function decode(flat, q) {
      var pts = [];
      var x = 0;
      var y = 0;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i];
        y += flat[i + 1];
        pts.push([y * q[1] - 90, x * q[0] - 180]);
      }
      return pts;
    }

    // Largest first, so the biggest city wins where two names would overlap.
    function labelCities() {
      labels.clearLayers();
      var zoom = map.getZoom();
      var view = map.getBounds().pad(0.1);
      var placed = [];
      for (var i = 0; i < cities.length && placed.length < MAX_LABELS; i++) {
        var c = cities[i];
        if (c.minZoom > zoom || !view.contains(c.at)) continue;
        var p = map.latLngToLayerPoint(c.at);
        var box = [p.x - 5, p.y - 9, p.x + 12 + c.name.length * 7, p.y + 9];
        var clash = placed.some(function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; });
        if (clash) continue;
        placed.push(box);
        var name = document.createElement('span');
        name.className = 'tl-city-name';
        name.textContent = c.name;
        L.marker(c.at, { pane: 'baselabels', interactive: false, keyboard: false, icon: L.divIcon({ className: 'tl-city', html: name, iconSize: null, iconAnchor: [5, 9] }) }).addTo(labels);
      }
    }

    function draw(d) {
      var q = d.q;
      L.polygon(d.land.map(function (rings) { return rings.map(function (r) { return decode(r, q); }); }), {
        pane: 'base', interactive: false, color: '#9fb1bf', weight: 1, fillColor: '#eef0e8', fillOpacity: 1, className: 'tl-land',
      }).addTo(map);
      L.polyline(d.borders.map(function (l) { return decode(l, q); }), {
        pane: 'base', interactive: false, color: '#a895ad', weight: 1, dashArray: '5 3', className: 'tl-border',
      }).addTo(map);
      cities = d.cities.map(function (c) { return { at: L.latLng(c[1] * q[1] - 90, c[0] * q[0] - 180), name: c[2], minZoom: c[3] }; });
      labelCities();
      map.on('moveend', labelCities);
    }

    function load() {
      var url = map.getContainer().getAttribute('data-basemap');
      if (!url) return;
      fetch(url)
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
        .then(draw)
        .catch(function () { /* the map works without it: markers, trail and tiles */ });
    }
    requestAnimationFrame(function () { setTimeout(load, 0); });
  };
})();
