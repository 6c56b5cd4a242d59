// PostgreSQL keeps positions in one partition per UTC day so that retention can drop a day whole
// instead of deleting it row by row. This job creates the days ahead; retention.ts drops them.
import type { Logger } from '../../background.js';
import { PeriodicJob } from '../../shared/periodic.js';
import { DAY_MS, startOfUtcDay } from '../../shared/time.js';
import type { PartitionsRepository } from './partitions.repository.js';

/**
 * Days created ahead of today. Ingestion accepts positions up to 10 minutes ahead (normalize.ts), the
 * job runs before the server listens and then hourly, so three days leave two days of job
 * failures before a position lands in the DEFAULT partition (which still stores it; that day
 * then gets no partition of its own, see create). Few: every open-ended query ("the newest
 * position of this device") plans each day ahead.
 */
export const DAYS_AHEAD = 3;

/** `positions_p20270130`: the day a partition holds, readable in `\d+ positions`. */
export const partitionName = (dayStart: number): string => `positions_p${new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '')}`;

export class PositionPartitions {
  private readonly job: PeriodicJob<string[]>;
  /** Days left to the DEFAULT partition, each warned about once per process. */
  private readonly leftToDefault = new Set<string>();

  constructor(
    private readonly repo: PartitionsRepository,
    errorLog: (err: unknown) => void = () => {},
    private log: Pick<Logger, 'warn'> | null = null,
  ) {
    this.job = new PeriodicJob((now) => this.ensure(now), errorLog);
  }

  /**
   * The first pass, before the server listens (main.ts): the days exist before any position can
   * arrive, so none lands in the DEFAULT partition for want of its day. Failing (a lock held too
   * long by other DDL) is no reason not to serve: logged, and the hourly run tries again.
   */
  async prepare(log: Logger): Promise<void> {
    this.log = log;
    try {
      await this.ensureOnce();
    } catch (err) {
      log.error({ err }, 'creating the coming days\u2019 partitions of positions failed; the hourly job tries again');
    }
  }

  /** Creates the missing days from yesterday to DAYS_AHEAD after `now`; returns their names. */
  ensureOnce(now = Date.now()): Promise<string[]> {
    return this.job.runOnce(now);
  }

  private async ensure(now: number): Promise<string[]> {
    if (!(await this.repo.isPartitioned())) return [];
    const existing = await this.repo.list();
    const created: string[] = [];
    // Yesterday too: late uploads of the last day (phones buffer while offline) land in a day
    // partition from the first run on. Older days are never created: retention may have dropped
    // them, and rows that old are few (the DEFAULT partition keeps them).
    const today = startOfUtcDay(now);
    for (let day = today - DAY_MS; day <= today + DAYS_AHEAD * DAY_MS; day += DAY_MS) {
      // A wider partition (the pre-partitioning rows, FROM MINVALUE) may cover the day already.
      if (existing.some((p) => p.from < day + DAY_MS && p.to > day)) continue;
      const name = partitionName(day);
      const result = await this.repo.create(name, day, day + DAY_MS);
      if (result === 'created') created.push(name);
      if (result === 'rows_in_default' && !this.leftToDefault.has(name)) {
        this.leftToDefault.add(name);
        this.log?.warn(
          { partition: name },
          'positions of this day arrived before its partition was created: the day stays in the DEFAULT partition (its rows are not moved; retention deletes them row by row)',
        );
      }
    }
    return created;
  }

  /**
   * Drops every partition all of whose rows retention would delete: each org with rows in it has
   * a retention cutoff at or after the partition's end, and no shipment still needs any of them
   * (the rule of PositionsRepository.purge, judged at each row's org's cutoff). Partitions that
   * keep a row stay; retention deletes their other rows one by one. Returns the dropped names.
   */
  async dropExpired(cutoffs: ReadonlyMap<string, number>): Promise<string[]> {
    if (!cutoffs.size || !(await this.repo.isPartitioned())) return [];
    const latest = Math.max(...cutoffs.values());
    const dropped: string[] = [];
    for (const p of await this.repo.list()) {
      if (p.to > latest) break; // oldest first: no org's cutoff reaches this one or any later
      const gone = await this.repo.dropIf(p, async (contents) => {
        const present = new Map<string, number>();
        for (const org of await contents.orgs()) {
          const cutoff = cutoffs.get(org);
          // An org without retention (or gone) keeps its rows, so the partition stays.
          if (cutoff === undefined || cutoff < p.to) return false;
          present.set(org, cutoff);
        }
        return !(await contents.anyNeeded(present));
      });
      if (gone) dropped.push(p.name);
    }
    return dropped;
  }

  /** Hourly, the first run at once: days must exist before positions for them arrive. */
  start(log?: Logger, intervalMs = 3600_000): void {
    if (log) this.log = log;
    this.job.start(intervalMs, 0);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}

