// NATS (LIVE_BUS_URL=nats://…): every instance publishes on one subject and subscribes to it.
// Core NATS keeps nothing for a subscriber that was away, so every reconnection resyncs (caches
// dropped, viewers re-resolved). The client reconnects by itself once connected; a server that
// is down at boot is retried here. Errors are logged, never thrown at the process.
import { connect, type NatsConnection } from 'nats';
import type { LiveMessage } from './hub.js';
import { ReconnectingBus } from './reconnecting-bus.js';

export interface NatsBusOptions {
  url: string;
  subject: string;
  reconnectMs?: number;
}

/**
 * How long a confirmed publish waits for the server's answer. A healthy server answers within
 * milliseconds; InsistentPublisher tries again every second anyway, so waiting longer only delays that.
 */
const FLUSH_TIMEOUT_MS = 2000;

export class NatsBus extends ReconnectingBus {
  override readonly kind = 'nats' as const;
  private nc: NatsConnection | null = null;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(private readonly opts: NatsBusOptions) {
    super(opts.reconnectMs);
  }

  protected override async connect(): Promise<void> {
    if (this.stopped) return;
    const u = new URL(this.opts.url);
    const nc = await connect({
      servers: `${u.hostname}:${u.port || 4222}`,
      ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
      name: 'tracklink-live',
      maxReconnectAttempts: -1,
      reconnectTimeWait: this.opts.reconnectMs ?? 1000,
      // A silent server (half-open TCP) is noticed within about 10 s.
      pingInterval: 5000,
      maxPingOut: 2,
    });
    if (this.stopped) {
      await nc.close().catch(() => {});
      return;
    }
    this.nc = nc;
    nc.subscribe(this.opts.subject, {
      callback: (err, m) => {
        if (err) this.errorLog(err);
        else this.receive(this.decoder.decode(m.data));
      },
    });
    void this.watch(nc);
    // Closed for good (e.g. the server refused the credentials after a restart): start over.
    void nc.closed().then((err) => {
      if (this.stopped || this.nc !== nc) return;
      this.nc = null;
      this.markDisconnected(err ?? new Error('NATS connection closed'));
      this.scheduleReconnect();
    });
    await nc.flush();
    this.markConnected();
  }

  private async watch(nc: NatsConnection): Promise<void> {
    try {
      for await (const s of nc.status()) {
        if (this.stopped) return;
        if (s.type === 'disconnect') {
          this.markDisconnected(new Error(`NATS disconnected from ${String(s.data)}`));
        } else if (s.type === 'reconnect') {
          // The client has sent the subscription again; one round trip makes sure the server has it.
          await nc.flush().catch(() => {});
          this.markConnected();
        } else if (s.type === 'error') {
          this.errorLog(s.data);
        }
      }
    } catch (err) {
      this.errorLog(err);
    }
  }

  override async publish(msg: LiveMessage, opts: { confirmed?: boolean } = {}): Promise<boolean> {
    const nc = this.nc;
    if (nc && this.up) {
      try {
        nc.publish(this.opts.subject, this.encoder.encode(JSON.stringify(msg)));
      } catch (err) {
        this.errorLog(err);
        this.dispatchLocally(msg);
        return false;
      }
      // Deaf: the echo will not come back, so this instance's viewers get it here.
      if (!this.connected) this.dispatchLocally(msg);
      // publish() only buffered it; the server's answer to a PING sent after it says it has it.
      if (opts.confirmed) return this.confirm(nc);
      return true;
    }
    // Down: this instance's viewers get it here; the others resync when the bus is back.
    this.dispatchLocally(msg);
    return false;
  }

  /**
   * True once the server answered a flush (it has everything sent before), false if the
   * connection failed first or no answer came within FLUSH_TIMEOUT_MS (the sender tries again;
   * a message the server did get meanwhile then arrives twice, which every listener tolerates).
   */
  private async confirm(nc: NatsConnection): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), FLUSH_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([nc.flush().then(() => true), timeout]);
    } catch (err) {
      this.errorLog(err);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The client's own reconnection (its status loop marks the bus down, then up again). */
  protected override resubscribe(): void {
    this.nc?.reconnect().catch((err: unknown) => this.errorLog(err));
  }

  protected override async disconnect(): Promise<void> {
    const nc = this.nc;
    this.nc = null;
    if (nc) await nc.close().catch(() => {});
  }
}
