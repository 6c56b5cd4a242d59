// Picks the live bus LIVE_BUS_URL names (config.liveBus).
import type { LiveBusUrl } from '../../config.js';
import type { Store } from '../../db/index.js';
import { LocalHub, type LiveBus } from './hub.js';
import { NatsBus } from './nats-bus.js';
import { PgHub } from './pg-bus.js';
import { RedisBus } from './redis-bus.js';

export function createBus(bus: LiveBusUrl, store: Store, errorLog: (err: unknown) => void, opts: { reconnectMs?: number } = {}): LiveBus {
  let made: LocalHub;
  switch (bus.kind) {
    case 'postgres':
      if (!store.pgPool) throw new Error('the PostgreSQL live bus needs a PostgreSQL store');
      made = new PgHub(store.pgPool, { reconnectMs: opts.reconnectMs });
      break;
    case 'redis':
      made = new RedisBus({ url: bus.url, channel: bus.channel, maxReconnectMs: opts.reconnectMs });
      break;
    case 'nats':
      made = new NatsBus({ url: bus.url, subject: bus.channel, reconnectMs: opts.reconnectMs });
      break;
    case 'local':
      made = new LocalHub();
      break;
  }
  made.setErrorLog(errorLog);
  return made;
}
