// Watches the live bus from the inside: every interval this instance publishes a ping to itself
// and times its return. The round trip is the bus's lag (/metrics); a ping that does not come back
// in time means this instance's subscription died without its client noticing (half-open TCP, a
// proxy or the server dropping the subscriber silently), and the bus is treated as lost (deaf)
// until a ping comes back again.
import { randomBytes } from 'node:crypto';
import type { LiveBus, LiveMessage } from './hub.js';

/**
 * How often the probe pings (ms). One small message per instance per second, heard by every
 * instance: nothing next to position traffic, and it bounds how late an overdue ping is seen.
 */
export const PROBE_INTERVAL_MS = 1000;
/**
 * How long a ping may be out once the bus took it, not counting time the event loop was stalled,
 * before the bus counts as deaf (ms). A healthy bus brings a ping back in milliseconds (PostgreSQL,
 * Redis and NATS on one network, tracklink_live_bus_lag_seconds); 3 s leaves room for a busy database or server and a
 * garbage collection, while a silent subscription is found within 4 s (3 s plus up to one interval)
 * instead of at the next 60 s re-check of open streams. Found deaf, caches are dropped and viewers
 * re-checked every 5 s, as in any outage.
 */
export const PROBE_OVERDUE_MS = 3000;
/**
 * How long a ping's publish may stay unsettled before it counts as lost too (ms). The 3 s above
 * run from when the bus took the ping: the wait before that (a pool whose connections are all busy,
 * a slow NOTIFY on a loaded database) says nothing about the subscription, and counting it made a
 * busy single-instance database look like a lost bus, whose end re-syncs every viewer (each page
 * reloads its sections): more load, and another loss. A publish that gets no answer at all for
 * this long (a server gone silent on every connection; PostgreSQL's own pool and statement
 * timeouts settle one well before) is an outage.
 */
export const PROBE_PUBLISH_STUCK_MS = 10_000;

export class BusProbe {
  readonly instance = randomBytes(8).toString('hex');
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** When the oldest ping not yet back was sent. */
  private pendingSince: number | null = null;
  /** When the bus took (published) the oldest ping not yet back; the overdue time runs from here. */
  private takenAt: number | null = null;
  /** When the publish still unsettled started (null: none is). */
  private publishStartedAt: number | null = null;
  /** stalledMs when takenAt and publishStartedAt were set: only stalls after them count for them. */
  private stalledAtTaken = 0;
  private stalledAtPublish = 0;
  /** When the newest ping was sent (a deaf bus is pinged every interval: the first one back ends it). */
  private lastSentAt: number | null = null;
  /**
   * A ping's publish has not settled: no other is sent meanwhile. On a frozen database every
   * NOTIFY waits, and a ping a second would pile up on the pool the requests need.
   */
  private publishing = false;
  /**
   * Time the event loop was stalled since pendingSince (ticks that came late): a ping that came
   * back meanwhile is still unread in a socket, and must not count as overdue. Never reset while
   * pings are out; each clock above subtracts only what accrued since it started.
   */
  private stalledMs = 0;
  private lastTickAt: number | null = null;
  /** When the bus was first seen down by a ping, while it stays down. */
  private downSince: number | null = null;
  private lastLagMs = 0;
  /** Messages received from the bus by kind, since start (for tracklink_live_bus_messages_total). */
  readonly received: Record<LiveMessage['type'], number> = { pos: 0, ship: 0, link: 0, org: 0, device: 0, ping: 0 };

  constructor(
    private readonly bus: LiveBus,
    private readonly now: () => number = Date.now,
    private readonly opts: { intervalMs?: number; overdueMs?: number; publishStuckMs?: number } = {},
  ) {
    bus.subscribe((msg) => {
      this.received[msg.type] = (this.received[msg.type] ?? 0) + 1;
      if (msg.type !== 'ping' || msg.instance !== this.instance || this.pendingSince === null || msg.sentAt < this.pendingSince) return;
      // Any of our pings back (the buses deliver only what came through them) proves the subscription works now.
      this.lastLagMs = this.now() - msg.sentAt;
      this.pendingSince = null;
      this.takenAt = null;
      this.stalledMs = 0;
      this.bus.markHeard();
    });
  }

