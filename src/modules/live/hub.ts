// The fan-out bus between instances (LIVE_BUS_URL). Every instance publishes what changed and
// receives what every instance published, itself included, so all viewers see one stream
// whichever instance ingested. Implementations: in-process (SQLite: one process), PostgreSQL
// LISTEN/NOTIFY (pg-bus.ts), Redis pub/sub (redis-bus.ts), NATS (nats-bus.ts); create-bus.ts picks one.

/**
 * What instances tell each other, as JSON. Small on purpose (NOTIFY payloads are capped at 8000
 * bytes), but with readable keys: measured against one-letter keys, a position message is 167
 * bytes instead of 146 and costs about 0.5 µs more to stringify and parse (node, 1e6 rounds),
 * nothing next to the work a message causes. Every instance must run the same version of these
 * shapes: a message an older instance does not understand is ignored by it.
 */
export type LiveMessage =
  /**
   * Latest position of a device: [recorded_at, lat, lon, speed_mps, heading_deg, accuracy_m]. On
   * PostgreSQL LISTEN/NOTIFY the insert statement itself sends it (position-inserts.repository.ts, insertUnnest).
   */
  | { type: 'pos'; orgId: string; deviceId: string; position: [number, number, number, number | null, number | null, number | null] }
  /** Something about a shipment changed (`change`: status, stops, sources, eta, deletion…). */
  | { type: 'ship'; orgId: string; shipmentId: string; change: string }
  /** A link changed (`change`: created/updated/revoked/regenerated/expired). */
  | { type: 'link'; orgId: string; shipmentId: string; linkId: string; change: string }
  /**
   * A device's token stopped working (`change`: token_rotated, deleted): each instance drops the
   * device it cached for that token (positions/device-token-cache.ts).
   */
  | { type: 'device'; orgId: string; deviceId: string; change: string }
  /** An org changed what its links may show (billing lock, sharing, template). */
  | { type: 'org'; orgId: string }
  /** A probe an instance sends itself through the bus to measure its lag (bus-probe.ts). */
  | { type: 'ping'; instance: string; sentAt: number };

export type LiveListener = (msg: LiveMessage) => void;

export const CHANNEL = 'tracklink_live';

export type LiveBusKind = 'local' | 'postgres' | 'redis' | 'nats';

/** What every bus implements; the live module knows nothing else about it. */
export interface LiveBus {
  readonly kind: LiveBusKind;
  /**
   * PostgreSQL LISTEN/NOTIFY: the channel on which the store announces stored positions itself, in
   * the insert's transaction (so in commit order); null: publish them after storing.
   */
  readonly positionChannel: string | null;
  /**
   * Whether messages published now reach the other instances and come back (false during an
   * outage, and while `deaf`).
   */
  readonly connected: boolean;
  /**
   * The connection looks up but this instance's probes stopped coming back (bus-probe.ts): its
   * subscription died silently (half-open TCP, a proxy or a server dropping the subscriber without
   * telling it). Counts as an outage (`connected` is false, onLost listeners ran); publishes still go
   * out, and the probe keeps pinging through the bus until one comes back (markHeard).
   */
  readonly deaf: boolean;
  /**
   * Never rejects because the bus is down: the message is then delivered on this instance only.
   * Resolves true when the bus took the message (the other instances will receive it), false when
   * only this instance got it (a failed NOTIFY or PUBLISH, or this instance off the bus).
   * `confirmed`: true only once the server has it (NATS otherwise counts a buffered message as
   * taken, and a connection dying right after loses it); costs a round trip, so only for messages
   * sent again until taken (InsistentPublisher), never positions.
   */
  publish(msg: LiveMessage, opts?: { confirmed?: boolean }): Promise<boolean>;
  /** The probe's ping is overdue: treat the bus as lost until markHeard (see `deaf`). */
  markDeaf(cause: Error): void;
  /** A probe came back through the bus: if it was deaf, it is back (and resyncs). */
  markHeard(): void;
  subscribe(listener: LiveListener): void;
  /** Called after the connection comes back from an outage: messages may have been missed. */
  onResync(listener: () => void): void;
  /** Called when the bus connection is lost (connected turns false). */
  onLost(listener: () => void): void;
  /** Connects; if the bus cannot be reached, logs and keeps retrying in the background. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** @deprecated name kept for existing imports: the bus interface. */
export type Hub = LiveBus;

/** The in-process bus (one process, SQLite), and the listener plumbing every other bus shares. */
export class LocalHub implements LiveBus {
  readonly kind: LiveBusKind = 'local';
  readonly positionChannel: string | null = null;
  protected readonly listeners: LiveListener[] = [];
  protected readonly resync: (() => void)[] = [];
  protected readonly lost: (() => void)[] = [];
  protected errorLog: (err: unknown) => void = () => {};
  /** The connection (as its client sees it) is up. */
  protected up = true;
  /** See LiveBus.deaf; survives reconnections: only a probe coming back clears it. */
  private silent = false;

