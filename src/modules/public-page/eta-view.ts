// The ETA a recipient reads at a glance: "Arriving in 1 hr 50 min · 17:32 CET", "Running late —
// expected 15:47 (2 hr ago)", "Delivered 30 Nov, 16:05", or the delivery window when no ETA is
// known. The page script keeps the relative parts ticking (data-countdown / data-since).
import type { PublicShipment } from '../links/public-view.js';
import { esc } from '../../shared/html.js';
import { formatDuration, type PageLocale } from './i18n.js';

type Eta = NonNullable<PublicShipment['eta']>;
type Html = (iso: string | null | undefined) => string;

/** Fills `{name}` placeholders of a translated sentence: text escaped, parts already HTML. */
export function fill(template: string, parts: Record<string, string>): string {
  return template
    .split(/(\{[a-z]+\})/)
    .map((piece) => {
      const m = /^\{([a-z]+)\}$/.exec(piece);
      return m && m[1] in parts ? parts[m[1]] : esc(piece);
    })
    .join('');
}

export type EtaState = 'delivered' | 'arriving' | 'late' | 'window' | 'unknown';

export function etaState(eta: Eta, status: PublicShipment['status'], now: number): EtaState {
  if (eta.delivered_at || status === 'delivered') return 'delivered';
  if (eta.at) return Date.parse(eta.at) > now ? 'arriving' : 'late';
  return eta.window ? 'window' : 'unknown';
}

/** The ETA block's main line (HTML). `dt` renders a <time> element in the page's zone. */
export function etaLine(eta: Eta, status: PublicShipment['status'], l: PageLocale, dt: Html, now: number): { state: EtaState; html: string } {
  const { t } = l;
  const state = etaState(eta, status, now);
  switch (state) {
    case 'delivered':
      return { state, html: eta.delivered_at ? fill(t.eta_delivered, { time: dt(eta.delivered_at) }) : esc(t.status_delivered) };
    case 'arriving': {
      const at = eta.at as string;
      const left = `<span data-countdown="${esc(at)}">${esc(formatDuration(Date.parse(at) - now, l))}</span>`;
      return { state, html: `${fill(t.eta_arriving_in, { duration: left })} · ${dt(at)}` };
    }
    case 'late': {
      const at = eta.at as string;
      const since = `<span data-since="${esc(at)}">${esc(formatDuration(now - Date.parse(at), l))}</span>`;
      return { state, html: `<strong>${esc(t.eta_late)}</strong> — ${fill(t.eta_late_expected, { time: dt(at), age: since })}` };
    }
    case 'window':
      return { state, html: fill(t.eta_window, { start: dt(eta.window?.start) || '…', end: dt(eta.window?.end) || '…' }) };
    default:
      return { state, html: esc(t.eta_unknown) };
  }
}
