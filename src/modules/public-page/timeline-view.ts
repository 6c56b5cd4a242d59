// The timeline section of the public page ("What happened"), newest first, in the visitor's
// language: the entries come as codes from links/public-timeline.ts, already cut to what the
// link shows; here they only get their words. Data (stop names, stages, scan codes) as text.
import type { PublicShipment } from '../links/public-view.js';
import { esc } from '../../shared/html.js';
import { formatDateTime, type Messages, type PageLocale } from './i18n.js';

type Entry = PublicShipment['timeline'][number];
const word = (t: Messages, key: string): string | undefined => (t as unknown as Record<string, string>)[key];

/** A pallet scan's event in words: the known ones translated, any other as the shipper wrote it. */
export function scanLabel(t: Messages, event: string): string {
  return word(t, `scan_${event.trim().toLowerCase()}`) ?? `${t.scan_other}: ${event}`;
}

/** The stop as the page names it: its name, else its kind and number (as on the map). */
export const stopName = (t: Messages, stop: NonNullable<Entry['stop']>) => stop.name ?? `${word(t, stop.type) ?? stop.type} ${stop.index + 1}`;

function describe(t: Messages, e: Entry): [what: string, detail: string] {
  switch (e.type) {
    case 'created':
      return [t.tl_created, ''];
    case 'picked_up':
      return [t.tl_picked_up, e.stop ? stopName(t, e.stop) : ''];
    case 'departed':
      return [t.departed, e.stop ? stopName(t, e.stop) : ''];
    case 'arrived':
      return [t.arrived, e.stop ? stopName(t, e.stop) : ''];
    case 'delivered':
      return [t.status_delivered, ''];
    case 'status':
      return [word(t, `status_${e.status ?? ''}`) ?? e.status ?? '', ''];
    case 'stage':
      return [t.tl_stage, e.stage ?? ''];
    case 'scan':
      return e.scan ? [scanLabel(t, e.scan.event), [e.scan.code, e.scan.place].filter(Boolean).join(' · ')] : ['', ''];
    case 'pod':
      return [t.tl_pod, ''];
  }
}

/** The section, or '' when the link shows nothing that happened. */
export function timelineSection(p: PublicShipment, l: PageLocale): string {
  const { t } = l;
  if (!p.timeline.length) return '';
  const items = p.timeline
    .map((e) => {
      const [what, detail] = describe(t, e);
      return `<li class="tl-entry tl-entry-${e.type}"><time datetime="${esc(e.at)}">${esc(formatDateTime(e.at, l))}</time><span class="tl-what">${esc(what)}</span>${
        detail ? `<span class="tl-detail">${esc(detail)}</span>` : ''
      }</li>`;
    })
    .join('');
  return `<section class="card" id="timeline" aria-labelledby="timeline-h" data-live="timeline"><h2 id="timeline-h">${esc(t.timeline)}</h2><ol class="timeline" reversed>${items}</ol></section>`;
}
