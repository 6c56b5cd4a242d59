// The fan-out bus between instances. On SQLite (one process) it is in-process; on PostgreSQL a
// message is a NOTIFY on one channel and every instance, this one included, receives it on a
// dedicated LISTEN connection, so all viewers see one ordered stream whichever instance ingested.
import type pg from 'pg';

/** Small on purpose: NOTIFY payloads are capped at 8000 bytes and are sent per batch, not per row. */
export type LiveMessage =
  /**
   * Latest position of a device: [recorded_at, lat, lon, speed_mps, heading_deg, accuracy_m]. On
   * PostgreSQL the insert statement itself sends it (positions.repository.ts, insertUnnest).
   */
  | { t: 'pos'; o: string; d: string; p: [number, number, number, number | null, number | null, number | null] }
  /** Something about a shipment changed (status, stops, sources, ETA, deletion). */
  | { t: 'ship'; o: string; s: string; k: string }
  /** A link changed (created/updated/revoked/regenerated/expired). */
  | { t: 'link'; o: string; s: string; l: string; k: string }
  /** An org changed what its links may show (billing lock, sharing, template). */
  | { t: 'org'; o: string };

export type LiveListener = (msg: LiveMessage) => void;

export const CHANNEL = 'tracklink_live';

export interface Hub {
  /**
   * PostgreSQL: the channel on which the store announces stored positions itself, in the insert's
   * transaction (so in commit order); null: publish them after storing.
   */
  readonly positionChannel: string | null;
  publish(msg: LiveMessage): Promise<void>;
  subscribe(listener: LiveListener): void;
  /** Called after the PostgreSQL listener reconnects: messages may have been missed. */
  onResync(listener: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class LocalHub implements Hub {
  readonly positionChannel: string | null = null;
  protected readonly listeners: LiveListener[] = [];
  protected readonly resync: (() => void)[] = [];
  protected errorLog: (err: unknown) => void = () => {};

  setErrorLog(log: (err: unknown) => void): void {
    this.errorLog = log;
  }
  subscribe(listener: LiveListener): void {
    this.listeners.push(listener);
  }
  onResync(listener: () => void): void {
    this.resync.push(listener);
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
  async publish(msg: LiveMessage): Promise<void> {
    this.dispatch(msg);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

export class PgHub extends LocalHub {
  override readonly positionChannel = CHANNEL;
  private client: pg.PoolClient | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly pool: pg.Pool) {
    super();
  }

  override async publish(msg: LiveMessage): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(msg)]);
  }

  override async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      // PostgreSQL briefly unavailable at boot: keep retrying in the background.
      this.errorLog(err);
      this.scheduleReconnect();
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = await this.pool.connect();
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
      this.scheduleReconnect();
    };
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        this.dispatch(JSON.parse(n.payload) as LiveMessage);
      } catch (err) {
        this.errorLog(err);
      }
    });
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      // The connection broke between connect and LISTEN: give it back (destroyed) or the pool shrinks by one.
      client.release(true);
      throw err;
    }
    if (this.stopped) {
      client.release(true);
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect()
        .then(() => {
          for (const r of this.resync) r();
        })
        .catch((err) => {
          this.errorLog(err);
          this.scheduleReconnect();
        });
    }, 1000);
    this.retry.unref();
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    if (c) {
      await c.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
      c.release();
    }
  }
}