  private get intervalMs(): number {
    return this.opts.intervalMs ?? PROBE_INTERVAL_MS;
  }
  private get overdueMs(): number {
    return this.opts.overdueMs ?? PROBE_OVERDUE_MS;
  }

  /**
   * Seconds the last ping took to come back, or, if longer, how long the outstanding one has been
   * out or the bus has been down (a publish while down is delivered locally and would look instant).
   */
  get lagSeconds(): number {
    const now = this.now();
    const out = Math.max(this.pendingSince === null ? 0 : now - this.pendingSince, this.downSince === null ? 0 : now - this.downSince);
    return Math.max(this.lastLagMs, out) / 1000;
  }

  /**
   * One probe round (every interval): judges the ping that is out, then sends one unless one is
   * still out in time. Public for tests, which drive the clock.
   */
  tick(): void {
    const now = this.now();
    if (this.lastTickAt !== null) this.stalledMs += Math.max(0, now - this.lastTickAt - this.intervalMs);
    this.lastTickAt = now;
    if (!this.bus.connected && !this.bus.deaf) {
      // Down as its client sees it: the bus itself reported the outage; nothing to probe.
      this.downSince ??= now;
      this.pendingSince = null;
      this.takenAt = null;
      this.lastSentAt = null;
      return;
    }
    if (this.downSince !== null) {
      this.downSince = null;
      this.lastLagMs = 0;
    }
    const overdue = this.isOverdue(now);
    if (overdue && this.bus.connected) {
      // Judged after this turn's I/O has been read (setImmediate runs after the poll phase): a
      // ping whose answer waited in a socket while a timer ran first is not overdue.
      const since = this.pendingSince;
      setImmediate(() => {
        if (this.pendingSince === since && this.bus.connected) this.bus.markDeaf(new Error(`no probe back for ${Math.round((this.now() - (since ?? 0)) / 1000)} s`));
      });
    }
    // One ping at a time while they come back; a deaf bus (or an overdue ping, which may be lost
    // for good) gets a new one every round, so recovery shows within one round trip, and so does
    // a ping the bus did not take (a failed publish, never judged: it was not on the bus).
    const failed = this.pendingSince !== null && this.takenAt === null && !this.publishing;
    if (this.pendingSince !== null && !overdue && !this.bus.deaf && !failed) return;
    this.send(now);
  }

  /** The ping out was taken overdueMs ago, or its publish has had no answer for PROBE_PUBLISH_STUCK_MS. */
  private isOverdue(now: number): boolean {
    if (this.pendingSince === null) return false;
    if (this.takenAt !== null && now - this.takenAt - (this.stalledMs - this.stalledAtTaken) >= this.overdueMs) return true;
    const stuck = this.opts.publishStuckMs ?? PROBE_PUBLISH_STUCK_MS;
    return this.publishStartedAt !== null && now - this.publishStartedAt - (this.stalledMs - this.stalledAtPublish) >= stuck;
  }

  private send(at: number): void {
    // Pings sent within one clock tick share sentAt: the first one back ends the wait either way.
    // None starts while a publish is unsettled, nor is one counted as out: an echo read before its
    // publish's own answer (two connections) ends the wait, and the next ping is sent next round.
    if (this.lastSentAt === at || this.publishing) return;
    if (this.pendingSince === null) {
      this.pendingSince = at;
      this.stalledMs = 0;
    }
    const since = this.pendingSince;
    this.lastSentAt = at;
    this.publishing = true;
    this.publishStartedAt = at;
    this.stalledAtPublish = this.stalledMs;
    this.bus
      .publish({ type: 'ping', instance: this.instance, sentAt: at })
      .then(
        (taken) => {
          // Still out (not back meanwhile): it is on the bus from now.
          if (taken && this.pendingSince === since && this.takenAt === null) {
            this.takenAt = this.now();
            this.stalledAtTaken = this.stalledMs;
          }
        },
        () => {},
      )
      .finally(() => {
        this.publishing = false;
        this.publishStartedAt = null;
      });
  }

  /** Whether its timer runs (tests). */
  get running(): boolean {
    return this.timer !== null;
  }

  /** Does nothing once stopped: a start-up that a stop overtook must not start pinging after it. */
  start(): void {
    if (this.stopped) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
