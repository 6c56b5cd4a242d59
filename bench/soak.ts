// BENCH_ONLY=soak: does a server's memory stay flat under a steady public load for a long time?
// For each store, two servers run side by side for SOAK_MINUTES (default 30): one serving the
// page and its JSON, one serving the same plus /t/{slug}/history, each at a fixed request rate
// while a device reports once a second. Every SOAK_SAMPLE_SECONDS the servers collect garbage
// fully (gc-on-signal.mjs) and report heap and RSS; the row is the least-squares slope after the
// first minute of warm-up. A leak on one path then shows as a slope on one server only.
// SOAK_HEAP_DIR=<dir> also writes a heap snapshot of every server after warm-up and at the end,
// to compare in Chrome DevTools (Memory → Comparison).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerProcess } from '../test/helpers/server.js';
import { assertClean, runLoad } from './lib/load.js';
import { serverWithOrg } from './lib/servers.js';
import { call, fmt, rssBytes, tempStore, type BenchRow, type TempStore } from './lib/util.js';
import { buildWorld, loadHistory, type World } from './scenario.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 15);
/** Requests per second per server: a steady crowd, far below saturation, so the slope is the server's own. */
const RATE = Number(process.env.SOAK_RATE ?? 100);
const WINDOW_SECONDS = 60;
const WARMUP_MS = 60_000;
/** Two days of one position per 10 s: over the sampling threshold, so /history takes its sampled path. */
const HISTORY_POINTS = 2 * 24 * 360;
const SHIPMENTS = 50;
const MB = 2 ** 20;
/** SOAK_STORES=postgres soaks one store only, for work on it. */
const STORES = (process.env.SOAK_STORES ?? 'sqlite,postgres').split(',') as Kind[];

type Kind = 'sqlite' | 'postgres';

interface Sample {
  at: number;
  rss: number;
  heapUsed: number;
}

interface Soaker {
  kind: Kind;
  withHistory: boolean;
  store: TempStore;
  server: ServerProcess;
  world: World;
  memoryFile: string;
  samples: Sample[];
  p99: number[];
  requests: number;
  failed: number;
}

const label = (s: Pick<Soaker, 'kind' | 'withHistory'>) => `${s.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${s.withHistory ? 'pages + /history' : 'pages only'}`;

async function start(kind: Kind, withHistory: boolean, tmp: string, heapDir: string | undefined): Promise<Soaker> {
  const store = await tempStore(kind);
  const memoryFile = path.join(tmp, `${kind}-${withHistory ? 'history' : 'pages'}.json`);
  const { server, key } = await serverWithOrg(store, { BENCH_MEMORY_FILE: memoryFile, ...(heapDir ? { BENCH_HEAP_DIR: heapDir } : {}) });
  const world = await buildWorld(server.url, key, SHIPMENTS);
  await loadHistory(server.url, key, world.live.deviceId, HISTORY_POINTS, 10_000);
  const history = (await call<{ layers: { points: unknown[] }[] }>(server.url, null, 'GET', `/t/${world.live.slug}/history`)).layers;
  if (!history.some((l) => l.points.length > 0)) throw new Error('soak: the live link shows no history');
  return { kind, withHistory, store, server, world, memoryFile, samples: [], p99: [], requests: 0, failed: 0 };
}

/** Full GC in the server, then its own heap figure and its RSS. */
async function sample(s: Soaker): Promise<void> {
  const pid = s.server.proc.pid as number;
  const asked = Date.now();
  process.kill(pid, 'SIGUSR2');
  // The server answers between requests; under load that can take a moment.
  for (let waited = 0; waited < 120_000; waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    const mem = existsSync(s.memoryFile) ? (JSON.parse(readFileSync(s.memoryFile, 'utf8')) as { at: number; heapUsed: number }) : null;
    if (mem && mem.at >= asked) {
      s.samples.push({ at: mem.at, rss: rssBytes(pid), heapUsed: mem.heapUsed });
      return;
    }
  }
  throw new Error(`soak ${label(s)}: no memory report within 120 s of SIGUSR2`);
}

/** The public paths a crowd asks for; the live link's history is the one with a track. */
function paths(s: Soaker): string[] {
  const slugs = [s.world.live.slug, ...s.world.slugs.slice(0, 19)];
  const out: string[] = [];
  for (const slug of slugs) {
    out.push(`/t/${slug}`, `/t/${slug}/data`);
    if (s.withHistory) out.push(`/t/${slug}/history`, `/t/${s.world.live.slug}/history`);
  }
  return out;
}

/** A device reporting once a second, as the live truck of the world. */
function reporter(s: Soaker): () => Promise<void> {
  let stopped = false;
  let failure: unknown = null;
  const loop = (async () => {
    while (!stopped) {
      await call(s.server.url, s.world.key, 'POST', '/api/v1/positions', {
        positions: [{ device_id: s.world.live.deviceId, recorded_at: new Date().toISOString(), lat: 52 + Math.random() / 100, lon: 5 + Math.random() / 100, speed_mps: 20 }],
      });
      await new Promise((r) => setTimeout(r, 1000));
    }
  })().catch((err: unknown) => {
    failure = err;
  });
  return async () => {
    stopped = true;
    await loop;
    if (failure) throw failure;
  };
}

