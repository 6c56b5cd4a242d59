// PostgreSQL LISTEN/NOTIFY: a message is a NOTIFY on one channel and every instance, this one
// included, receives it on a dedicated LISTEN connection. Stored positions are announced by the
// insert statement itself (positionChannel), so they arrive in commit order.
import type pg from 'pg';
import { CHANNEL, type LiveMessage } from './hub.js';
import { ReconnectingBus } from './reconnecting-bus.js';

export class PgHub extends ReconnectingBus {
  override readonly kind = 'postgres' as const;
  override readonly positionChannel = CHANNEL;
  private client: pg.PoolClient | null = null;
  /** Ends the current LISTEN connection as lost (it reconnects): see resubscribe. */
  private dropListener: (() => void) | null = null;

  constructor(
    private readonly pool: pg.Pool,
    opts: { reconnectMs?: number } = {},
  ) {
    super(opts.reconnectMs);
  }

  override async publish(msg: LiveMessage): Promise<boolean> {
    try {
      await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(msg)]);
      // Not listening right now (or deaf): the echo will not come back, so this instance's viewers get it here.
      if (!this.connected) this.dispatchLocally(msg);
      return true;
    } catch (err) {
      // The database is away: this instance's viewers still get it; the others resync when back.
      this.errorLog(err);
      this.dispatchLocally(msg);
      return false;
    }
  }

  protected override async connect(): Promise<void> {
    if (this.stopped) return;
    const client = await this.pool.connect();
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
      this.markDisconnected(err ?? new Error('LISTEN connection ended'));
      this.scheduleReconnect();
    };
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.receive(n.payload);
    });
    client.on('error', lost);
    client.on('end', () => lost());
    // The socket is destroyed (release(true)): a silent peer answers no goodbye to wait for.
    this.dropListener = () => lost(new Error('LISTEN connection silent'));
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
    this.markConnected();
  }

  protected override resubscribe(): void {
    this.dropListener?.();
  }

  protected override async disconnect(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) {
      await c.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
      c.release();
    }
  }
}
