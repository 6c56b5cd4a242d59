// Starts the load generator (autocannon) in a separate process and returns its summary.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * An unmeasured window before a warm crowd's rounds: a fresh process runs its first seconds
 * unoptimized and fills its caches (measured: its first 4 s window cost 1.5-2x the CPU per
 * request of the later ones), which is not the steady state a hot crowd meets.
 */
export const WARM_UP_SECONDS = 3;

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** GET these paths in turn (e.g. many tracking links). */
  paths?: string[];
  /**
   * 'shared' (default): one turn across all connections, so consecutive requests ask for
   * consecutive paths (a rotation nobody else just asked for). 'per-connection': each connection
   * walks the list itself, from requests autocannon builds once, so the load generator spends no
   * CPU per request on building it, as for the baseline; for a crowd on a few hot links.
   */
  rotation?: 'shared' | 'per-connection';
  /** POST /api/v1/positions bodies of `batch` unique positions. */
  ingest?: { deviceIds: string[]; batch: number; startAt: string };
  /**
   * POST /ingest/osmand/<token>?lat&lon&timestamp, the tokens taken in turn (one device after
   * another, as phones reporting on a timer), each position stamped with the time it is sent.
   */
  osmand?: { tokens: string[] };
  expectIncludes?: string;
  /** The reply must be empty (OsmAnd's 200). */
  expectEmpty?: boolean;
  /**
   * Send exactly this many requests (spread over the connections), however long they take,
   * instead of running for durationSeconds: e.g. one pass over a rotation, each path once.
   * The result's rps is then requests / elapsed time.
   */
  amount?: number;
  /** Requests per second across all connections (a steady load, as for a soak); unlimited when absent. */
  rate?: number;
  /** Send at `rate` on a schedule (open-loop.ts) over at most this many sockets, instead of autocannon's per-connection loop; `connections` is then unused. */
  openLoopSockets?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  durationSeconds: number;
  /** Open loop only: requests the generator itself sent more than 100 ms after their time. */
  late?: number;
}

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-worker.ts');

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The spec can list 10,000 paths: too long for argv, so it travels in a file.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-load-'));
    const specFile = path.join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`load generator failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() as string) as LoadResult);
    });
  });
}

/** Throws unless every request got a 2xx with a plausible body. */
export function assertClean(name: string, r: LoadResult): void {
  const bad = r.non2xx + r.errors + r.timeouts + r.mismatches;
  if (bad > 0 || r.requests === 0) {
    throw new Error(`${name}: ${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts, ${r.mismatches} wrong bodies`);
  }
}
