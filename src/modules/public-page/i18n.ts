// Languages of the public page and how one is chosen: the visitor's Accept-Language when we
// have that language, else the org's country language, else English. Dates follow the org's
// country conventions and time zone where one zone covers the country.
import { de } from './messages/de.js';
import { en, type Messages } from './messages/en.js';
import { es } from './messages/es.js';
import { fr } from './messages/fr.js';
import { nl } from './messages/nl.js';

export type { Messages };
export const LANGUAGES = ['en', 'de', 'fr', 'nl', 'es'] as const;
export type Lang = (typeof LANGUAGES)[number];

const COUNTRY: Record<string, { lang: string; tz: string | null }> = {
  NL: { lang: 'nl', tz: 'Europe/Amsterdam' },
  BE: { lang: 'nl', tz: 'Europe/Brussels' },
  DE: { lang: 'de', tz: 'Europe/Berlin' },
  AT: { lang: 'de', tz: 'Europe/Vienna' },
  CH: { lang: 'de', tz: 'Europe/Zurich' },
  LU: { lang: 'fr', tz: 'Europe/Luxembourg' },
  FR: { lang: 'fr', tz: 'Europe/Paris' },
  ES: { lang: 'es', tz: 'Europe/Madrid' },
  MX: { lang: 'es', tz: null },
  AR: { lang: 'es', tz: 'America/Argentina/Buenos_Aires' },
  CO: { lang: 'es', tz: 'America/Bogota' },
  CL: { lang: 'es', tz: 'America/Santiago' },
  PE: { lang: 'es', tz: 'America/Lima' },
  GB: { lang: 'en', tz: 'Europe/London' },
  IE: { lang: 'en', tz: 'Europe/Dublin' },
  US: { lang: 'en', tz: null },
  CA: { lang: 'en', tz: null },
  AU: { lang: 'en', tz: null },
  NZ: { lang: 'en', tz: 'Pacific/Auckland' },
  IT: { lang: 'it', tz: 'Europe/Rome' },
  PT: { lang: 'pt', tz: 'Europe/Lisbon' },
  PL: { lang: 'pl', tz: 'Europe/Warsaw' },
  DK: { lang: 'da', tz: 'Europe/Copenhagen' },
  SE: { lang: 'sv', tz: 'Europe/Stockholm' },
  NO: { lang: 'nb', tz: 'Europe/Oslo' },
  FI: { lang: 'fi', tz: 'Europe/Helsinki' },
  CZ: { lang: 'cs', tz: 'Europe/Prague' },
  JP: { lang: 'ja', tz: 'Asia/Tokyo' },
  AE: { lang: 'en', tz: 'Asia/Dubai' },
  SG: { lang: 'en', tz: 'Asia/Singapore' },
};

export interface PageLocale {
  lang: Lang;
  /** BCP 47 tag for Intl: the chosen language with the org's country conventions. */
  locale: string;
  timeZone: string;
  t: Messages;
}

function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag.split('-')[0]);
}

const isLang = (l: string): l is Lang => (LANGUAGES as readonly string[]).includes(l);

/** The zone an org's times are shown in, on its public pages and in the admin app: its country's, or UTC where one zone does not cover the country. */
export const countryTimeZone = (country: string | null | undefined): string => (country ? COUNTRY[country.toUpperCase()]?.tz : null) ?? 'UTC';

/** `country` is null for pages that must not depend on any org (the not-available page). */
export function pickLocale(acceptLanguage: string | undefined, country: string | null): PageLocale {
  const c = country ? COUNTRY[country.toUpperCase()] : undefined;
  const wanted = parseAcceptLanguage(acceptLanguage).find(isLang);
  const orgLang = c && isLang(c.lang) ? c.lang : undefined;
  const lang: Lang = wanted ?? orgLang ?? 'en';
  const locale = country && /^[A-Z]{2}$/i.test(country) ? `${lang}-${country.toUpperCase()}` : lang;
  return { lang, locale: safeLocale(locale, lang), timeZone: countryTimeZone(country), t: MESSAGES[lang] };
}

function safeLocale(tag: string, fallback: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : fallback;
  } catch {
    return fallback;
  }
}

// Formatting a date costs several µs, the largest part of rendering a page: a page shows the same
// time more than once (its ETA in the summary and at its destination, a departure in its stop and
// its timeline), and a re-render for a new minute shows the same times again. So each format
// keeps what it made, a bounded number. The text shows minutes, and every instant of a minute
// reads the same where the zone's offset is whole minutes, as every zone's has been since 1972
// (Liberia's was -0:44:30 until then): from 1973 on the text is kept per minute, so the many
// times of a rotation over thousands of links (each stamped to the millisecond, most of them in
// the same few minutes) are formatted once per minute instead of once each. Earlier instants are
// kept per millisecond.
const MAX_DATES = 4096;
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1973, 0, 1);
interface DateFormat {
  format: Intl.DateTimeFormat;
  made: Map<number, string>;
}
const formats = new Map<string, DateFormat>();
function dateFormat(l: PageLocale): DateFormat {
  const key = `${l.locale}|${l.timeZone}`;
  let f = formats.get(key);
  if (!f) {
    const format = new Intl.DateTimeFormat(l.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: l.timeZone, timeZoneName: 'short' });
    f = { format, made: new Map() };
    formats.set(key, f);
  }
  return f;
}

