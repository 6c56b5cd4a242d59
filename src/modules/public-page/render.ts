// Server-rendered HTML of the public tracking page and its two error states. Everything but the
// map works without JavaScript; no inline script or style (strict CSP), no third-party requests.
// A page is made in two steps (pageParts, momentParts): what the shipment's public view and the
// locale decide, made once per resolution and locale by PageCache.page, and the summary and map,
// which also change with the time (the ETA's "arriving in") and the positions.
import type { PublicShipment } from '../links/public-view.js';
import { esc } from '../../shared/html.js';
import { ASSET_PREFIX, assetUrl, PAGE_MODULES } from './assets.js';
import { etaLine } from './eta-view.js';
import { agoPhrases, durationUnits, type Messages, type PageLocale } from './i18n.js';
import { timelineSection } from './timeline-view.js';
import { dateHtml, escaped, heroFigure, progressSection, section, shipmentSections } from './page-sections.js';
import { mapBody, type MapTiles } from './map-view.js';
import type { Layer } from '../positions/positions.contract.js';


/** JSON safe to embed in a non-executed <script type="application/json"> block. */
const embedJson = (v: unknown) => {
  const json = JSON.stringify(v);
  // Most configs have none of the three: one test instead of three passes that replace nothing.
  return /[<>&]/.test(json) ? json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026') : json;
};


function head(l: PageLocale, title: string, extra = ''): string {
  return `<!doctype html>
<html lang="${l.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${assetUrl('page.css')}">
${extra}</head>`;
}

type PageOrg = PublicShipment['org'];

/** The org's colour as a stylesheet link (no inline style under the CSP), when it is a colour. */
function brandCss(org: PageOrg): string {
  const c = org.brand_color && /^#[0-9a-fA-F]{6}$/.test(org.brand_color) ? org.brand_color.slice(1) : null;
  return c ? `<link rel="stylesheet" href="${ASSET_PREFIX}/brand.css?c=${c}">` : '';
}

const orgHeader = (org: PageOrg, extra = '') => `<header class="org" role="banner">
${org.logo_url ? `<img class="logo" src="${esc(org.logo_url)}" alt="">` : ''}<span class="org-name">${esc(org.name)}</span>${extra}
</header>`;

/**
 * The one "not available" page depends on the visitor's language only, never on the link: every
 * unavailable state (unknown, revoked, deleted, sharing off…) gets the same bytes. An expired
 * link's owner is known, so its page carries the org's name, logo and colour.
 */
export function renderState(kind: 'not_found', l: PageLocale): string;
export function renderState(kind: 'expired', l: PageLocale, org: PageOrg): string;
export function renderState(kind: 'not_found' | 'expired', l: PageLocale, org?: PageOrg): string {
  const title = kind === 'expired' ? l.t.expired_title : l.t.not_available_title;
  const body = kind === 'expired' ? l.t.expired_body : l.t.not_available_body;
  const branded = kind === 'expired' && org ? org : null;
  return `${head(l, branded ? `${title} · ${branded.name}` : title, branded ? brandCss(branded) : '')}
<body class="state state-${kind}">
${branded ? `${orgHeader(branded)}
` : ''}<main id="main">
<div class="card state-card">
<h1>${esc(title)}</h1>
<p>${esc(body)}</p>
</div>
</main>
</body>
</html>
`;
}

export interface PageOptions {
  base: string;
  /** Map tiles through this server, or null for the bundled base map only (TILE_URL=off). */
  tiles: MapTiles | null;
  /** The moment the page is rendered for ("arriving in …", "running late"). */
  now: number;
  /** Shown layers that have a position: only they get a row, and none means no map. */
  reported: readonly Layer[];
  /** When each reported layer's position was recorded (ISO): its "last seen", already formatted. */
  seen?: Partial<Record<Layer, string>>;
  /** False for the admin's template preview: the page as it renders, without its scripts. */
  scripts?: boolean;
}

const statusLabel = (t: Messages, s: string) => (t as unknown as Record<string, string>)[`status_${s}`] ?? s;

/**
 * "Driver and Cargo" for every group of the shown layers that can share a marker (in the layers'
 * order, as the page script groups them): joined here, because a phone's first Intl.ListFormat
 * loads language data in a long task. Kept per language and layer list (a handful of each):
 * building an Intl.ListFormat cost ~70 µs, on every render of a page.
 */
const groupNames = new Map<string, Record<string, string>>();
export function layerGroupNames(layers: readonly string[], l: PageLocale): Record<string, string> {
  const key = `${l.lang}|${layers.join(',')}`;
  let out = groupNames.get(key);
  if (out) return out;
  const names = l.t as unknown as Record<string, string>;
  const join = new Intl.ListFormat(l.lang, { type: 'conjunction' });
  out = {};
  for (let mask = 1; mask < 1 << layers.length; mask++) {
    const group = layers.filter((_, i) => mask & (1 << i));
    out[group.join('+')] = join.format(group.map((g) => names[`layer_${g}`] ?? g));
  }
  groupNames.set(key, out);
  return out;
}

