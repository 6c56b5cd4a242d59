// Purges positions older than each org's position_retention_days once no shipment needs them.
// Retention counts whole UTC days: a day's positions go once that entire day is more than the
// retention period old. One rule on both stores, and on PostgreSQL a day is one partition, so
// a day that no shipment still needs is dropped whole (partitions.ts) rather than row by row.
import { PeriodicJob } from '../../shared/periodic.js';
import { DAY_MS, startOfUtcDay } from '../../shared/time.js';
import type { PositionPartitions } from './partitions.js';
import type { RetentionRepository } from './retention.repository.js';

/** Positions (expired or kept) one purge step reads at most; about 5,000 deletes take well under a second. */
const PURGE_STEP = 5000;

export interface RetentionRun {
  /** Positions deleted one by one (what the dropped partitions held is not counted). */
  deleted: number;
  /** Partitions dropped whole (PostgreSQL). */
  dropped: string[];
}

/** Positions recorded before this are past an org's retention at `now`. */
export const retentionCutoff = (now: number, days: number): number => startOfUtcDay(now - days * DAY_MS);

export class RetentionJob {
  private readonly job: PeriodicJob<RetentionRun>;

  constructor(
    private readonly repo: RetentionRepository,
    errorLog: (err: unknown) => void = () => {},
    /** Told after a purge removed anything (cached current positions may name purged rows). */
    private readonly onPurged: () => void = () => {},
    /** PostgreSQL's day partitions; null on SQLite. */
    private readonly partitions: PositionPartitions | null = null,
    private readonly step = PURGE_STEP,
  ) {
    this.job = new PeriodicJob((now) => this.purge(now), errorLog);
  }

  runOnce(now = Date.now()): Promise<RetentionRun> {
    return this.job.runOnce(now);
  }

  private async purge(now: number): Promise<RetentionRun> {
    const cutoffs = new Map<string, number>();
    for (const org of await this.repo.orgRetention()) {
      if (org.position_retention_days > 0) cutoffs.set(org.id, retentionCutoff(now, org.position_retention_days));
    }
    // Whole days first, so the row-by-row purge only meets what they could not take.
    const dropped = this.partitions ? await this.partitions.dropExpired(cutoffs) : [];
    let deleted = 0;
    for (const [orgId, cutoff] of cutoffs) {
      // In bounded steps: one huge DELETE would outlast the statement timeout and hold its locks.
      // Each step is a key range of the (org_id, recorded_at) index starting where the last one
      // ended, not "the first N expired rows": those were found by scanning again everything
      // earlier steps had deleted (dead rows until vacuum) or kept, and the last, empty step
      // scanned all of it (4.3 s of the 5 s statement timeout at 30 million positions).
      for (let from: number | null = null; from === null || from < cutoff; ) {
        const to = await this.repo.purgeStepEnd(orgId, from, cutoff, this.step);
        deleted += await this.repo.purge(orgId, cutoff, { from, to });
        from = to;
      }
    }
    if (deleted > 0 || dropped.length > 0) this.onPurged();
    return { deleted, dropped };
  }

  /** Hourly, first run a minute after start (not during boot). */
  start(intervalMs = 3600_000): void {
    this.job.start(intervalMs, 60_000);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
