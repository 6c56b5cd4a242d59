// What the buses to another process (PostgreSQL, Redis, NATS) share: they start down, connect,
// retry in the background while the connection cannot be made, and resync after every loss
// (messages published meanwhile were not kept for this instance). Each bus says how it connects.
// A subscription found silent by the probe (deaf) is dropped and made again: the connection that
// went quiet without a close (half-open TCP, a NAT or proxy that forgot it) would otherwise be
// kept until TCP itself gives up, hours for a LISTEN or a Redis subscriber, and all that time this
// instance serves from the database only and its viewers miss every other instance's positions.
import { LocalHub } from './hub.js';

/**
 * How often a subscription that stays silent is made again (ms). The first time is at once: the
 * probe has already waited 3 s for it. Again every 10 s while no probe comes back (the bus server
 * itself unreachable, or a new connection silent too), so a bus that is only slow (a saturated
 * LISTEN/NOTIFY, whose probes come back late) is not reconnected more often than that.
 */
export const RESUBSCRIBE_EVERY_MS = 10_000;

export abstract class ReconnectingBus extends LocalHub {
  protected stopped = false;
  /** True until the first connection, and after every loss: the next connection resyncs. */
  protected missed = false;
  private retry: NodeJS.Timeout | null = null;
  private resubscribing: NodeJS.Timeout | null = null;

  constructor(private readonly reconnectMs = 1000) {
    super();
    this.up = false;
  }

  /** Connects and subscribes, then calls markConnected(); throws when the bus cannot be reached. */
  protected abstract connect(): Promise<void>;
  /** Closes the connection for good (stop has already cancelled any retry). */
  protected abstract disconnect(): Promise<void>;
  /**
   * Drops the subscriber's connection (and any other this bus publishes through that may be just
   * as silent) so that the bus's own reconnection makes a new one; returns at once.
   */
  protected abstract resubscribe(): void;

  override markDeaf(cause: Error): void {
    super.markDeaf(cause);
    if (!this.deaf || this.stopped || this.resubscribing) return;
    const again = () => {
      if (this.stopped || !this.deaf) {
        this.resubscribing = null;
        return;
      }
      this.errorLog(new Error(`live bus (${this.kind}) subscription silent: making it again`));
      try {
        this.resubscribe();
      } catch (err) {
        this.errorLog(err);
      }
      this.resubscribing = setTimeout(again, RESUBSCRIBE_EVERY_MS);
      this.resubscribing.unref();
    };
    again();
  }

  override async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      // The bus briefly unavailable at boot: keep retrying in the background.
      this.errorLog(err);
      this.missed = true;
      this.scheduleReconnect();
    }
  }

  protected scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch((err) => {
        this.errorLog(err);
        this.scheduleReconnect();
      });
    }, this.reconnectMs);
    this.retry.unref();
  }

  /** Messages flow (again): after a loss, everything cached may have missed one. */
  protected markConnected(): void {
    const afterOutage = this.missed;
    this.missed = false;
    this.markUp(afterOutage);
  }

  /** The connection went: what is published until the next markConnected() is missed here. */
  protected markDisconnected(cause: unknown): void {
    this.missed = true;
    this.markLost(cause);
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.resubscribing) clearTimeout(this.resubscribing);
    await this.disconnect();
  }
}
