// Purges positions older than each org's position_retention_days once no shipment needs them.
import { PeriodicJob } from '../../shared/periodic.js';
import type { PositionsRepository } from './positions.repository.js';

const DAY = 86_400_000;
const PURGE_STEP = 5000;

export class RetentionJob {
  private readonly job: PeriodicJob<number>;

  constructor(
    private readonly repo: PositionsRepository,
    errorLog: (err: unknown) => void = () => {},
    /** Told after a purge removed anything (cached current positions may name purged rows). */
    private readonly onPurged: () => void = () => {},
  ) {
    this.job = new PeriodicJob((now) => this.purge(now), errorLog);
  }

  runOnce(now = Date.now()): Promise<number> {
    return this.job.runOnce(now);
  }

  private async purge(now: number): Promise<number> {
    let purged = 0;
    for (const org of await this.repo.orgRetention()) {
      if (!(org.position_retention_days > 0)) continue;
      const cutoff = now - org.position_retention_days * DAY;
      // In bounded steps: one huge DELETE would outlast the statement timeout and hold its locks.
      for (let n = PURGE_STEP; n === PURGE_STEP; ) {
        n = await this.repo.purge(org.id, cutoff, PURGE_STEP);
        purged += n;
      }
    }
    if (purged > 0) this.onPurged();
    return purged;
  }

  /** Hourly, first run a minute after start (not during boot). */
  start(intervalMs = 3600_000): void {
    this.job.start(intervalMs, 60_000);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
