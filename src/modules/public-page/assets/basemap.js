// The bundled base map under the public page's street tiles, and alone without them: land with
// its coastline, country borders and major city names, as small tiles of data (basemap-tiles.ts:
// already clipped and simplified for their zoom; their URL template in the map's data-basemap)
// drawn on canvases. Each tile is its own short task, so a phone's main thread is never held long.
// The names are drawn, not text nodes: decorative, hidden from screen readers, never focusable,
// and under the street tiles, which carry their own names, so they show only where a tile is missing.
(function () {
  'use strict';
  var LAND = '#eef0e8';
  var COAST = '#9fb1bf';
  var BORDER = '#a895ad';
  var CITY = '#33404c';
  var CITY_DOT = '#56636f';

  function path(ctx, lines, close) {
    ctx.beginPath();
    lines.forEach(function (l) {
      ctx.moveTo(l[0], l[1]);
      for (var i = 2; i < l.length; i += 2) ctx.lineTo(l[i], l[i + 1]);
      if (close) ctx.closePath();
    });
  }

  function drawTile(canvas, d, ratio) {
    var ctx = canvas.getContext('2d');
    ctx.scale(ratio, ratio);
    path(ctx, d.land, true);
    ctx.fillStyle = LAND;
    ctx.fill('evenodd');
    ctx.strokeStyle = COAST;
    ctx.lineWidth = 1;
    ctx.stroke();
    path(ctx, d.borders, false);
    ctx.strokeStyle = BORDER;
    ctx.setLineDash([5, 3]);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    d.cities.forEach(function (c) {
      ctx.beginPath();
      ctx.arc(c[0], c[1], 3, 0, 2 * Math.PI);
      ctx.fillStyle = CITY_DOT;
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#fff';
      ctx.strokeText(c[2], c[0] + 7, c[1]);
      ctx.fillStyle = CITY;
      ctx.fillText(c[2], c[0] + 7, c[1]);
    });
  }

  window.TracklinkBaseMap = function (map) {
    var L = window.L;
    var template = map.getContainer().getAttribute('data-basemap');
    if (!template) return null;
    map.createPane('base');
    map.getPane('base').style.zIndex = '150';
    var BaseTiles = L.GridLayer.extend({
      createTile: function (coords, done) {
        var size = this.getTileSize();
        var ratio = Math.min(window.devicePixelRatio || 1, 3);
        var tile = document.createElement('canvas');
        tile.width = size.x * ratio;
        tile.height = size.y * ratio;
        tile.setAttribute('aria-hidden', 'true');
        var url = template.replace('{z}', coords.z).replace('{x}', coords.x).replace('{y}', coords.y);
        fetch(url)
          .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
          .then(function (d) { drawTile(tile, d, ratio); done(null, tile); })
          .catch(function (e) { done(e, tile); });
        return tile;
      },
    });
    return new BaseTiles({ pane: 'base', className: 'tl-base', maxZoom: 19, updateWhenIdle: true, keepBuffer: 1 }).addTo(map);
  };
})();
