// Tracklink servers for the benchmarks: a real process on a temporary store, quiet, limits off.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, FAST_PASSWORD_HASHING, freePort, killProcess, ROOT, runCli, startServerProcess, waitForHealthy, type ServerProcess } from '../../test/helpers/server.js';
import { parsePrometheusText, type Family } from '../../test/helpers/prom-text.js';
import type { TempStore } from './util.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The bench's servers expose /metrics with this token, for the cold-visit query count and the link cache's misses. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

/** A bench server's /metrics (started with BENCH_METRICS_TOKEN), parsed. */
export async function benchMetrics(url: string): Promise<Map<string, Family>> {
  const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  return parsePrometheusText(await r.text());
}

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
    // A shared machine under load can take a minute to start a server.
  }, ['serve'], START_TIMEOUT_MS);
}

const START_TIMEOUT_MS = 120_000;

/**
 * A bench server whose stdout and stderr go to a file, as an operator's would go to a log
 * shipper: with LOG_LEVEL=info every request writes access lines, and a pipe read into the
 * bench's memory (startServerProcess) would measure the bench instead of the server.
 */
export async function loggedBenchServer(store: TempStore, logFile: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...FAST_PASSWORD_HASHING,
      HOST: '127.0.0.1',
      TILE_URL: 'off',
      ...store.env,
      PUBLIC_RATE_LIMIT: '1000000',
      SSE_MAX_PER_IP: '1000000',
      MAX_CONNECTIONS_PER_IP: '0',
      LOG_FORMAT: 'json',
      NODE_OPTIONS: `--expose-gc --import ${pathToFileURL(path.join(HERE, 'gc-on-signal.mjs')).href} ${process.env.BENCH_SERVER_NODE_OPTIONS ?? ''}`.trim(),
      ...extraEnv,
      PORT: String(port),
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(url, START_TIMEOUT_MS, proc);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    port,
    proc,
    output: () => readFileSync(logFile, 'utf8'),
    kill: (signal: NodeJS.Signals = 'SIGKILL') => killProcess(proc, signal),
  };
}
