// Drains the outbox: claims due rows (several workers or instances never claim the same row),
// delivers each through the handler of its kind, and settles it as sent, retried later or failed.
import type { OutboxTable } from '../../db/schema.js';
import type { NotificationsRepository, OutboxRow } from './notifications.repository.js';

/** A failure that retrying cannot fix (the shipment or webhook is gone): the row fails at once. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/** Delivers one row; what it returns is merged into the stored payload (e.g. subject, message id). */
export type Deliver = (row: OutboxRow) => Promise<Record<string, unknown>>;

export interface WorkerOptions {
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** How long a claim lasts; a worker that died mid-send gives its rows up after this. */
  leaseMs: number;
  batch: number;
  log: (level: 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;
}

const MAX_BACKOFF_MS = 3600_000;

/** Exponential backoff with ±20% jitter, so retries from many rows do not arrive in lockstep. */
export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(exp * (0.8 + 0.4 * random()));
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  private again = false;

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly handlers: Partial<Record<OutboxTable['kind'], Deliver>>,
    private readonly opts: WorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** Something was just recorded: look now instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let busy = false;
    try {
      busy = (await this.runOnce()) === this.opts.batch;
    } catch (err) {
      this.opts.log('error', 'outbox poll failed', { err: (err as Error).message });
    }
    const soon = busy || this.again;
    this.again = false;
    this.schedule(soon ? 0 : this.opts.pollMs);
  }

  /** One claim-and-deliver round; returns how many rows it handled. Tests call it directly. */
  async runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<number> {
    const now = Date.now();
    const kinds = Object.keys(this.handlers) as OutboxTable['kind'][];
    const lease = now + this.opts.leaseMs;
    const rows = await this.repo.claim(now, lease, this.opts.batch, kinds);
    await Promise.all(rows.map((row) => this.deliver(row, lease)));
    return rows.length;
  }

  private async deliver(row: OutboxRow, lease: number): Promise<void> {
    const handler = this.handlers[row.kind];
    try {
      if (!handler) throw new PermanentFailure(`no handler for ${row.kind}`);
      const extra = await handler(row);
      const payload = { ...(JSON.parse(row.payload) as Record<string, unknown>), ...extra };
      await this.repo.settle(row.id, lease, { status: 'sent', sent_at: Date.now(), locked_until: null, last_error: null, payload: JSON.stringify(payload) });
    } catch (err) {
      const message = describe(err);
      const final = err instanceof PermanentFailure || row.attempts >= this.opts.maxAttempts;
      await this.repo.settle(
        row.id,
        lease,
        final
          ? { status: 'failed', locked_until: null, last_error: message }
          : { status: 'pending', locked_until: null, last_error: message, next_attempt_at: Date.now() + backoffMs(row.attempts, this.opts.retryBaseMs) },
      );
      if (final) this.opts.log('warn', 'outbox delivery failed for good', { id: row.id, kind: row.kind, attempts: row.attempts, error: message });
    }
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; response?: string };
  const text = e?.response ?? e?.message ?? String(err);
  return text.slice(0, 1000);
}
