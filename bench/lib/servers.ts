// Tracklink servers for the benchmarks: a real process on a temporary store, quiet, limits off.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli, startServerProcess, type ServerProcess } from '../../test/helpers/server.js';
import type { TempStore } from './util.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** An org created through the CLI (its API key returned), then a server on the same store. */
export async function serverWithOrg(store: TempStore, extraEnv: Record<string, string> = {}): Promise<{ server: ServerProcess; key: string }> {
  const created = runCli(['org', 'create', '--name', 'Bench Haulage', '--country', 'NL', '--owner-email', 'bench@example.test'], store.env);
  if (created.status !== 0) throw new Error(created.stderr);
  const { api_key } = JSON.parse(created.stdout) as { api_key: string };
  return { server: await benchServer(store, extraEnv), key: api_key };
}

export function benchServer(store: TempStore, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({
    ...store.env,
    LOG_LEVEL: 'error',
    PUBLIC_RATE_LIMIT: '1000000',
    SSE_MAX_PER_IP: '1000000',
    // Every simulated visitor and device connects from this one machine.
    MAX_CONNECTIONS_PER_IP: '0',
    // A full GC on SIGUSR2 for the memory reading; BENCH_SERVER_NODE_OPTIONS adds e.g. a profiler.
    NODE_OPTIONS: `--expose-gc --import ${pathToFileURL(path.join(HERE, 'gc-on-signal.mjs')).href} ${process.env.BENCH_SERVER_NODE_OPTIONS ?? ''}`.trim(),
    ...extraEnv,
  });
}
