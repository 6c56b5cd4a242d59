// Drains the outbox: claims due rows (several workers or instances never claim the same row),
// delivers each through the handler of its kind, and settles it as sent, retried later or failed.
// While it sends, it renews its claim; a worker that died (kill -9, power loss) stops renewing, and
// its rows are claimed again once the lease runs out. Delivery is thus at least once: a row that
// was handed to the SMTP server just before the death is sent again (with the same Message-ID).
import { randomUUID } from 'node:crypto';
import type { NewOutboxRow, OutboxTable } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import type { NotificationsRepository, OutboxRow } from './notifications.repository.js';

/**
 * A failed attempt whose message is written for the tenant (it becomes the row's last_error, which
 * any dispatcher reads): it names what went wrong, never the operator's hosts, addresses or ports.
 * The raw error, for the operator's log, is its `cause`. Any other error reads as INTERNAL_FAILURE.
 */
export class DeliveryFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryFailure';
  }
}

/** A failure that retrying cannot fix (the shipment or webhook is gone): the row fails at once. */
export class PermanentFailure extends DeliveryFailure {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/** What a tenant reads for an error nobody described for them (a database outage, a bug). */
export const INTERNAL_FAILURE = 'Delivery failed on our side; it is retried, and the operator’s log has the details';

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
  /** Most deliveries under way at once. */
  batch: number;
  /**
   * Most deliveries of one org under way at once (none: no limit). A tenant whose receivers never
   * answer then holds this many places for the timeout, and other tenants' rows go on in the rest.
   */
  perOrg?: number;
  /** Of the rows just claimed, those that must wait instead of being delivered now. */
  hold?: (rows: OutboxRow[], now: number) => Promise<Map<string, Held>>;
  log: (level: 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;
}

/** One claim: how many places it asked for, how many rows it took, and when their deliveries end. */
interface Round {
  asked: number;
  claimed: number;
  done: Promise<void>;
}

const MAX_BACKOFF_MS = 3600_000;

/** Exponential backoff with ±20% jitter, so retries from many rows do not arrive in lockstep. */
export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/**
 * Claims rows for the places free and delivers them without waiting for the slowest of a claim:
 * each delivery that ends frees its place for the next claim. (Waiting for a whole claim let one
 * receiver that never answers hold every place for the full timeout.)
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private claiming: Promise<Round> | null = null;
  private stopped = true;
  private again = false;
  private active = 0;
  private readonly activeByOrg = new Map<string, number>();
  private readonly underway = new Set<Promise<void>>();

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

  /** Stops claiming and waits for the deliveries under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.claiming?.catch(() => null);
    await Promise.allSettled([...this.underway]);
  }

  /** Something was just recorded, or a place freed: look now instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) this.again = true;
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
    let more = false;
    try {
      const round = await this.claimRound();
      more = round.claimed > 0 && round.claimed === round.asked;
    } catch (err) {
      this.opts.log('error', 'outbox poll failed', { err: (err as Error).message });
    }
    const soon = more || this.again;
    this.again = false;
    this.schedule(soon ? 0 : this.opts.pollMs);
  }

  /** One claim for the free places, waiting for its deliveries; returns how many rows it took. Tests call it directly. */
  async runOnce(): Promise<number> {
    const round = await this.claimRound();
    await round.done;
    return round.claimed;
  }

  private claimRound(): Promise<Round> {
    if (this.claiming) return this.claiming;
    this.claiming = this.claim().finally(() => {
      this.claiming = null;
    });
    return this.claiming;
  }

