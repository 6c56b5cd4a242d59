// Server-rendered HTML of the public tracking page and its two error states. Everything but the
// map works without JavaScript; no inline script or style (strict CSP), no third-party requests.
import type { PublicShipment } from '../links/public-view.js';
import { esc } from '../../shared/html.js';
import { ASSET_PREFIX, assetUrl, PAGE_MODULES } from './assets.js';
import { etaLine } from './eta-view.js';
import { agoPhrases, durationUnits, formatDateTime, formatNumber, type Messages, type PageLocale } from './i18n.js';
import { scanLabel, timelineSection } from './timeline-view.js';
import { mapBody, type MapTiles } from './map-view.js';
import type { Layer } from '../positions/positions.contract.js';


/** JSON safe to embed in a non-executed <script type="application/json"> block. */
const embedJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');


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
const stopLabel = (t: Messages, type: string) => (t as unknown as Record<string, string>)[type] ?? type;

function dl(rows: [string, string][]): string {
  const r = rows.filter(([, v]) => v !== '');
  if (!r.length) return '';
  return `<dl class="facts">${r.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

const section = (id: string, heading: string, body: string) =>
  body ? `<section class="card" id="${id}" aria-labelledby="${id}-h" data-live="${id}"><h2 id="${id}-h">${esc(heading)}</h2>${body}</section>` : '';

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

export function renderPage(p: PublicShipment, l: PageLocale, o: PageOptions): string {
  const { t } = l;
  const dt = (iso: string | null | undefined) => (iso ? `<time datetime="${esc(iso)}">${esc(formatDateTime(iso, l))}</time>` : '');
  const title = p.title ?? t.shipment;
  const extraHead = [
    brandCss(p.org),
    // The page script's imports, fetched in parallel with it instead of one after another.
    ...(o.scripts === false ? [] : PAGE_MODULES.filter((m) => m !== 'page.js').map((m) => `<link rel="modulepreload" href="${assetUrl(m)}">`)),
    p.map.shown ? `<link rel="stylesheet" href="${assetUrl('leaflet.css')}">` : '',
  ].join('\n');

  const etaHtml = p.eta ? etaLine(p.eta, p.status, l, dt, o.now) : null;
  const eta =
    p.eta && etaHtml
      ? `<div class="eta eta-${etaHtml.state}"><h2>${esc(t.eta)}</h2><p class="eta-at" data-field="eta">${etaHtml.html}</p>${
          (etaHtml.state === 'arriving' || etaHtml.state === 'late') && p.eta.calculated_at
            ? `<p class="muted">${esc(t.eta_calculated)} ${dt(p.eta.calculated_at)}${p.eta.source ? ` · ${esc(p.eta.source === 'computed' ? t.eta_source_computed : t.eta_source_manual)}` : ''}</p>`
            : ''
        }</div>`
      : '';

  const summary = `<section class="card summary" aria-labelledby="title-h" data-live="summary">
<p class="kicker">${esc(isLive(p, o.reported) ? t.tracking_live : t.tracking_plain)}</p>
<h1 id="title-h">${esc(title)}</h1>
${p.reference ? `<p class="reference">${esc(t.reference)}: <strong>${esc(p.reference)}</strong></p>` : ''}
${p.status ? `<p class="status status-${esc(p.status)}"><span class="visually-hidden">${esc(t.status)}: </span><span data-field="status">${esc(statusLabel(t, p.status))}</span></p>` : ''}
${p.status === 'delivered' && p.delivered_at && !p.eta ? `<p>${esc(t.delivered_at)}: ${dt(p.delivered_at)}</p>` : ''}
${eta}
</section>`;

  const hero = p.hero_photo ? `<figure class="hero"><img src="${esc(p.hero_photo.url)}" alt="${esc(p.hero_photo.caption ?? title)}"></figure>` : '';

  const progress = p.progress
    ? section(
        'progress',
        t.progress,
        `<ol class="stages">${p.progress.stages
          .map((s, i) => {
            const cur = p.progress?.current_stage ?? -1;
            const cls = i < cur ? 'done' : i === cur ? 'current' : 'todo';
            return `<li class="${cls}"${i === cur ? ' aria-current="step"' : ''}>${esc(s)}${i === cur ? `<span class="visually-hidden"> (${esc(t.current_stage)})</span>` : ''}</li>`;
          })
          .join('')}</ol>`,
      )
    : '';

  const map = p.map.shown ? section('where', t.map, mapBody(p, l, o.tiles, o.reported, o.seen ?? {})) : '';

  const stops = p.stops?.length
    ? section(
        'stops',
        t.stops,
        `<ol class="stops">${p.stops
          .map(
            (s) =>
              `<li class="stop stop-${esc(s.type)}"><h3>${esc(stopLabel(t, s.type))}${s.name ? `: ${esc(s.name)}` : ''}</h3>${s.address ? `<p>${esc(s.address)}</p>` : ''}${dl([
                [t.reference, esc(s.reference ?? '')],
                [t.window, s.window_start || s.window_end ? `${dt(s.window_start)} – ${dt(s.window_end)}` : ''],
                [t.stop_eta, dt(s.eta)],
                [t.arrived, dt(s.arrived_at)],
                [t.departed, dt(s.departed_at)],
              ])}</li>`,
          )
          .join('')}</ol>`,
      )
    : '';

  const fields = [...(p.custom_fields ?? []), ...(p.extra_fields ?? [])];
  const details = section(
    'details',
    t.details,
    dl([
      [t.customer_reference, esc(p.customer_reference ?? '')],
      [t.container_number, esc(p.container_number ?? '')],
      [t.transport_service, esc(p.transport_service ?? '')],
      ...fields.map((f): [string, string] => [f.key, esc(f.value)]),
    ]),
  );

  const cargo = p.cargo?.length
    ? section(
        'cargo',
        t.cargo,
        `<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${esc(t.description)}</th><th scope="col">${esc(t.quantity)}</th><th scope="col">${esc(t.packaging)}</th><th scope="col">${esc(t.weight)}</th></tr></thead><tbody>${p.cargo
          .map(
            (c) =>
              `<tr><td data-label="${esc(t.description)}">${esc(c.description)}</td><td data-label="${esc(t.quantity)}">${esc(formatNumber(c.quantity, l))}</td><td data-label="${esc(t.packaging)}">${esc(c.packaging ?? '')}</td><td data-label="${esc(t.weight)}">${esc(formatNumber(c.weight_kg, l))}</td></tr>`,
          )
          .join('')}</tbody></table></div>`,
      )
    : '';

  const scans = p.pallet_scans?.length
    ? section(
        'scans',
        t.pallet_scans,
        `<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${esc(t.scanned_at)}</th><th scope="col">${esc(t.event)}</th><th scope="col">${esc(t.code)}</th><th scope="col">${esc(t.place)}</th></tr></thead><tbody>${p.pallet_scans
          .map(
            (s) =>
              `<tr><td data-label="${esc(t.scanned_at)}">${dt(s.scanned_at)}</td><td data-label="${esc(t.event)}">${esc(scanLabel(t, s.event))}</td><td data-label="${esc(t.code)}">${esc(s.code ?? '')}</td><td data-label="${esc(t.place)}">${esc(s.place ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table></div>`,
      )
    : '';

  const notes = p.notes?.length
    ? section('notes', t.notes, `<ul class="notes">${p.notes.map((n) => `<li><p>${esc(n.body)}</p><p class="muted">${dt(n.created_at)}</p></li>`).join('')}</ul>`)
    : '';

  const photos = p.photos.length
    ? section(
        'photos',
        t.photos,
        `<ul class="gallery">${p.photos.map((ph) => `<li><a href="${esc(ph.url)}"><img src="${esc(ph.url)}" alt="${esc(ph.caption ?? t.photos)}" loading="lazy"></a></li>`).join('')}</ul>`,
      )
    : '';

  const pod = p.proof_of_delivery
    ? section(
        'pod',
        t.pod,
        `<p><a class="button" href="${esc(p.proof_of_delivery.url)}" download>${esc(t.pod_download)}</a></p>${dl([
          [t.signed_by, esc(p.proof_of_delivery.signed_by ?? '')],
          [t.captured_at, dt(p.proof_of_delivery.captured_at)],
        ])}`,
      )
    : '';

  // Filled by the page script from the live stream's state ("Live", "Reconnecting…"); empty,
  // and so invisible, without JavaScript. Present from the start so screen readers announce it.
  const liveState = `<p id="live-state" class="live-state" role="status" aria-live="polite"></p>`;

  const config = {
    base: o.base,
    lang: l.lang,
    locale: l.locale,
    timeZone: l.timeZone,
    layers: p.map.layers,
    history: p.map.history,
    markers: p.map.markers,
    nextStop: p.map.next_stop,
    layerGroups: layerGroupNames(p.map.layers, l),
    ago: p.map.layers.length ? agoPhrases(l.lang) : undefined,
    units: p.eta ? durationUnits(l) : undefined,
    labels: {
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
    },
  };

  return `${head(l, `${title} · ${p.org.name}`, extraHead)}
<body>
<a class="skip" href="#main">${esc(t.skip)}</a>
${orgHeader(p.org, liveState)}
<main id="main">
${summary}
${hero}
${progress}
${map}
${timelineSection(p, l)}
${stops}
${details}
${cargo}
${scans}
${notes}
${photos}
${pod}
</main>
<footer role="contentinfo" class="muted"><p>${esc(t.updated)}: <span data-field="updated">${dt(p.updated_at)}</span></p></footer>
<script type="application/json" id="tl-config">${embedJson(config)}</script>
${o.scripts === false ? '' : `${p.map.shown ? `<script defer src="${assetUrl('leaflet.js')}"></script>\n<script defer src="${assetUrl('basemap.js')}"></script>\n` : ''}<script type="module" src="${assetUrl('page.js')}"></script>`}
</body>
</html>
`;
}
