// Drains the outbox: claims due rows (several workers or instances never claim the same row),
// delivers each through the handler of its kind, and settles it as sent, retried later or failed.
// While it sends, it renews its claim; a worker that died (kill -9, power loss) stops renewing, and
// its rows are claimed again once the lease runs out. Delivery is thus at least once: a row that
// was handed to the SMTP server just before the death is sent again (with the same Message-ID).
import { randomUUID } from 'node:crypto';
import type { NewOutboxRow, OutboxTable } from '../../db/schema.js';
import type { NotificationsRepository, OutboxRow } from './notifications.repository.js';

/** A failure that retrying cannot fix (the shipment or webhook is gone): the row fails at once. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/** What a new row says of itself; the queue's own columns start the same for every kind. */
export type OutboxEntry = Pick<NewOutboxRow, 'id' | 'org_id' | 'dedupe_key' | 'kind' | 'task_id' | 'shipment_id' | 'event_id' | 'recipient' | 'payload'>;

/** A new row, due at once and never tried. */
export function queuedRow(entry: OutboxEntry, now: number): NewOutboxRow {
  return { ...entry, status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, last_error: null, sent_at: null, created_at: now };
}

/** Delivers one row; what it returns is merged into the stored payload (e.g. subject, message id). */
export type Deliver = (row: OutboxRow) => Promise<Record<string, unknown>>;

/** A claimed row that must wait (a sending limit): tried again at `until`, the attempt not counted. */
export interface Held {
  until: number;
  reason: string;
}

export interface WorkerOptions {
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** How long a claim lasts without renewal: a worker that died mid-send gives its rows up after this. Renewed every third of it. */
  leaseMs: number;
  batch: number;
  /** Of the rows just claimed, those that must wait instead of being delivered now. */
  hold?: (rows: OutboxRow[], now: number) => Promise<Map<string, Held>>;
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
    const token = randomUUID();
    const rows = await this.repo.claim(now, now + this.opts.leaseMs, this.opts.batch, kinds, token);
    if (!rows.length) return 0;
    const heartbeat = setInterval(() => {
      this.repo.renew(token, Date.now() + this.opts.leaseMs).catch((err: unknown) => this.opts.log('warn', 'outbox lease renewal failed', { err: (err as Error).message }));
    }, Math.max(1, Math.floor(this.opts.leaseMs / 3)));
    heartbeat.unref();
    let due: OutboxRow[] = [];
    try {
      const held = await this.holdBack(rows, now, token);
      due = rows.filter((row) => !held.has(row.id));
    } catch (err) {
      // Unknown whether they may go: none is sent now, and each is claimed again once its lease runs out.
      this.opts.log('error', 'outbox sending limits could not be checked; the claimed rows wait for their lease to run out', { err: (err as Error).message });
    }
    // Every delivery runs to its end before the heartbeat stops, even when one fails to settle.
    const results = await Promise.allSettled(due.map((row) => this.deliver(row, token)));
    clearInterval(heartbeat);
    for (const r of results) {
      if (r.status === 'rejected') this.opts.log('error', 'outbox delivery could not be recorded; it will be delivered again', { err: (r.reason as Error)?.message });
    }
    return rows.length;
  }

  /** Puts back the claimed rows `hold` names, as due at their time and not tried; returns their ids. */
  private async holdBack(rows: OutboxRow[], now: number, token: string): Promise<Set<string>> {
    const held = this.opts.hold ? await this.opts.hold(rows, now) : new Map<string, Held>();
    for (const row of rows) {
      const h = held.get(row.id);
      if (!h) continue;
      // The claim counted an attempt; a row held back was not tried.
      await this.repo.settle(row.id, token, { status: 'pending', locked_until: null, attempts: row.attempts - 1, next_attempt_at: h.until, last_error: h.reason });
    }
    return new Set(held.keys());
  }

  private async deliver(row: OutboxRow, token: string): Promise<void> {
    const handler = this.handlers[row.kind];
    let settled: boolean;
    try {
      if (!handler) throw new PermanentFailure(`no handler for ${row.kind}`);
      const extra = await handler(row);
      const payload = { ...(JSON.parse(row.payload) as Record<string, unknown>), ...extra };
      settled = await this.repo.settle(row.id, token, { status: 'sent', sent_at: Date.now(), locked_until: null, last_error: null, payload: JSON.stringify(payload) });
    } catch (err) {
      const message = describe(err);
      const final = err instanceof PermanentFailure || row.attempts >= this.opts.maxAttempts;
      settled = await this.repo.settle(
        row.id,
        token,
        final
          ? { status: 'failed', locked_until: null, last_error: message }
          : { status: 'pending', locked_until: null, last_error: message, next_attempt_at: Date.now() + backoffMs(row.attempts, this.opts.retryBaseMs) },
      );
      if (final && settled) this.opts.log('warn', 'outbox delivery failed for good', { id: row.id, kind: row.kind, attempts: row.attempts, error: message });
    }
    // The lease ran out before we were done (the database was away longer than it): another
    // worker has it now and will deliver it again.
    if (!settled) this.opts.log('warn', 'outbox claim lost before it was settled; it will be delivered again', { id: row.id, kind: row.kind });
  }
}

/**
 * The outbox drained by one worker per kind of delivery, each claiming and sending on its own. A
 * round waits for its slowest delivery, and a webhook receiver that accepts the connection and never
 * answers holds it for the whole webhook timeout: in one shared worker, a tenant's queued pings to
 * such a receiver kept every other tenant's emails waiting behind them.
 */
export class OutboxLanes {
  constructor(private readonly lanes: OutboxWorker[]) {}

  start(): void {
    for (const lane of this.lanes) lane.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.stop()));
  }

  wake(): void {
    for (const lane of this.lanes) lane.wake();
  }

  /** One round of every lane (tests call it directly); returns how many rows they handled together. */
  async runOnce(): Promise<number> {
    const handled = await Promise.all(this.lanes.map((lane) => lane.runOnce()));
    return handled.reduce((a, b) => a + b, 0);
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; response?: string };
  const text = e?.response ?? e?.message ?? String(err);
  return text.slice(0, 1000);
}
