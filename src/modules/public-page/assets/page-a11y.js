// The map for keyboard and screen-reader users: Leaflet's zoom buttons in the page's language
// (it ships "Zoom in"/"Zoom out" in English only), and every marker that shows a tooltip named
// by it. Chromium puts an SVG shape with focus listeners (Leaflet's tooltips add them) in the tab
// order; unnamed, it would be announced as nothing.
import { cfg } from './page-state.js';

export function accessibleMap(map) {
  var L = window.L;
  if (map.zoomControl) map.zoomControl.remove();
  L.control.zoom({ zoomInTitle: cfg.labels.zoom_in, zoomOutTitle: cfg.labels.zoom_out }).addTo(map);
  map.on('layeradd', function (e) {
    var layer = e.layer;
    var el = typeof layer.getElement === 'function' ? layer.getElement() : null;
    var tip = typeof layer.getTooltip === 'function' ? layer.getTooltip() : null;
    if (!el || !tip || el.tagName === 'DIV') return;
    var content = tip.getContent();
    var text = content && typeof content === 'object' ? content.textContent : String(content || '');
    if (!text) return;
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', text);
  });
}
