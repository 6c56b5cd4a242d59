// Per-request work of the public page that depends only on what a link resolved to: the rendered
// HTML per locale and the JSON of the public view. Keyed on the resolved link row object, which
// lives in the links cache only until the link, its shipment or its org changes (a change loads
// a new object), so a cached body can never outlive what it shows; a revoked link never resolves
// to "ok", so nothing cached for it is reachable. The WeakMap lets old bodies go with their rows.
// Bodies are kept as UTF-8 bytes: a page with one non-Latin-1 character is a two-byte string that
// Node would otherwise re-encode, and measure for Content-Length, on every request.
// A page's parts that do not change with the time or the positions (render.ts pageParts) are kept
// the same way, per resolution and locale: a new minute of its ETA or a moved device re-renders
// the summary and the map only.
import type { PublicShipment } from '../links/public-view.js';
import { pickLocale, type PageLocale } from './i18n.js';
import { momentParts, type MomentInputs, type PageMoment, type PageParts } from './render.js';

const MAX_VARIANTS = 16;
const MAX_LOCALES = 1000;

export class PageCache {
  private readonly bodies = new WeakMap<object, Map<string, Buffer>>();
  private readonly locales = new Map<string, PageLocale>();
  private readonly withPos = new WeakMap<Buffer, { positions: object; body: Buffer }>();
  private readonly views = new WeakMap<object, PublicShipment>();
  // The fixed parts are kept as bytes only: their strings too doubled what every cached page
  // held on the heap, and each collection of the young generation copied them while new links
  // were being cached (a rotation over thousands of links).
  private readonly parts = new WeakMap<object, Map<string, { inputs: MomentInputs; bytes: [Buffer, Buffer, Buffer] }>>();

  /** The body for this resolution and variant (e.g. locale), made once. */
  body(resolution: object, variant: string, make: () => string | Buffer): Buffer {
    let m = this.bodies.get(resolution);
    if (!m) {
      m = new Map();
      this.bodies.set(resolution, m);
    }
    let b = m.get(variant);
    if (b === undefined) {
      const made = make();
      b = typeof made === 'string' ? Buffer.from(made) : made;
      if (m.size >= MAX_VARIANTS) m.clear();
      m.set(variant, b);
    }
    return b;
  }

  /** The public view of this resolution (the page and /data both start from it), made once. */
  view(resolution: object, make: () => PublicShipment): PublicShipment {
    let v = this.views.get(resolution);
    if (!v) {
      v = make();
      this.views.set(resolution, v);
    }
    return v;
  }

  /**
   * The page of this resolution in this locale at this moment: its fixed parts made (and encoded)
   * once per resolution and locale, the summary and the map for the moment. The bytes of
   * renderPage for the same view, locale and options.
   */
  page(resolution: object, locale: PageLocale, moment: PageMoment, make: () => PageParts): Buffer {
    let m = this.parts.get(resolution);
    if (!m) {
      m = new Map();
      this.parts.set(resolution, m);
    }
    const key = htmlVariant(locale);
    const kept = m.get(key);
    if (kept) {
      const [summary, map] = momentParts(kept.inputs, moment);
      const [top, middle, bottom] = kept.bytes;
      return Buffer.concat([top, Buffer.from(summary), middle, Buffer.from(map), bottom]);
    }
    // A first render (most of a link's visits in a rotation) is encoded into one buffer, and the
    // fixed parts kept are views of it: encoding each piece apart and joining them allocated and
    // copied the page three times over. The tail, already bytes, is copied in.
    const parts = make();
    const [summary, map] = momentParts(parts, moment);
    const pieces = [parts.top, summary, parts.middle, map, parts.bottom];
    const ends: number[] = [];
    let length = 0;
    for (const piece of pieces) ends.push((length += Buffer.byteLength(piece)));
    const tail = parts.tail.bytes;
    const body = Buffer.allocUnsafe(length + tail.length);
    pieces.forEach((piece, i) => body.write(piece, i ? ends[i - 1] : 0));
    tail.copy(body, length);
    if (m.size >= MAX_VARIANTS) m.clear();
    m.set(key, {
      inputs: { p: parts.p, l: parts.l, tiles: parts.tiles, summaryFacts: parts.summaryFacts },
      bytes: [body.subarray(0, ends[0]), body.subarray(ends[1], ends[2]), body.subarray(ends[3])],
    });
    return body;
  }

  /**
   * The JSON view with its positions appended, remade only when the positions differ: they come
   * from a cache that hands out the same array until a device of the link moves.
   */
  withPositions(head: Buffer, positions: object, make: () => Buffer): Buffer {
    const kept = this.withPos.get(head);
    if (kept && kept.positions === positions) return kept.body;
    const body = make();
    this.withPos.set(head, { positions, body });
    return body;
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

// The locales come from the bounded cache above, so their keys are made once each too.
const htmlKeys = new WeakMap<PageLocale, string>();
/** The cache variant of the HTML page in this locale. */
export function htmlVariant(l: PageLocale): string {
  let k = htmlKeys.get(l);
  if (k === undefined) {
    k = `html|${l.lang}|${l.locale}|${l.timeZone}`;
    htmlKeys.set(l, k);
  }
  return k;
}
