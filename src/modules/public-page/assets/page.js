// Tracklink public page script, the entry of a few small ES modules: page-state (configuration
// from a JSON block, never inline code), page-time (dates, countdowns), page-map (Leaflet map,
// markers, layers, history) and page-live (the live stream and section refreshes). Text reaches
// the DOM only as text (textContent, text nodes): stop names are the shipper's and its customers'
// words, and Leaflet writes a string tooltip with innerHTML.
//
// The server rendered every text already (status, ETA, stops, timeline): the page shows before
// any of this runs, and the work here is spread over short tasks after the first paint (the map
// in its own, the live stream's first events in theirs, countdowns on the first tick) so a
// phone's main thread is never held long while the visitor starts reading.
import { cfg, state } from './page-state.js';
import { tickEta } from './page-time.js';
import { setLastSeen, startMap } from './page-map.js';
import { listen, notAvailable, refreshSections } from './page-live.js';

/** Runs `fn` in a task of its own once the browser has painted (and is idle, where it can tell). */
function afterPaint(fn) {
  requestAnimationFrame(function () {
    setTimeout(function () {
      if (window.requestIdleCallback) requestIdleCallback(fn, { timeout: 1000 });
      else fn();
    }, 0);
  });
}

if (cfg) {
  afterPaint(function () {
    startMap(notAvailable);
    afterPaint(listen);
  });
  // "Last seen … ago" and countdowns stay true to within a few seconds.
  setInterval(function () {
    if (!state.scrubbing) cfg.layers.forEach(setLastSeen);
    tickEta(refreshSections);
  }, 5000);
}
