// Page views of tracking links, counted write-behind. Only a link's first view is written at once
// (a conditional update, so exactly one instance announces it); later views are counted in memory
// and written together within FLUSH_MS, so a busy page costs no database write (on SQLite an
// fsync) per visit. No visitor data is kept, in memory or in the store.
import type { TrackingLinkRow } from '../../db/schema.js';
import { nowMs } from '../../shared/time.js';
import type { LinksRepository } from './links.repository.js';

const FLUSH_MS = 2000;
/** Bounds the memory of first views already recorded; forgetting one only costs a no-op update. */
const MAX_REMEMBERED = 100_000;

interface Pending {
  count: number;
  first: number;
  last: number;
}

export class ViewCounter {
  private readonly pending = new Map<string, Pending>();
  /** Links whose first view this instance recorded: their cached rows still say null. */
  private readonly firstDone = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly repo: LinksRepository,
    private readonly errorLog: (err: unknown) => void,
  ) {}

  /** Counts one view; true when it was the link's first (to be announced once). */
  async record(link: TrackingLinkRow): Promise<boolean> {
    const now = nowMs();
    if (link.first_viewed_at === null && !this.firstDone.has(link.id)) {
      // Marked before the await: concurrent views of the same link are counted in memory instead.
      if (this.firstDone.size >= MAX_REMEMBERED) this.firstDone.clear();
      this.firstDone.add(link.id);
      try {
        if (await this.repo.recordFirstView(link.id, now)) return true;
      } catch (err) {
        this.firstDone.delete(link.id);
        throw err;
      }
    }
    this.add(link.id, { count: 1, first: now, last: now });
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush().catch((err: unknown) => this.errorLog(err));
      }, FLUSH_MS);
      this.timer.unref();
    }
    return false;
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending].map(([id, v]) => ({ id, ...v }));
    this.pending.clear();
    const write = this.repo.addViews(batch).catch((err: unknown) => {
      // Kept for the next flush rather than lost.
      for (const v of batch) this.add(v.id, v);
      throw err;
    });
    const mine = write.then(
      () => undefined,
      () => undefined,
    );
    this.flushing = mine;
    try {
      await write;
    } finally {
      if (this.flushing === mine) this.flushing = null;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private add(id: string, v: Pending): void {
    const p = this.pending.get(id);
    if (!p) {
      this.pending.set(id, { count: v.count, first: v.first, last: v.last });
      return;
    }
    p.count += v.count;
    p.first = Math.min(p.first, v.first);
    p.last = Math.max(p.last, v.last);
  }
}
