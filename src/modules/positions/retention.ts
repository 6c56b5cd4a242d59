// Purges positions older than each org's position_retention_days once no shipment needs them.
import type { PositionsRepository } from './positions.repository.js';

const DAY = 86_400_000;

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly repo: PositionsRepository,
    private readonly errorLog: (err: unknown) => void = () => {},
    /** Told after a purge removed anything (cached current positions may name purged rows). */
    private readonly onPurged: () => void = () => {},
  ) {}

  async runOnce(now = Date.now()): Promise<number> {
    let purged = 0;
    for (const org of await this.repo.orgRetention()) {
      if (!(org.position_retention_days > 0)) continue;
      purged += await this.repo.purge(org.id, now - org.position_retention_days * DAY);
    }
    if (purged > 0) this.onPurged();
    return purged;
  }

  /** Hourly, first run a minute after start (not during boot). */
  start(intervalMs = 3600_000): void {
    const tick = () => {
      this.running ??= this.runOnce()
        .catch((err) => {
          this.errorLog(err);
          return 0;
        })
        .finally(() => {
          this.running = null;
        });
    };
    this.timer = setTimeout(tick, 60_000);
    this.timer.unref();
    const every = setInterval(tick, intervalMs);
    every.unref();
    this.stopInterval = () => clearInterval(every);
  }

  private stopInterval: () => void = () => {};

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.stopInterval();
    await this.running;
  }
}
