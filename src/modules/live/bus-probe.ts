// Measures the live bus's lag: every interval this instance publishes a ping to itself and times
// its return. A ping that has not come back counts as lag growing, so a stalled bus shows up
// in /metrics even when no message at all arrives.
import { randomBytes } from 'node:crypto';
import type { LiveBus, LiveMessage } from './hub.js';

export class BusProbe {
  readonly instance = randomBytes(8).toString('hex');
  private timer: NodeJS.Timeout | null = null;
  private pendingSince: number | null = null;
  /** When the bus was first seen down by a ping, while it stays down. */
  private downSince: number | null = null;
  private lastLagMs = 0;
  /** Messages received from the bus by kind, since start (for tracklink_live_bus_messages_total). */
  readonly received: Record<LiveMessage['type'], number> = { pos: 0, ship: 0, link: 0, org: 0, device: 0, ping: 0 };

  constructor(
    private readonly bus: LiveBus,
    private readonly now: () => number = Date.now,
  ) {
    bus.subscribe((msg) => {
      this.received[msg.type] = (this.received[msg.type] ?? 0) + 1;
      if (msg.type === 'ping' && msg.instance === this.instance && this.pendingSince !== null && msg.sentAt === this.pendingSince) {
        this.lastLagMs = this.now() - msg.sentAt;
        this.pendingSince = null;
      }
    });
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

  /** Sends one ping now (unless one is still out, or the bus is down). */
  ping(): void {
    if (!this.bus.connected) {
      this.downSince ??= this.now();
      this.pendingSince = null;
      return;
    }
    if (this.downSince !== null) {
      this.downSince = null;
      this.lastLagMs = 0;
    }
    if (this.pendingSince !== null) return;
    const at = this.now();
    this.pendingSince = at;
    this.bus.publish({ type: 'ping', instance: this.instance, sentAt: at }).catch(() => {});
  }

  start(intervalMs: number): void {
    this.ping();
    this.timer = setInterval(() => this.ping(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
