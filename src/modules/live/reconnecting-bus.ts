// What the buses to another process (PostgreSQL, Redis, NATS) share: they start down, connect,
// retry in the background while the connection cannot be made, and resync after every loss
// (messages published meanwhile were not kept for this instance). Each bus says how it connects.
import { LocalHub } from './hub.js';

export abstract class ReconnectingBus extends LocalHub {
  protected stopped = false;
  /** True until the first connection, and after every loss: the next connection resyncs. */
  protected missed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly reconnectMs = 1000) {
    super();
    this.up = false;
  }

  /** Connects and subscribes, then calls markConnected(); throws when the bus cannot be reached. */
  protected abstract connect(): Promise<void>;
  /** Closes the connection for good (stop has already cancelled any retry). */
  protected abstract disconnect(): Promise<void>;

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
    await this.disconnect();
  }
}