  private async claim(): Promise<Round> {
    const asked = this.opts.batch - this.active;
    if (asked <= 0) return { asked: 0, claimed: 0, done: Promise.resolve() };
    const now = Date.now();
    const kinds = Object.keys(this.handlers) as OutboxTable['kind'][];
    const token = randomUUID();
    const perOrg = this.opts.perOrg ?? Infinity;
    const fullOrgs = [...this.activeByOrg].filter(([, n]) => n >= perOrg).map(([org]) => org);
    const rows = await this.repo.claim(now, now + this.opts.leaseMs, asked, kinds, token, fullOrgs);
    if (!rows.length) return { asked, claimed: 0, done: Promise.resolve() };
    const heartbeat = setInterval(() => {
      this.repo.renew(token, Date.now() + this.opts.leaseMs).catch((err: unknown) => this.opts.log('warn', 'outbox lease renewal failed', { err: (err as Error).message }));
    }, Math.max(1, Math.floor(this.opts.leaseMs / 3)));
    heartbeat.unref();
    let due: OutboxRow[] = [];
    try {
      const held = await this.holdBack(rows, now, token);
      due = await this.putBackBeyondOrgLimit(
        rows.filter((row) => !held.has(row.id)),
        token,
      );
    } catch (err) {
      // Unknown whether they may go: none is sent now, and each is claimed again once its lease runs out.
      this.opts.log('error', 'outbox sending limits could not be checked; the claimed rows wait for their lease to run out', { err: (err as Error).message });
    }
    for (const row of due) this.count(row.org_id, 1);
    // Every delivery of the claim runs to its end before its heartbeat stops, even when one fails to settle.
    const done = Promise.allSettled(
      due.map((row) =>
        this.deliver(row, token).finally(() => {
          this.count(row.org_id, -1);
          this.wake();
        }),
      ),
    ).then((results) => {
      clearInterval(heartbeat);
      for (const r of results) {
        if (r.status === 'rejected') this.opts.log('error', 'outbox delivery could not be recorded; it will be delivered again', { err: (r.reason as Error)?.message });
      }
    });
    this.underway.add(done);
    void done.finally(() => this.underway.delete(done));
    return { asked, claimed: rows.length, done };
  }

  private count(orgId: string, by: 1 | -1): void {
    this.active += by;
    const n = (this.activeByOrg.get(orgId) ?? 0) + by;
    if (n > 0) this.activeByOrg.set(orgId, n);
    else this.activeByOrg.delete(orgId);
  }

  /**
   * Of `rows`, those within their org's places (`perOrg`); the others go back as they were (due
   * at the same time, the attempt not counted), and the next claim skips an org whose places are full.
   */
  private async putBackBeyondOrgLimit(rows: OutboxRow[], token: string): Promise<OutboxRow[]> {
    const perOrg = this.opts.perOrg;
    if (perOrg === undefined) return rows;
    const taken = new Map<string, number>();
    const within: OutboxRow[] = [];
    for (const row of rows) {
      const n = (this.activeByOrg.get(row.org_id) ?? 0) + (taken.get(row.org_id) ?? 0);
      if (n < perOrg) {
        taken.set(row.org_id, (taken.get(row.org_id) ?? 0) + 1);
        within.push(row);
      } else {
        await this.putBack(row, token);
      }
    }
    return within;
  }

  /** Returns a claimed row to the queue untried: the claim counted an attempt that was not made. */
  private putBack(row: OutboxRow, token: string, set: { next_attempt_at?: number; last_error?: string } = {}): Promise<boolean> {
    return this.repo.settle(row.id, token, { status: 'pending', locked_until: null, attempts: row.attempts - 1, ...set });
  }

  /** Puts back the claimed rows `hold` names, as due at their time and not tried; returns their ids. */
  private async holdBack(rows: OutboxRow[], now: number, token: string): Promise<Set<string>> {
    const held = this.opts.hold ? await this.opts.hold(rows, now) : new Map<string, Held>();
    for (const row of rows) {
      const h = held.get(row.id);
      if (!h) continue;
      await this.putBack(row, token, { next_attempt_at: h.until, last_error: h.reason });
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
      const message = tenantMessage(err);
      // The whole error for the operator (it may name the SMTP host, an address, a port): the row's
      // id and kind say which, never its recipient's link or token.
      this.opts.log('warn', 'outbox delivery attempt failed', { id: row.id, kind: row.kind, attempt: row.attempts, error: message, cause: operatorDetail(err) });
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
 * The outbox drained by one worker per kind of delivery, each with its own places. Webhook
 * receivers are the tenants' choice and may hang for the whole timeout (each org's are limited to
 * a few places, WorkerOptions.perOrg); emails go to the operator's SMTP server and never wait
 * behind them. In one shared worker, a tenant's pings to a receiver that never answers held every
 * other tenant's emails.
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

function tenantMessage(err: unknown): string {
  const text = err instanceof DeliveryFailure || err instanceof AppError ? err.message : INTERNAL_FAILURE;
  return text.slice(0, 1000);
}

/** The raw error and what caused it (code, message), for the operator's log. */
function operatorDetail(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    parts.push([typeof e.code === 'string' ? e.code : '', typeof e.message === 'string' ? e.message : String(e)].filter(Boolean).join(' '));
  }
  return parts.join(' <- ').slice(0, 2000);
}
