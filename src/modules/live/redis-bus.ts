// Redis pub/sub (LIVE_BUS_URL=redis://…): one connection publishes, one subscribes to the
// channel. Redis keeps nothing for a subscriber that was away, so every reconnection of the
// subscriber resyncs (caches dropped, viewers re-resolved). ioredis reconnects by itself; errors
// are logged once per outage and never thrown at the process.
import { Redis } from 'ioredis';
import type { LiveMessage } from './hub.js';
import { ReconnectingBus } from './reconnecting-bus.js';

export interface RedisBusOptions {
  url: string;
  channel: string;
  /** Upper bound of the delay between reconnection attempts, ms. */
  maxReconnectMs?: number;
}

/** ioredis reconnects by itself, so this bus connects once and never schedules a retry of its own. */
export class RedisBus extends ReconnectingBus {
  override readonly kind = 'redis' as const;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private subscribed: Promise<void> | null = null;

  constructor(private readonly opts: RedisBusOptions) {
    super();
    const common = {
      lazyConnect: true,
      // Commands fail while disconnected instead of piling up: a publish then goes to local viewers.
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(100 * times, opts.maxReconnectMs ?? 2000),
      connectionName: 'tracklink-live',
    };
    this.pub = new Redis(opts.url, { ...common, enableOfflineQueue: false });
    this.sub = new Redis(opts.url, { ...common, autoResubscribe: false });
    this.pub.on('error', (err) => this.connectionError(err));
    this.sub.on('error', (err) => this.connectionError(err));
    this.sub.on('close', () => {
      if (this.stopped) return;
      this.markDisconnected(new Error('Redis subscriber connection closed'));
    });
    this.sub.on('ready', () => {
      if (!this.stopped) this.subscribe_();
    });
    this.sub.on('message', (channel: string, payload: string) => {
      if (channel === opts.channel) this.receive(payload);
    });
  }

  /** Logged while connected (the first sign of an outage); during one, retries stay quiet. */
  private connectionError(err: Error): void {
    if (this.up && !this.stopped) this.errorLog(err);
  }

  private subscribe_(): Promise<void> {
    this.subscribed = this.sub.subscribe(this.opts.channel).then(
      () => this.markConnected(),
      (err: unknown) => {
        // The connection dropped again meanwhile; its next 'ready' subscribes again.
        this.missed = true;
        this.errorLog(err);
      },
    );
    return this.subscribed;
  }

  override async publish(msg: LiveMessage): Promise<boolean> {
    const payload = JSON.stringify(msg);
    let sent = false;
    if (this.pub.status === 'ready') {
      try {
        await this.pub.publish(this.opts.channel, payload);
        sent = true;
      } catch (err) {
        this.errorLog(err);
      }
    }
    // Our own echo comes back only while subscribed (and not deaf): otherwise this instance's
    // viewers get it here and the other instances resync when the bus is back.
    if (!sent || !this.connected) this.dispatchLocally(msg);
    return sent;
  }

  protected override async connect(): Promise<void> {
    this.pub.connect().catch(() => {});
    // Waits for the first subscription, or for the first failure (Redis not up at boot): then the
    // client keeps reconnecting in the background and the subscription resyncs when it succeeds.
    await new Promise<void>((resolve) => {
      const failed = (err: Error) => {
        this.missed = true;
        this.errorLog(new Error(`live bus (redis) not reachable at start, retrying in the background: ${err.message}`));
        resolve();
      };
      this.sub.once('error', failed);
      this.sub.once('ready', () => {
        this.sub.off('error', failed);
        // 'ready' handler above starts the subscription; wait for it.
        queueMicrotask(() => (this.subscribed ?? Promise.resolve()).then(resolve));
      });
      this.sub.connect().catch(() => {});
    });
  }

  /**
   * Both connections: a publish stuck on a silent publisher (no answer, no error) holds the probe's
   * ping too. ioredis fails what was pending on them, then reconnects each; the subscriber
   * subscribes again on 'ready'.
   */
  protected override resubscribe(): void {
    this.sub.disconnect(true);
    this.pub.disconnect(true);
  }

  protected override async disconnect(): Promise<void> {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
