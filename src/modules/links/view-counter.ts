// Page views of tracking links, counted write-behind: a view only touches memory; every FLUSH_MS
// (and on admin reads and shutdown) the counts are written in one transaction, so a busy page
// costs no database write (on SQLite an fsync) per visit. A link's first view is written there
// as a conditional update, so exactly one instance announces it, after the commit. No visitor
// data is kept, in memory or in the store.
import type { TrackingLinkRow } from '../../db/schema.js';
import { nowMs } from '../../shared/time.js';
import type { LinksRepository } from './links.repository.js';

const FLUSH_MS = 2000;
/** Bounds the memory of first views already recorded; forgetting one only costs a no-op update. */
const MAX_REMEMBERED = 100_000;

type LinkRef = Pick<TrackingLinkRow, 'id' | 'org_id' | 'shipment_id'>;

interface Pending {
  link: LinkRef;
  count: number;
  first: number;
  last: number;
  /** The cached row said "never viewed" and no flush of this instance has recorded it yet. */
  maybeFirst: boolean;
}

export class ViewCounter {
  private readonly pending = new Map<string, Pending>();
  /** Links whose first view a flush of this instance recorded: their cached rows still say null. */
  private readonly firstDone = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly repo: LinksRepository,
    private readonly onFirstView: (link: LinkRef) => void,
    private readonly errorLog: (err: unknown) => void,
  ) {}

  record(link: TrackingLinkRow): void {
    const now = nowMs();
    const maybeFirst = link.first_viewed_at === null && !this.firstDone.has(link.id);
    this.add(link, 1, now, now, maybeFirst);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush().catch((err: unknown) => this.errorLog(err));
      }, FLUSH_MS);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    const write = this.repo.addViews(batch.map((v) => ({ id: v.link.id, count: v.count, first: v.first, last: v.last, maybeFirst: v.maybeFirst })));
    const mine = write.then(
      () => undefined,
      () => undefined,
    );
    this.flushing = mine;
    let firsts: string[];
    try {
      firsts = await write;
    } catch (err) {
      // Kept for the next flush rather than lost.
      for (const v of batch) this.add(v.link, v.count, v.first, v.last, v.maybeFirst);
      throw err;
    } finally {
      if (this.flushing === mine) this.flushing = null;
    }
    for (const v of batch) {
      if (!v.maybeFirst) continue;
      if (this.firstDone.size >= MAX_REMEMBERED) this.firstDone.clear();
      this.firstDone.add(v.link.id);
    }
    const byId = new Map(batch.map((v) => [v.link.id, v.link]));
    for (const id of firsts) {
      const link = byId.get(id);
      if (link) this.onFirstView(link);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  // Every public page view lands here: a link already pending only has its numbers moved, so a
  // busy page allocates nothing per view.
  private add(link: LinkRef, count: number, first: number, last: number, maybeFirst: boolean): void {
    const p = this.pending.get(link.id);
    if (!p) {
      this.pending.set(link.id, { link: { id: link.id, org_id: link.org_id, shipment_id: link.shipment_id }, count, first, last, maybeFirst });
      return;
    }
    p.count += count;
    if (first < p.first) p.first = first;
    if (last > p.last) p.last = last;
    if (maybeFirst) p.maybeFirst = true;
  }
}
