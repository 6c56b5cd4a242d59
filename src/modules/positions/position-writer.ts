// Where ingestion's rows are committed: on SQLite, the inserts of requests arriving together share
// one transaction (one fsync for a turn's worth of phones instead of one each); on PostgreSQL,
// which commits concurrently, each request is its own. Either way a request is answered only
// after its rows are committed, and each transaction is counted for /metrics.
import { WriteCoalescer } from '../../shared/write-coalescer.js';
import type { PositionsRepository, StoredPoint, WriteGuard } from './positions.repository.js';
import type { NewPosition } from './types.js';

/** Rows of concurrent requests committed together at most (a few full API batches). */
const MAX_COMMIT_ROWS = 5000;

export interface PositionWrite {
  rows: NewPosition[];
  /** The devices that got positions are marked seen at this time, in the same transaction. */
  seenAt: number;
  /**
   * Checked first in the transaction that stores the rows, holding what it checks until the
   * commit; false stores nothing (404). Such a write is committed on its own, never with others.
   */
  guard?: WriteGuard;
}

export class PositionWriter {
  private readonly grouped: WriteCoalescer<PositionWrite, StoredPoint[]> | null;

  constructor(
    private readonly repo: PositionsRepository,
    private readonly countCommits: (commits: number) => void,
    /** Where the store itself announces stored positions (PostgreSQL NOTIFY), if anywhere. */
    private readonly announceOn: string | undefined,
  ) {
    this.grouped = repo.serialWrites
      ? new WriteCoalescer(
          async (writes) => {
            const inserted = await repo.insertPositionGroups(writes, announceOn);
            countCommits(1);
            return inserted;
          },
          (w) => w.rows.length,
          MAX_COMMIT_ROWS,
        )
      : null;
  }

  /** Stores one request's rows; returns those inserted (not already stored), once committed. */
  async write(w: PositionWrite): Promise<StoredPoint[]> {
    if (this.grouped && !w.guard) return this.grouped.run(w);
    const inserted = await this.repo.insertPositions(w.rows, w.seenAt, this.announceOn, w.guard);
    this.countCommits(1);
    return inserted;
  }
}
