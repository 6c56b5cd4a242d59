// The sections of the public page that show the shipment as resolved (progress, stops, details,
// cargo, scans, notes, photos, proof of delivery): they depend on its public view and the locale
// only, never on the time of the render or on positions, so render.ts makes them once per
// resolution and locale (pageParts). Only what the public view carries reaches them: the view is
// built from the link's policy (public-view.ts).
import type { PublicShipment } from '../links/public-view.js';
import { esc } from '../../shared/html.js';
import { formatDateTime, formatNumber, type Messages, type PageLocale } from './i18n.js';
import { scanLabel } from './timeline-view.js';

/** A rendered <time> element in the page's zone, or '' without a time. */
export type DateHtml = (iso: string | null | undefined) => string;

export function dateHtml(l: PageLocale): DateHtml {
  return (iso) => (iso ? `<time datetime="${esc(iso)}">${esc(formatDateTime(iso, l))}</time>` : '');
}

// The messages of a language, each escaped once: a page escaped the same labels (table headings
// for every row among them) on every render. One object per language (the messages are constants).
const escapedMessages = new WeakMap<Messages, Record<string, string>>();
export function escaped(t: Messages): Readonly<Record<keyof Messages, string>> {
  let e = escapedMessages.get(t);
  if (!e) {
    e = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, esc(v)]));
    escapedMessages.set(t, e);
  }
  return e as Record<keyof Messages, string>;
}

const stopLabel = (t: Messages, type: string) => (t as unknown as Record<string, string>)[type] ?? type;

function dl(rows: [string, string][]): string {
  const r = rows.filter(([, v]) => v !== '');
  if (!r.length) return '';
  return `<dl class="facts">${r.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

export const section = (id: string, heading: string, body: string) =>
  body ? `<section class="card" id="${id}" aria-labelledby="${id}-h" data-live="${id}"><h2 id="${id}-h">${esc(heading)}</h2>${body}</section>` : '';

export function heroFigure(p: PublicShipment, title: string): string {
  return p.hero_photo ? `<figure class="hero"><img src="${esc(p.hero_photo.url)}" alt="${esc(p.hero_photo.caption ?? title)}"></figure>` : '';
}

export function progressSection(p: PublicShipment, t: Messages): string {
  if (!p.progress) return '';
  const cur = p.progress.current_stage ?? -1;
  const current = `<span class="visually-hidden"> (${escaped(t).current_stage})</span>`;
  return section(
    'progress',
    t.progress,
    `<ol class="stages">${p.progress.stages
      .map((s, i) => {
        const cls = i < cur ? 'done' : i === cur ? 'current' : 'todo';
        return `<li class="${cls}"${i === cur ? ' aria-current="step"' : ''}>${esc(s)}${i === cur ? current : ''}</li>`;
      })
      .join('')}</ol>`,
  );
}

/** Stops to proof of delivery, in the page's order, each ending with a newline. */
export function shipmentSections(p: PublicShipment, l: PageLocale, dt: DateHtml): string {
  const { t } = l;
  const e = escaped(t);
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
        `<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${e.description}</th><th scope="col">${e.quantity}</th><th scope="col">${e.packaging}</th><th scope="col">${e.weight}</th></tr></thead><tbody>${p.cargo
          .map(
            (c) =>
              `<tr><td data-label="${e.description}">${esc(c.description)}</td><td data-label="${e.quantity}">${esc(formatNumber(c.quantity, l))}</td><td data-label="${e.packaging}">${esc(c.packaging ?? '')}</td><td data-label="${e.weight}">${esc(formatNumber(c.weight_kg, l))}</td></tr>`,
          )
          .join('')}</tbody></table></div>`,
      )
    : '';

  const scans = p.pallet_scans?.length
    ? section(
        'scans',
        t.pallet_scans,
        `<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${e.scanned_at}</th><th scope="col">${e.event}</th><th scope="col">${e.code}</th><th scope="col">${e.place}</th></tr></thead><tbody>${p.pallet_scans
          .map(
            (s) =>
              `<tr><td data-label="${e.scanned_at}">${dt(s.scanned_at)}</td><td data-label="${e.event}">${esc(scanLabel(t, s.event))}</td><td data-label="${e.code}">${esc(s.code ?? '')}</td><td data-label="${e.place}">${esc(s.place ?? '')}</td></tr>`,
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
        `<p><a class="button" href="${esc(p.proof_of_delivery.url)}" download>${e.pod_download}</a></p>${dl([
          [t.signed_by, esc(p.proof_of_delivery.signed_by ?? '')],
          [t.captured_at, dt(p.proof_of_delivery.captured_at)],
        ])}`,
      )
    : '';

  return `${stops}\n${details}\n${cargo}\n${scans}\n${notes}\n${photos}\n${pod}\n`;
}
