// A short-lived in-process cache of what a slug resolves to, so a busy public page does not hit
// the database on every request. Changes on this instance invalidate it at once; a generation
// counter stops a load that raced with an invalidation from storing stale data.
export interface CacheEntry<T> {
  value: T;
  orgId: string;
  shipmentId: string;
  linkId: string;
  loadedAt: number;
}

export class LinkCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(slug: string, now: number): T | undefined {
    const e = this.entries.get(slug);
    if (!e) return undefined;
    if (now - e.loadedAt >= this.ttlMs) {
      this.entries.delete(slug);
      return undefined;
    }
    return e.value;
  }

  /** Whether `value` is still what `slug` holds (nothing invalidated or replaced it), without expiring it. */
  holds(slug: string, value: T): boolean {
    return this.entries.get(slug)?.value === value;
  }

  /**
   * Whether `value` is still what `slug` holds; if so its lifetime starts again at `now`. For a
   * copy just confirmed against the database (the caller's re-check is its freshness proof).
   */
  renew(slug: string, value: T, now: number): boolean {
    const e = this.entries.get(slug);
    if (e?.value !== value) return false;
    e.loadedAt = now;
    return true;
  }

  /** Call before loading; pass the result to set() so a concurrent invalidation wins. */
  ticket(): number {
    return this.generation;
  }

  set(slug: string, entry: CacheEntry<T>, ticket: number): void {
    if (this.ttlMs <= 0 || ticket !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      // Map keeps insertion order: dropping the oldest entry is enough for a cache this short-lived.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(slug, entry);
  }

  invalidateWhere(match: (e: CacheEntry<T>) => boolean): void {
    this.generation++;
    for (const [slug, e] of this.entries) if (match(e)) this.entries.delete(slug);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
