// The map section of the public page: the map (drawn by the page script), a legend of the
// numbered stops and the dashed route, and one row per layer that has reported (toggle and "last
// seen"). A link that shows no position at all gets a one-line note instead of an empty map.
import type { Layer } from '../positions/positions.contract.js';
import type { PublicShipment } from '../links/public-view.js';
import { esc } from '../../shared/html.js';
import { baseMapTilesUrl } from './assets.js';
import { seenFormat, type Messages, type PageLocale } from './i18n.js';

export interface MapTiles {
  url: string;
  maxZoom: number;
  attribution: string;
  attributionUrl: string;
}

const stopWord = (t: Messages, type: string) => (t as unknown as Record<string, string>)[type] ?? type;

/** The layers' names as the map's labels say them (a marker of two layers names both). */
export const layerNames = (t: Messages): Record<Layer, string> => ({ driver: t.layer_driver, cargo: t.layer_cargo, tracker: t.layer_tracker });

/**
 * A layer's "last seen", the time formatted here (data-seen, for the page script, which adds
 * "… ago" and keeps it ticking): a phone's first date format of its own is a long task.
 */
function lastSeen(layer: Layer, at: string | undefined, l: PageLocale): string {
  const ms = at ? Date.parse(at) : NaN;
  if (Number.isNaN(ms)) return `<span class="last-seen" id="last-seen-${layer}" data-layer="${layer}">${esc(l.t.last_seen)}: ${esc(l.t.no_position)}</span>`;
  const text = seenFormat(l).format(ms);
  return `<span class="last-seen" id="last-seen-${layer}" data-layer="${layer}" data-at="${esc(at as string)}" data-seen="${esc(text)}">${esc(l.t.last_seen)}: ${esc(text)}</span>`;
}

/** The section's inner HTML; `reported` are the shown layers that have a position, recorded at `seen`. */
export function mapBody(p: PublicShipment, l: PageLocale, tiles: MapTiles | null, reported: readonly Layer[], seen: Partial<Record<Layer, string>>): string {
  const { t } = l;
  // Nothing to place: a note, no map. The page script asks for the map once a position arrives.
  if (!reported.length) return `<p class="muted map-none" id="map-none">${esc(t.map_no_position)}</p>`;
  const names = layerNames(t);
  const map = `<div class="map-wrap"><div id="map" class="map" role="region" aria-label="${esc(t.map)}" data-basemap="${baseMapTilesUrl()}"${
    tiles ? ` data-tiles="${esc(tiles.url)}" data-max-zoom="${tiles.maxZoom}"` : ''
  }></div>${
    // City names of the bundled base map come from GeoNames (CC BY 4.0): credited as text.
    `<p class="map-credit">${tiles?.attribution ? `<a href="${esc(tiles.attributionUrl)}" target="_blank" rel="noopener noreferrer">${esc(tiles.attribution)}</a> · ` : ''}GeoNames</p>`
  }</div>
<noscript><p class="muted">${esc(t.map_needs_js)}</p></noscript>`;
  // The markers are drawn aria-hidden: this legend carries their text.
  const stops = p.map.markers.map(
    (m) =>
      `<li class="legend-stop"><span class="stop-badge stop-badge-${m.type}" aria-hidden="true">${m.number}</span>${esc(stopWord(t, m.type))}${m.label ? `: ${esc(m.label)}` : ''}</li>`,
  );
  if (p.map.next_stop !== null && p.map.markers.length) stops.push(`<li class="legend-route"><span class="route-swatch" aria-hidden="true"></span>${esc(t.route_next)}</li>`);
  const legend = stops.length ? `<ul class="map-legend js-only" aria-label="${esc(t.legend)}">${stops.join('')}</ul>` : '';
  // Every shown layer has its row; those without a position yet stay hidden until one arrives.
  const layers = p.map.layers.length
    ? `<fieldset class="layers js-only"><legend>${esc(t.layers)}</legend>${p.map.layers
        .map(
          (ly) =>
            `<label class="layer layer-${ly}"${reported.includes(ly) ? '' : ' hidden'}><input type="checkbox" name="layer" value="${ly}" checked> <span class="layer-swatch layer-swatch-${ly}" aria-hidden="true"></span>${esc(names[ly])} ${lastSeen(ly, seen[ly], l)}</label>`,
        )
        .join('')}</fieldset>`
    : '';
  const history =
    p.map.history && p.map.layers.length
      ? `<div class="history js-only"><label for="scrubber">${esc(t.history)}</label><input type="range" id="scrubber" min="0" max="1000" value="1000" step="1" disabled><output id="scrubber-time" for="scrubber">${esc(t.history_latest)}</output></div>`
      : '';
  return `${map}\n${legend}\n${layers}\n${history}`;
}
