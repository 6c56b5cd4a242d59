// What runs in the background of a serving process: timers, workers and listeners that are not
// part of a request. services.ts lists the jobs; main.ts starts and stops them, so a test or a
// CLI command builds the same services and app without any of them running.

/** The slice of a pino logger background jobs write to (Fastify's app.log fits). */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type BackgroundJobName = 'outbox-worker' | 'link-expiry-sweeper' | 'live-hub' | 'partition-maintenance' | 'retention-purge' | 'housekeeping';

export interface BackgroundJob {
  name: BackgroundJobName;
  /** What it does, for a reader of services.ts and ARCHITECTURE.md. */
  does: string;
  start(log: Logger): void | Promise<void>;
  /** Stops its timers and waits for work under way. */
  stop(): void | Promise<void>;
}

export class Background {
  private running: BackgroundJob[] = [];
  /** Counts stop() calls: a start() still going when stop() is called starts nothing more. */
  private stops = 0;

  constructor(readonly jobs: readonly BackgroundJob[]) {}

  /**
   * Starts the named jobs (all of them by default) in the listed order; a running job is left as
   * is. A stop() meanwhile (a signal during start-up) ends it: the jobs not started yet stay so.
   */
  async start(log: Logger, only?: readonly BackgroundJobName[]): Promise<void> {
    const stops = this.stops;
    for (const job of this.jobs) {
      if (this.stops !== stops) return;
      if ((only && !only.includes(job.name)) || this.running.includes(job)) continue;
      this.running.push(job);
      await job.start(log);
    }
  }

  isRunning(name: BackgroundJobName): boolean {
    return this.running.some((j) => j.name === name);
  }

  /** Stops what was started, last started first (services.stop calls it before the store closes). */
  async stop(): Promise<void> {
    this.stops++;
    const started = this.running;
    this.running = [];
    for (const job of started.reverse()) await job.stop();
  }
}
