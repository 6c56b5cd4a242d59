// PostgreSQL LISTEN/NOTIFY: a message is a NOTIFY on one channel and every instance, this one
// included, receives it on a dedicated LISTEN connection. Stored positions are announced by the
// insert statement itself (positionChannel), so they arrive in commit order.
import type pg from 'pg';
import { CHANNEL, LocalHub, type LiveMessage } from './hub.js';

export class PgHub extends LocalHub {
  override readonly kind = 'postgres' as const;
  override readonly positionChannel = CHANNEL;
  private client: pg.PoolClient | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  /** True until the first LISTEN succeeds, and after every loss: the next LISTEN resyncs. */
  private missed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: { reconnectMs?: number } = {},
  ) {
    super();
    this.up = false;
  }

  override async publish(msg: LiveMessage): Promise<void> {
    try {
      await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(msg)]);
      // Not listening right now: the echo will not come back, so this instance's viewers get it here.
      if (!this.up) this.dispatch(msg);
    } catch (err) {
      // The database is away: this instance's viewers still get it; the others resync when back.
      this.errorLog(err);
      this.dispatch(msg);
    }
  }

  override async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      // PostgreSQL briefly unavailable at boot: keep retrying in the background.
      this.errorLog(err);
      this.missed = true;
      this.scheduleReconnect();
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = await this.pool.connect();
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
      this.missed = true;
      this.markLost(err ?? new Error('LISTEN connection ended'));
      this.scheduleReconnect();
    };
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.receive(n.payload);
    });
    client.on('error', lost);
    client.on('end', () => lost());
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
    const afterOutage = this.missed;
    this.missed = false;
    this.markUp(afterOutage);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch((err) => {
        this.errorLog(err);
        this.scheduleReconnect();
      });
    }, this.opts.reconnectMs ?? 1000);
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
