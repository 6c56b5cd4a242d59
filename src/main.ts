// loadConfig → open store → migrate → buildApp → listen, with graceful shutdown on SIGTERM/SIGINT.
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createStore } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { createServices, type Services } from './services.js';
import type { FastifyInstance } from 'fastify';

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: { onListening?: (url: string) => void } = {}): Promise<Running> {
  const store = createStore(config.database);
  await migrateToLatest(store);
  const services = createServices(config, store);
  const app = await buildApp(services);
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  opts.onListening?.(url);
  // Background sending belongs to a serving process only; tests and CLI commands start it when they want it.
  services.notifications.start(app.log);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await store.close();
    })();
    return closing;
  };
  return { app, services, url, close };
}

/** Stops accepting, lets in-flight requests finish, then closes the store; bounded by a timeout. */
export function handleSignals(running: Running, timeoutMs = 8000): void {
  const stop = (signal: string) => {
    running.app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      running.app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    running
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        running.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