/** The text kept under `key`, else made and kept; a full map starts over (`max` texts at most). */
function keptText<K>(made: Map<K, string>, key: K, max: number, make: () => string): string {
  let text = made.get(key);
  if (text === undefined) {
    text = make();
    if (made.size >= max) made.clear();
    made.set(key, text);
  }
  return text;
}

export function formatDateTime(iso: string | null | undefined, l: PageLocale): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const f = dateFormat(l);
  const key = ms >= WHOLE_MINUTE_OFFSETS_FROM ? ms - (ms % 60_000) : ms;
  return keptText(f.made, key, MAX_DATES, () => f.format.format(ms));
}

// Building an Intl formatter costs far more than using one: they are kept per locale (a bounded
// set: the supported languages times the countries' locales and zones). What one made is kept
// too, a bounded number per locale: a page's numbers (quantities, weights) repeat across links.
const MAX_NUMBERS = 4096;
const numberFormats = new Map<string, { format: Intl.NumberFormat; made: Map<number, string> }>();
export function formatNumber(n: number | null | undefined, l: PageLocale): string {
  if (n === null || n === undefined) return '';
  let f = numberFormats.get(l.locale);
  if (!f) {
    f = { format: new Intl.NumberFormat(l.locale, { maximumFractionDigits: 2 }), made: new Map() };
    numberFormats.set(l.locale, f);
  }
  // -0 reads "-0", and a Map takes it for 0: it is formatted each time.
  if (Object.is(n, -0)) return f.format.format(n);
  return keptText(f.made, n, MAX_NUMBERS, () => f.format.format(n));
}

// "1 hr 50 min" in the page's language (Intl.DurationFormat is not in Node 20): days and hours
// past a day, hours and minutes below, minutes under an hour, never less than one minute.
const unitFormats = new Map<string, Intl.NumberFormat>();
function unitText(n: number, u: 'day' | 'hour' | 'minute', l: PageLocale): string {
  const key = `${l.locale}|${u}`;
  let f = unitFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(l.locale, { style: 'unit', unit: u, unitDisplay: u === 'day' ? 'long' : 'short' });
    unitFormats.set(key, f);
  }
  return f.format(n);
}

// Its numbers are read from durationUnits' lists (made by unitText) where they reach: formatting
// them was much of the cost of an ETA's line.
const durationText = (lists: DurationUnits, n: number, u: keyof DurationUnits, l: PageLocale) => lists[u][n] ?? unitText(n, u, l);

export function formatDuration(ms: number, l: PageLocale): string {
  const lists = durationUnits(l);
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) return hours ? `${durationText(lists, days, 'day', l)} ${durationText(lists, hours, 'hour', l)}` : durationText(lists, days, 'day', l);
  if (hours) return mins ? `${durationText(lists, hours, 'hour', l)} ${durationText(lists, mins, 'minute', l)}` : durationText(lists, hours, 'hour', l);
  return durationText(lists, mins, 'minute', l);
}

/** "1 Dec 2026, 10:39:40 CET": when a layer was last seen, in a page's language and zone. */
export interface SeenFormat {
  format(ms: number): string;
}

// Made here, not by the page script: a phone's first Intl formatter loads ICU data in a long task
// (200-900 ms at Lighthouse's 4x slowdown), so the page gets its last-seen times as text.
// One object per language and zone: live viewers holding the same one share their events.
const seenFormats = new Map<string, SeenFormat>();
export function seenFormat(l: PageLocale): SeenFormat {
  const key = `${l.locale}|${l.timeZone}`;
  let f = seenFormats.get(key);
  if (!f) {
    const dtf = new Intl.DateTimeFormat(l.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: l.timeZone, timeZoneName: 'short' });
    f = { format: (ms) => dtf.format(ms) };
    seenFormats.set(key, f);
  }
  return f;
}

/** "… ago" per unit for 0-59 seconds, 0-60 minutes, 0-24 hours and 0-7 days (as the page rounds), for the page script's ticking "last seen" (same reason). */
export type AgoPhrases = Record<'second' | 'minute' | 'hour' | 'day', string[]>;
const AGO_RANGE = { second: 60, minute: 61, hour: 25, day: 8 } as const;
const agoPhrasesOf = new Map<Lang, AgoPhrases>();
export function agoPhrases(lang: Lang): AgoPhrases {
  let a = agoPhrasesOf.get(lang);
  if (!a) {
    const rel = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    const list = (u: keyof AgoPhrases) => Array.from({ length: AGO_RANGE[u] }, (_, i) => rel.format(-i, u));
    a = { second: list('second'), minute: list('minute'), hour: list('hour'), day: list('day') };
    agoPhrasesOf.set(lang, a);
  }
  return a;
}

/** "53 min", "1 hr", "2 days" for 0-59 minutes, 0-23 hours and 0-31 days: the parts of formatDuration, for the page script's countdowns (same reason). */
export type DurationUnits = Record<'minute' | 'hour' | 'day', string[]>;
const durationUnitsOf = new Map<string, DurationUnits>();
export function durationUnits(l: PageLocale): DurationUnits {
  let u = durationUnitsOf.get(l.locale);
  if (!u) {
    const list = (name: keyof DurationUnits, length: number) => Array.from({ length }, (_, i) => unitText(i, name, l));
    u = { minute: list('minute', 60), hour: list('hour', 24), day: list('day', 32) };
    durationUnitsOf.set(l.locale, u);
  }
  return u;
}

export const MESSAGES: Record<Lang, Messages> = { en, de, fr, nl, es };
