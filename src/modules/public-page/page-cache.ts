// Per-request work of the public page that depends only on what a link resolved to: the rendered
// HTML per locale and the JSON of the public view. Keyed on the resolved link row object, which
// lives in the links cache only until the link, its shipment or its org changes (a change loads
// a new object), so a cached body can never outlive what it shows; a revoked link never resolves
// to "ok", so nothing cached for it is reachable. The WeakMap lets old bodies go with their rows.
import { pickLocale, type PageLocale } from './i18n.js';

const MAX_VARIANTS = 16;
const MAX_LOCALES = 1000;

export class PageCache {
  private readonly bodies = new WeakMap<object, Map<string, string>>();
  private readonly locales = new Map<string, PageLocale>();

  /** The body for this resolution and variant (e.g. locale), made once. */
  body(resolution: object, variant: string, make: () => string): string {
    let m = this.bodies.get(resolution);
    if (!m) {
      m = new Map();
      this.bodies.set(resolution, m);
    }
    let b = m.get(variant);
    if (b === undefined) {
      b = make();
      if (m.size >= MAX_VARIANTS) m.clear();
      m.set(variant, b);
    }
    return b;
  }

  /** pickLocale, remembered per (Accept-Language, country): browsers send a handful of values. */
  locale(acceptLanguage: string | undefined, country: string | null): PageLocale {
    const key = `${country ?? ''}\n${acceptLanguage ?? ''}`;
    let l = this.locales.get(key);
    if (!l) {
      l = pickLocale(acceptLanguage, country);
      if (this.locales.size >= MAX_LOCALES) this.locales.clear();
      this.locales.set(key, l);
    }
    return l;
  }
}

export const localeKey = (l: PageLocale): string => `${l.lang}|${l.locale}|${l.timeZone}`;