  get connected(): boolean {
    return this.up && !this.silent;
  }
  get deaf(): boolean {
    return this.silent;
  }
  setErrorLog(log: (err: unknown) => void): void {
    this.errorLog = log;
  }
  subscribe(listener: LiveListener): void {
    this.listeners.push(listener);
  }
  onResync(listener: () => void): void {
    this.resync.push(listener);
  }
  onLost(listener: () => void): void {
    this.lost.push(listener);
  }
  protected dispatch(msg: LiveMessage): void {
    for (const l of this.listeners) {
      try {
        l(msg);
      } catch (err) {
        this.errorLog(err);
      }
    }
  }
  /** Parses a message received from the bus; a malformed one is logged and dropped. */
  protected receive(payload: string): void {
    let msg: LiveMessage;
    try {
      msg = JSON.parse(payload) as LiveMessage;
    } catch (err) {
      this.errorLog(err);
      return;
    }
    if (msg && typeof msg === 'object' && typeof msg.type === 'string') this.dispatch(msg);
  }
  /**
   * Hands a message to this instance's listeners when the bus will not bring it back. Never a
   * ping: one delivered here would look like a round trip through the bus to the probe.
   */
  protected dispatchLocally(msg: LiveMessage): void {
    if (msg.type !== 'ping') this.dispatch(msg);
  }
  /** The connection is gone: later publishes are delivered locally until it is back. */
  protected markLost(cause: unknown): void {
    if (!this.up) return;
    this.up = false;
    // Already deaf: the outage was announced then.
    if (this.silent) return;
    this.announceLost(`connection lost, reconnecting: ${(cause as Error)?.message ?? String(cause)}`);
  }
  markDeaf(cause: Error): void {
    if (!this.connected) return;
    this.silent = true;
    this.announceLost(`subscription silent, treated as lost until a probe comes back: ${cause.message}`);
  }
  markHeard(): void {
    if (!this.silent) return;
    this.silent = false;
    // Still reconnecting: markUp resyncs when the connection is back.
    if (!this.up) return;
    this.errorLog(new Error(`live bus (${this.kind}) heard again; resyncing caches and viewers`));
    this.announceResync();
  }
  private announceLost(why: string): void {
    this.errorLog(new Error(`live bus (${this.kind}) ${why}`));
    for (const l of this.lost) {
      try {
        l();
      } catch (err) {
        this.errorLog(err);
      }
    }
  }
  /** The connection is (back) up; after an outage everything cached may have missed a message. */
  protected markUp(afterOutage: boolean): void {
    this.up = true;
    // Deaf: the new connection counts once a probe comes back through it (markHeard resyncs then).
    if (!afterOutage || this.silent) return;
    this.errorLog(new Error(`live bus (${this.kind}) reconnected; resyncing caches and viewers`));
    this.announceResync();
  }
  private announceResync(): void {
    for (const r of this.resync) {
      try {
        r();
      } catch (err) {
        this.errorLog(err);
      }
    }
  }
  async publish(msg: LiveMessage): Promise<boolean> {
    this.dispatch(msg);
    // One process: everyone there is to tell has been told.
    return true;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * Publishes what the other instances must hear of (a device token that stopped working, a
 * revocation, a change that hides something: services.ts says which): a message the bus did not
 * take is sent again every `retryMs` until it does, for `forMs` at most. Without this, one failed
 * NOTIFY or PUBLISH left other instances (none of them had an outage of its own to drop its caches
 * for) serving what the change took away until their own re-checks; after `forMs` (the token
 * cache's lifetime) every token entry older than the change has expired anyway.
 */
export class InsistentPublisher {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly bus: LiveBus,
    private readonly opts: { retryMs: number; forMs: number; errorLog: (err: unknown) => void },
  ) {}

  publish(msg: LiveMessage): void {
    this.attempt(msg, Date.now() + this.opts.forMs);
  }

  /** Stops retrying (shutdown). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private attempt(msg: LiveMessage, until: number, first = true): void {
    if (!first && Date.now() >= until) return;
    // A bus that is away takes nothing, and every try would hand the message to this instance's
    // listeners again (and log the failure) once a second: after the first, wait until it is back
    // (this instance resyncs then; the message still has to reach the others).
    if (!first && !this.bus.connected) {
      this.later(msg, until);
      return;
    }
    this.bus.publish(msg, { confirmed: true }).then((taken) => {
      if (!taken) this.later(msg, until);
    }, this.opts.errorLog);
  }

  private later(msg: LiveMessage, until: number): void {
    if (Date.now() >= until) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.attempt(msg, until, false);
    }, this.opts.retryMs);
    t.unref();
    this.timers.add(t);
  }
}