async function soak(s: Soaker, until: number): Promise<void> {
  const stop = reporter(s);
  try {
    while (Date.now() < until) {
      const seconds = Math.max(5, Math.min(WINDOW_SECONDS, Math.round((until - Date.now()) / 1000)));
      const r = await runLoad({ url: s.server.url, connections: 10, durationSeconds: seconds, paths: paths(s), rotation: 'shared', rate: RATE });
      // A wrong answer fails the soak; a request that timed out (a heap snapshot stops the server
      // for seconds, and two cores are shared) is counted and reported.
      if (r.non2xx + r.mismatches > 0 || r.requests === 0) assertClean(`soak ${label(s)}`, r);
      s.p99.push(r.latencyP99);
      s.requests += r.requests;
      s.failed += r.errors + r.timeouts;
    }
  } finally {
    await stop();
  }
}

/** Least-squares slope of y over time, in MB per minute. */
export function slopeMbPerMin(points: { at: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.at, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.at - mx) * (p.y - my);
    den += (p.at - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * (60_000 / MB);
}

export async function soakBench(log: (s: string) => void): Promise<{ rows: BenchRow[]; notes: string[]; minutes: number }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tracklink-soak-'));
  const heapDir = process.env.SOAK_HEAP_DIR;
  const soakers: Soaker[] = [];
  try {
    for (const kind of STORES) {
      for (const withHistory of [false, true]) {
        log(`soak: starting ${label({ kind, withHistory })}`);
        soakers.push(await start(kind, withHistory, tmp, heapDir));
      }
    }
    const began = Date.now();
    const until = began + MINUTES * 60_000;
    log(`soak: ${soakers.length} servers for ${MINUTES} min at ${RATE} req/s each`);
    let warmSnapshot = false;
    const sampler = (async () => {
      while (Date.now() < until) {
        await Promise.all(soakers.map(sample));
        if (heapDir && !warmSnapshot && Date.now() - began >= WARMUP_MS) {
          warmSnapshot = true;
          for (const s of soakers) process.kill(s.server.proc.pid as number, 'SIGWINCH');
        }
        const last = soakers.map((s) => `${s.kind}/${s.withHistory ? 'history' : 'pages'} ${fmt((s.samples.at(-1)?.heapUsed ?? 0) / MB)} MB`).join(', ');
        log(`soak: ${((Date.now() - began) / 60_000).toFixed(1)} min, heap after GC: ${last}`);
        await new Promise((r) => setTimeout(r, SAMPLE_SECONDS * 1000));
      }
    })();
    await Promise.all([...soakers.map((s) => soak(s, until)), sampler]);
    await Promise.all(soakers.map(sample));
    if (heapDir) for (const s of soakers) process.kill(s.server.proc.pid as number, 'SIGWINCH');

    const rows: BenchRow[] = soakers.map((s) => {
      const warm = s.samples.filter((x) => x.at - began >= WARMUP_MS);
      const rss = slopeMbPerMin(warm.map((x) => ({ at: x.at, y: x.rss })));
      const heap = slopeMbPerMin(warm.map((x) => ({ at: x.at, y: x.heapUsed })));
      const [first, last] = [warm[0], warm.at(-1) as Sample];
      const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
      return {
        name: `Soak, ${label(s)}: ${MINUTES} min at ${RATE} req/s, a device reporting every second`,
        value: `RSS ${sign(rss)} MB/min (${fmt(first.rss / MB)} → ${fmt(last.rss / MB)} MB), heap ${sign(heap)} MB/min (${fmt(first.heapUsed / MB, 1)} → ${fmt(last.heapUsed / MB, 1)} MB); p99 ${s.p99[0]} → ${s.p99.at(-1)} ms; ${fmt(s.requests)} requests${s.failed ? `, ${fmt(s.failed)} timed out` : ''}`,
        baseline: 'after warm-up (1 min), both read after a full GC',
        ratio: '—',
        target: 'RSS ≤ 1 MB/min, heap ≤ 0.2 MB/min',
        met: rss <= 1 && heap <= 0.2,
      };
    });
    return { rows, notes: [], minutes: MINUTES };
  } finally {
    for (const s of soakers) {
      await s.server.kill('SIGTERM');
      await s.store.cleanup();
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const SOAK_BEGIN = '<!-- soak: written by BENCH_ONLY=soak -->';
export const SOAK_END = '<!-- /soak -->';

/** The soak's own section of BENCHMARKS.md, with the command that measured it. */
export function soakSection(started: Date, machine: string, r: { rows: BenchRow[]; notes: string[]; minutes: number }): string {
  return [
    SOAK_BEGIN,
    '## Soak: memory under a steady load',
    '',
    `Written by \`SOAK_MINUTES=${r.minutes}${RATE !== 100 ? ` SOAK_RATE=${RATE}` : ''}${process.env.SOAK_STORES ? ` SOAK_STORES=${process.env.SOAK_STORES}` : ''} BENCH_ONLY=soak npm run bench\` on ${started.toISOString()} (${machine}).`,
    `Each store runs two servers side by side, one serving the page and its JSON, one the same plus \`/t/{slug}/history\` (a 2-day track, sampled path), each at a fixed rate while a device reports once a second; every ${SAMPLE_SECONDS} s each server collects garbage fully and reports heap and RSS. Slopes are least-squares over the samples after a minute of warm-up.`,
    '',
    '| Soak | Result | Baseline | Target | Met |',
    '| --- | --- | --- | --- | --- |',
    ...r.rows.map((x) => `| ${x.name} | ${x.value} | ${x.baseline} | ${x.target} | ${x.met ? 'yes' : '**no**'} |`),
    '',
    ...r.notes.map((n) => `- ${n}`),
    SOAK_END,
  ].join('\n');
}