/**
 * "Live tracking" only over a shipment under way whose position the page shows: a planned,
 * delivered or cancelled shipment, or one with no position yet, is "Shipment tracking".
 */
function isLive(p: PublicShipment, reported: readonly Layer[]): boolean {
  return reported.length > 0 && p.status !== 'planned' && p.status !== 'draft' && p.status !== 'delivered' && p.status !== 'cancelled';
}


// Tags that are the same on every page (asset names are fixed for the process's life), made once.
let preloadTags: string[] | null = null;
const modulePreloads = () => (preloadTags ??= PAGE_MODULES.filter((m) => m !== 'page.js').map((m) => `<link rel="modulepreload" href="${assetUrl(m)}">`));
const scriptTags: Partial<Record<'map' | 'plain', string>> = {};
const pageScripts = (map: boolean) =>
  (scriptTags[map ? 'map' : 'plain'] ??= `${map ? `<script defer src="${assetUrl('leaflet.js')}"></script>\n<script defer src="${assetUrl('basemap.js')}"></script>\n` : ''}<script type="module" src="${assetUrl('page.js')}"></script>`);

// The page config's blocks that depend on the language (or locale) only, as embedded JSON: made
// once each instead of serializing and escaping the same few hundred words on every render.
const embedded = new WeakMap<object, string>();
const embedOnce = (v: object) => {
  let s = embedded.get(v);
  if (s === undefined) {
    s = embedJson(v);
    embedded.set(v, s);
  }
  return s;
};
const configLabels = new WeakMap<Messages, object>();
function labelsOf(t: Messages): object {
  let labels = configLabels.get(t);
  if (!labels) {
    labels = {
      waypoint: t.waypoint,
      route_next: t.route_next,
      last_seen: t.last_seen,
      no_position: t.no_position,
      history_latest: t.history_latest,
      pickup: t.pickup,
      delivery: t.delivery,
      layer_driver: t.layer_driver,
      layer_cargo: t.layer_cargo,
      layer_tracker: t.layer_tracker,
      not_available_title: t.not_available_title,
      not_available_body: t.not_available_body,
      live_on: t.live_on,
      reconnecting: t.reconnecting,
      zoom_in: t.zoom_in,
      zoom_out: t.zoom_out,
    };
    configLabels.set(t, labels);
  }
  return labels;
}

/**
 * The page script's config as embedded JSON, up to its language blocks (pageTail adds them): the
 * bytes of embedJson({ base, lang, locale, timeZone, layers, history, markers, nextStop, …})
 * without its closing brace.
 */
function pageConfigHead(p: PublicShipment, l: PageLocale, base: string): string {
  const own = embedJson({ base, lang: l.lang, locale: l.locale, timeZone: l.timeZone, layers: p.map.layers, history: p.map.history, markers: p.map.markers, nextStop: p.map.next_stop });
  return own.slice(0, -1);
}

/**
 * A page's end, from its config's language blocks on: `,"layerGroups":…, "ago"?, "units"?,
 * "labels":…}` (spliced in from embedOnce: escaping works character by character, so escaping the
 * pieces is escaping the whole) and the scripts after it. It depends on the messages, language and
 * locale, the shown layers, whether there is an ETA and which scripts load, never on the link, and
 * is about half of a page's bytes: made and encoded once per combination (a handful), PageCache.page
 * copies its bytes instead of joining and encoding the same text on every first render of a link.
 */
export interface PageTail {
  readonly text: string;
  readonly bytes: Buffer;
}
const MAX_TAILS = 256;
const tails = new WeakMap<Messages, Map<string, PageTail>>();
function pageTail(p: PublicShipment, l: PageLocale, scripts: boolean): PageTail {
  let byKey = tails.get(l.t);
  if (!byKey) {
    byKey = new Map();
    tails.set(l.t, byKey);
  }
  const key = `${l.lang}|${l.locale}|${p.map.layers.join(',')}|${p.eta ? 'eta' : ''}|${scripts ? (p.map.shown ? 'map' : 'plain') : 'none'}`;
  let tail = byKey.get(key);
  if (!tail) {
    const text = `,"layerGroups":${embedOnce(layerGroupNames(p.map.layers, l))}${p.map.layers.length ? `,"ago":${embedOnce(agoPhrases(l.lang))}` : ''}${
      p.eta ? `,"units":${embedOnce(durationUnits(l))}` : ''
    },"labels":${embedOnce(labelsOf(l.t))}}</script>
${scripts ? pageScripts(p.map.shown) : ''}
</body>
</html>
`;
    tail = { text, bytes: Buffer.from(text) };
    if (byKey.size >= MAX_TAILS) byKey.clear();
    byKey.set(key, tail);
  }
  return tail;
}

