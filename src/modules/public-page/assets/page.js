// Tracklink public page script, the entry of a few small ES modules: page-state (configuration
// from a JSON block, never inline code), page-time (dates, countdowns), page-map (Leaflet map,
// markers, layers, history) and page-live (the live stream and section refreshes). Text reaches
// the DOM only as text (textContent, text nodes): stop names are the shipper's and its customers'
// words, and Leaflet writes a string tooltip with innerHTML.
import { cfg, state } from './page-state.js';
import { tickEta } from './page-time.js';
import { setLastSeen, startMap } from './page-map.js';
import { listen, notAvailable, refreshSections } from './page-live.js';

if (cfg) {
  startMap(notAvailable);
  listen();
  tickEta(refreshSections);
  // "Last seen … ago" and countdowns stay true to within a few seconds.
  setInterval(function () {
    if (!state.scrubbing) cfg.layers.forEach(setLastSeen);
    tickEta(refreshSections);
  }, 5000);
}
