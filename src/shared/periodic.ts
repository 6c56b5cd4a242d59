// A background job that runs every so often, never twice at once, and can be run by hand
// (tests and CLI commands call runOnce with the time they want).
export class PeriodicJob<T> {
  private first: NodeJS.Timeout | null = null;
  private every: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(
    private readonly run: (now: number) => Promise<T>,
    private onError: (err: unknown) => void = () => {},
  ) {}

  /** One run at `now`; a call while a run is under way joins that run. */
  runOnce(now = Date.now()): Promise<T> {
    this.running ??= this.run(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs after `firstAfterMs`, then every `intervalMs`; errors go to `onError`, the job goes on. */
  start(intervalMs: number, firstAfterMs: number, onError?: (err: unknown) => void): void {
    if (onError) this.onError = onError;
    if (this.every) return;
    const tick = () => {
      this.runOnce().catch((err: unknown) => this.onError(err));
    };
    this.first = setTimeout(tick, firstAfterMs);
    this.first.unref();
    this.every = setInterval(tick, intervalMs);
    this.every.unref();
  }

  /** Stops the timers and waits for a run under way. */
  async stop(): Promise<void> {
    if (this.first) clearTimeout(this.first);
    if (this.every) clearInterval(this.every);
    this.first = this.every = null;
    await this.running?.catch(() => undefined);
  }
}
