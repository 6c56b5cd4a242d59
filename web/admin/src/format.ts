// Dates and labels in the org's locale (derived from its country), as the public page shows them.
import type { LinkState, SectionKey, ShipmentStatus } from './types';

const LOCALE_BY_COUNTRY: Record<string, string> = {
  NL: 'nl-NL', BE: 'nl-BE', DE: 'de-DE', AT: 'de-AT', CH: 'de-CH', FR: 'fr-FR', ES: 'es-ES', IT: 'it-IT', PT: 'pt-PT',
  GB: 'en-GB', IE: 'en-IE', US: 'en-US', CA: 'en-CA', AU: 'en-AU', NZ: 'en-NZ', JP: 'ja-JP', PL: 'pl-PL', SE: 'sv-SE',
  NO: 'nb-NO', DK: 'da-DK', FI: 'fi-FI', CZ: 'cs-CZ', BR: 'pt-BR', MX: 'es-MX', ZA: 'en-ZA', IN: 'en-IN', SG: 'en-SG',
};
export const localeOf = (country: string | undefined) => (country && LOCALE_BY_COUNTRY[country]) || (country ? `en-${country}` : 'en-GB');

/**
 * The zone times are shown in: the org's (as on its tracking pages) once the session is known,
 * so a dispatcher in another zone reads the same "17:32 CET" as the recipient; always labelled.
 */
let displayZone: string | undefined;
export function setDisplayZone(zone: string | undefined): void {
  displayZone = zone;
}

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  try {
    return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: displayZone, timeZoneName: 'short' });
  } catch {
    return d.toISOString();
  }
}

export function formatNumber(n: number | null | undefined, locale?: string): string {
  if (n === null || n === undefined) return '—';
  try {
    return n.toLocaleString(locale);
  } catch {
    return String(n);
  }
}

export function relative(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const abs = Math.abs(s);
  const fmt = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (abs < 60) return fmt.format(-s, 'second');
  if (abs < 3600) return fmt.format(-Math.round(s / 60), 'minute');
  if (abs < 86400) return fmt.format(-Math.round(s / 3600), 'hour');
  return fmt.format(-Math.round(s / 86400), 'day');
}

/** The wall-clock parts of a moment in the display zone. */
function wallClock(d: Date): { y: number; mo: number; da: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: displayZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: n('year'), mo: n('month'), da: n('day'), h: n('hour'), mi: n('minute') };
}

/** ISO → value for <input type="datetime-local"> in the display zone (as times are shown), and back. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallClock(d);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${pad(w.mo)}-${pad(w.da)}T${pad(w.h)}:${pad(w.mi)}`;
}
export function fromLocalInput(v: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The zone's offset at that moment (twice: the first guess may sit across a DST change).
  let t = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(t));
    t = asUtc - (Date.UTC(w.y, w.mo - 1, w.da, w.h, w.mi) - t);
  }
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export const STATUS_LABEL: Record<ShipmentStatus, string> = {
  draft: 'Draft',
  planned: 'Planned',
  in_transit: 'In transit',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  exception: 'Exception',
};

export const LINK_STATE_LABEL: Record<LinkState, string> = { active: 'Active', revoked: 'Revoked', expired: 'Expired' };

/** Every section of the link template (the generated API types' keys: one missing or extra is a type error), labelled. */
export const SECTION_LABEL: Record<SectionKey, string> = {
  status: 'Status',
  progress: 'Progress tracker (stages)',
  eta: 'Estimated arrival',
  reference: 'Shipment reference (what the recipient quotes)',
  stops: 'Stops',
  stop_references: 'Stop references',
  estimated_times: 'Estimated times at stops',
  cargo: 'Cargo details',
  pallet_scans: 'Pallet scan history',
  customer_reference: 'Customer reference',
  container_number: 'Container number',
  transport_service: 'Transport service',
  custom_fields: 'Custom fields (shareable ones)',
  extra_fields: 'Extra fields (shareable ones)',
  hero_photo: 'Hero photo',
  customer_notes: 'Customer notes',
  proof_of_delivery: 'Proof of delivery',
  map: 'Map',
  history: 'Position history scrubber',
};

/** The link template's section keys, in the order of SECTION_LABEL. */
export const SECTION_KEYS = Object.keys(SECTION_LABEL) as SectionKey[];

export const SECTION_GROUPS: { title: string; keys: SectionKey[] }[] = [
  { title: 'Status and timing', keys: ['status', 'progress', 'eta'] },
  { title: 'Stops', keys: ['stops', 'stop_references', 'estimated_times'] },
  { title: 'Cargo', keys: ['cargo', 'pallet_scans'] },
  { title: 'Reference fields', keys: ['reference', 'customer_reference', 'container_number', 'transport_service', 'custom_fields', 'extra_fields'] },
  { title: 'Photos, notes and documents', keys: ['hero_photo', 'customer_notes', 'proof_of_delivery'] },
  { title: 'Map', keys: ['map', 'history'] },
];

export const DRIVER_POSITION_LABEL = {
  always: 'Always',
  en_route_to_delivery: 'Only while en route to the delivery stop',
  never: 'Never',
} as const;

/**
 * Server-made media URLs are absolute (PUBLIC_BASE_URL); the app loads them from its own origin,
 * which is what the CSP allows and what works behind any proxy hostname.
 */
export function sameOrigin(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, location.origin);
    return u.pathname + u.search;
  } catch {
    return undefined;
  }
}
