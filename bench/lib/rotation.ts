// One round of the public page over every link in rotation (issue 19 item 1), on a fresh server
// over the bench's store, so each round meets links its process has not loaded, whichever path
// (the page or /data) ran before on the same store: first a pass of first visits (each link
// once), then revisits of every link for a window. Each is reported with the server's own CPU
// per request and how many of its requests loaded their link (/metrics), which is what tells a
// first visit from a revisit.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { sumOf } from '../../test/helpers/prom-text.js';
import { assertClean, runLoad, type LoadResult } from './load.js';
import { BENCH_METRICS_TOKEN, benchMetrics, benchServer } from './servers.js';
import { cpuMicros, type TempStore } from './util.js';

/**
 * Links first-visited, unmeasured, before the measured pass: a fresh process runs its first
 * requests unoptimized, which a server that has been up does not. The pass visits the others.
 */
export const WARM_LINKS = 1000;
/** Page views are written behind (view-counter.ts, every 2 s): CPU is read after the last flush of a window, so its writes count. */
const VIEW_FLUSH_WAIT_MS = 2500;

export interface Measured {
  r: LoadResult;
  /** The baseline's window just before, when one was asked for. */
  base: LoadResult | null;
  /** The server's CPU (user + system) per request, µs, its deferred view writes included. */
  cpu: number;
  /** Requests that loaded their link from the database (link cache misses). */
  loads: number;
  /** The 1-minute load average as the window started. */
  load: number;
}

export interface RotationRound {
  first: Measured;
  again: Measured;
}

async function cacheMisses(url: string): Promise<number> {
  return sumOf(await benchMetrics(url), 'tracklink_link_cache_lookups_total', { result: 'miss' });
}

async function measured(pid: number, url: string, name: string, run: () => Promise<LoadResult>, baseline?: () => Promise<LoadResult>): Promise<Measured> {
  const base = baseline ? await baseline() : null;
  const m0 = await cacheMisses(url);
  const load = os.loadavg()[0];
  const c0 = cpuMicros(pid);
  const r = await run();
  await sleep(VIEW_FLUSH_WAIT_MS);
  const cpu = (cpuMicros(pid) - c0) / Math.max(1, r.requests);
  assertClean(name, r);
  return { r, base, cpu, loads: (await cacheMisses(url)) - m0, load };
}

/**
 * `paths` in a shared rotation (consecutive requests ask for consecutive links), 100 connections:
 * WARM_LINKS first visits unmeasured, a pass of first visits over the rest, then revisits of all
 * of them for `seconds`; `baseline`, when given, runs just before each of the two (alternating rounds).
 */
export async function rotationRound(store: TempStore, paths: string[], marker: string, seconds: number, baseline?: () => Promise<LoadResult>): Promise<RotationRound> {
  const server = await benchServer(store, { METRICS_TOKEN: BENCH_METRICS_TOKEN });
  const pid = server.proc.pid as number;
  const spec = { url: server.url, connections: 100, rotation: 'shared' as const, expectIncludes: marker, durationSeconds: seconds };
  try {
    assertClean('warm-up', await runLoad({ ...spec, paths: paths.slice(0, WARM_LINKS), amount: WARM_LINKS }));
    const rest = paths.slice(WARM_LINKS);
    const first = await measured(pid, server.url, 'first visits', () => runLoad({ ...spec, paths: rest, amount: rest.length }), baseline);
    const again = await measured(pid, server.url, 'revisits', () => runLoad({ ...spec, paths }), baseline);
    return { first, again };
  } finally {
    await server.kill('SIGTERM');
  }
}