/** What a render at one moment adds to its page's parts: the time, and which layers have reported when. */
export interface PageMoment {
  now: number;
  reported: readonly Layer[];
  seen?: Partial<Record<Layer, string>>;
}

/**
 * A page as far as it depends on the shipment's public view and the locale only (not on the time
 * or the positions): everything around the summary and the map section, rendered. A page is
 * `top + summary + middle + map + bottom + tail.text` (momentParts makes the summary and the map).
 */
export interface PageParts {
  readonly p: PublicShipment;
  readonly l: PageLocale;
  readonly tiles: MapTiles | null;
  readonly top: string;
  readonly middle: string;
  readonly bottom: string;
  /** The end, shared with other links' pages (pageTail). */
  readonly tail: PageTail;
  /** The summary's title, reference, status and delivery line, between its kicker and its ETA. */
  readonly summaryFacts: string;
}

export function pageParts(p: PublicShipment, l: PageLocale, o: Pick<PageOptions, 'base' | 'tiles' | 'scripts'>): PageParts {
  const { t } = l;
  const e = escaped(t);
  const dt = dateHtml(l);
  const title = p.title ?? t.shipment;
  const extraHead = [
    brandCss(p.org),
    // The page script's imports, fetched in parallel with it instead of one after another.
    ...(o.scripts === false ? [] : modulePreloads()),
    p.map.shown ? `<link rel="stylesheet" href="${assetUrl('leaflet.css')}">` : '',
  ].join('\n');
  // Filled by the page script from the live stream's state ("Live", "Reconnecting…"); empty,
  // and so invisible, without JavaScript. Present from the start so screen readers announce it.
  const liveState = `<p id="live-state" class="live-state" role="status" aria-live="polite"></p>`;
  const summaryFacts = `
<h1 id="title-h">${esc(title)}</h1>
${p.reference ? `<p class="reference">${e.reference}: <strong>${esc(p.reference)}</strong></p>` : ''}
${p.status ? `<p class="status status-${esc(p.status)}"><span class="visually-hidden">${e.status}: </span><span data-field="status">${esc(statusLabel(t, p.status))}</span></p>` : ''}
${p.status === 'delivered' && p.delivered_at && !p.eta ? `<p>${e.delivered_at}: ${dt(p.delivered_at)}</p>` : ''}
`;
  return {
    p,
    l,
    tiles: o.tiles,
    summaryFacts,
    top: `${head(l, `${title} · ${p.org.name}`, extraHead)}
<body>
<a class="skip" href="#main">${e.skip}</a>
${orgHeader(p.org, liveState)}
<main id="main">
`,
    middle: `
${heroFigure(p, title)}
${progressSection(p, t)}
`,
    bottom: `
${timelineSection(p, l)}
${shipmentSections(p, l, dt)}</main>
<footer role="contentinfo" class="muted"><p>${e.updated}: <span data-field="updated">${dt(p.updated_at)}</span></p></footer>
<script type="application/json" id="tl-config">${pageConfigHead(p, l, o.base)}`,
    tail: pageTail(p, l, o.scripts !== false),
  };
}

/** The summary (its kicker and ETA change with the positions and the time) and the map section. */
/** What momentParts reads of a page's parts (PageCache keeps only these once the rest is encoded). */
export type MomentInputs = Pick<PageParts, 'p' | 'l' | 'tiles' | 'summaryFacts'>;

export function momentParts(parts: MomentInputs, m: PageMoment): [summary: string, map: string] {
  const { p, l } = parts;
  const { t } = l;
  const e = escaped(t);
  const dt = dateHtml(l);
  const etaHtml = p.eta ? etaLine(p.eta, p.status, l, dt, m.now) : null;
  const eta =
    p.eta && etaHtml
      ? `<div class="eta eta-${etaHtml.state}"><h2>${e.eta}</h2><p class="eta-at" data-field="eta">${etaHtml.html}</p>${
          (etaHtml.state === 'arriving' || etaHtml.state === 'late') && p.eta.calculated_at
            ? `<p class="muted">${e.eta_calculated} ${dt(p.eta.calculated_at)}${p.eta.source ? ` · ${p.eta.source === 'computed' ? e.eta_source_computed : e.eta_source_manual}` : ''}</p>`
            : ''
        }</div>`
      : '';
  const summary = `<section class="card summary" aria-labelledby="title-h" data-live="summary">
<p class="kicker">${isLive(p, m.reported) ? e.tracking_live : e.tracking_plain}</p>${parts.summaryFacts}${eta}
</section>`;
  const map = p.map.shown ? section('where', t.map, mapBody(p, l, parts.tiles, m.reported, m.seen ?? {})) : '';
  return [summary, map];
}

export function renderPage(p: PublicShipment, l: PageLocale, o: PageOptions): string {
  const parts = pageParts(p, l, o);
  const [summary, map] = momentParts(parts, o);
  return `${parts.top}${summary}${parts.middle}${map}${parts.bottom}${parts.tail.text}`;
}
