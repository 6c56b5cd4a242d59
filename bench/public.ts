// The public page phase of `npm run bench`: `GET /t/{slug}` and `/data` for a hot crowd and over
// every link in rotation (first visits and revisits, each its own row), against a bare node:http
// server in alternating rounds, plus the queries a cold visit makes, read from the server's own
// /metrics counter.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from '../test/helpers/server.js';
import { sumOf } from '../test/helpers/prom-text.js';
import { assertClean, runLoad, WARM_UP_SECONDS, type LoadResult } from './lib/load.js';
import { rotationRound, WARM_LINKS, type Measured } from './lib/rotation.js';
import { benchMetrics } from './lib/servers.js';
import { fmt, type BenchRow, type TempStore } from './lib/util.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

async function bareHttp(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'lib/bare-http.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

/**
 * Queries per cold visit, as /metrics counts them (tracklink_public_cold_visit_queries): `count`
 * links the load will not have visited yet are opened one at a time (the counter only reports a
 * visit that had the process to itself), half the page, half /data.
 */
async function coldVisitQueries(server: ServerProcess, slugs: string[]): Promise<{ mean: number; max: number; visits: number }> {
  const scrape = () => benchMetrics(server.url);
  let max = 0;
  let sum = 0;
  let visits = 0;
  for (const [i, slug] of slugs.entries()) {
    const before = await scrape();
    const r = await fetch(`${server.url}/t/${slug}${i % 2 ? '/data' : ''}`);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`cold visit answered ${r.status}`);
    const after = await scrape();
    const n = sumOf(after, 'tracklink_public_cold_visit_queries_count') - sumOf(before, 'tracklink_public_cold_visit_queries_count');
    if (n !== 1) continue;
    const q = sumOf(after, 'tracklink_public_cold_visit_queries_sum') - sumOf(before, 'tracklink_public_cold_visit_queries_sum');
    max = Math.max(max, q);
    sum += q;
    visits++;
  }
  if (!visits) throw new Error('no cold visit was counted');
  return { mean: sum / visits, max, visits };
}

/** One row of the table from alternating rounds: the round with the median ratio, every round listed. */
function medianRow(name: string, rounds: { r: LoadResult; base: LoadResult; load: number; extra: string }[], baseline: string, target: number): BenchRow {
  const done = rounds.map((x) => ({ ...x, ratio: x.r.rps / x.base.rps }));
  const all = done.map((x) => `${x.ratio.toFixed(2)}× at load ${x.load.toFixed(1)}`).join(', ');
  const { r, base, ratio, load, extra } = [...done].sort((a, b) => a.ratio - b.ratio)[Math.floor(done.length / 2)];
  return {
    name,
    value: `${fmt(r.rps)} req/s (p50 ${r.latencyP50} ms, p99 ${r.latencyP99} ms; ${extra}load average ${load.toFixed(1)})`,
    baseline: `${baseline}: ${fmt(base.rps)} req/s (p99 ${base.latencyP99} ms)`,
    ratio: `${ratio.toFixed(2)}× (median of ${done.length} alternating rounds: ${all})`,
    target: `≥ ${target}×`,
    met: ratio >= target,
  };
}

/**
 * Throughput on this machine drifts by a third from one window to the next (two cores shared by
 * server, load generator, kernel and other work). So the baseline and the server alternate,
 * `rounds` times, each window `duration / 2` long, and a row reports the round with the median
 * ratio; every round is listed with the 1-minute load average when it started.
 */
export async function publicBench(world: { slugs: string[] }, server: ServerProcess, store: TempStore, duration: number, rounds: number): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const cold = await coldVisitQueries(server, world.slugs.slice(-20));
  const bare = await bareHttp();
  const window = Math.max(3, Math.round(duration / 2));
  // The baseline is driven exactly like the server (the same paths, taken the same way): the
  // generator shares the two cores, and a rotation costs it about 12 µs more per request than
  // one fixed path (measured: 17-21 µs against 27-33 µs), which a fixed-path baseline left out.
  const baseline = (paths: string[], rotation: 'shared' | 'per-connection') =>
    runLoad({ url: bare.url, connections: 100, durationSeconds: window, paths, rotation, expectIncludes: 'baseline' }).then((r) => (assertClean('bare node:http', r), r));
  const bareName = 'bare node:http 2 KB, same paths and load generator';
  try {
    // The crowd the product is built for: many people on the links of deliveries that are near
    // (100 hot links of the 10,000), served from memory. Issue 19's target: 0.8× bare node:http.
    // Measured warm (WARM_UP_SECONDS, as in hot.ts): one unmeasured window each first.
    const hot = world.slugs.slice(0, 100);
    for (const [name, suffix, marker] of PATHS) {
      const paths = hot.map((s) => `/t/${s}${suffix}`);
      await runLoad({ url: bare.url, connections: 100, durationSeconds: WARM_UP_SECONDS, paths, rotation: 'per-connection', expectIncludes: 'baseline' });
      await runLoad({ url: server.url, connections: 100, durationSeconds: WARM_UP_SECONDS, paths, rotation: 'per-connection', expectIncludes: marker });
      const done = [];
      for (let i = 0; i < rounds; i++) {
        const load = os.loadavg()[0];
        const base = await baseline(paths, 'per-connection');
        const r = await runLoad({ url: server.url, connections: 100, durationSeconds: window, paths, rotation: 'per-connection', expectIncludes: marker });
        assertClean(name, r);
        done.push({ r, base, load, extra: '' });
      }
      rows.push(medianRow(`${name}, 100 hot links of ${fmt(world.slugs.length)}, 100 connections`, done, bareName, 0.8));
    }
    // Every link in rotation (a carrier's recipients each opening their own link, once or twice):
    // issue 19's target 0.5× bare, for first visits and for revisits alike, each its own row.
    // Every round runs on a fresh server (lib/rotation.ts), so the page and /data both meet links
    // their process has not loaded, and the baseline is driven over the same rotation.
    for (const [name, suffix, marker] of PATHS) {
      const paths = world.slugs.map((s) => `/t/${s}${suffix}`);
      const first = [];
      const again = [];
      for (let i = 0; i < rounds; i++) {
        // The bare server runs just before each of the two windows.
        const round = await rotationRound(store, paths, marker, window, () => baseline(paths, 'shared'));
        const row = (m: Measured) => ({
          r: m.r,
          base: m.base as LoadResult,
          load: m.load,
          extra: `server CPU ${fmt(m.cpu)} µs per request, ${fmt(m.loads)} of ${fmt(m.r.requests)} requests loaded their link; `,
        });
        first.push(row(round.first));
        again.push(row(round.again));
      }
      const n = fmt(world.slugs.length);
      rows.push(medianRow(`${name}, first visits: each of ${fmt(world.slugs.length - WARM_LINKS)} of ${n} links once, 100 connections`, first, bareName, 0.5));
      rows.push(medianRow(`${name}, revisits: all ${n} links in rotation after each was visited, 100 connections`, again, bareName, 0.5));
    }
  } finally {
    bare.stop();
  }
  rows.push({
    name: 'Queries per cold visit of a link (GET /t/{slug} and /data, first visit)',
    value: `${cold.mean.toFixed(1)} on average, at most ${cold.max} (${cold.visits} first visits, /metrics tracklink_public_cold_visit_queries)`,
    baseline: '—',
    ratio: '—',
    target: '≤ 2',
    met: cold.max <= 2,
  });
  const notes = [
    `Public page, rotation rows: every request asks for a different link, in turn. Each round starts a fresh server on the same store, so the page and /data rows both meet links their process has not loaded: ${fmt(WARM_LINKS)} first visits unmeasured (a fresh process runs its first requests unoptimized), ` +
      `then the "first visits" row, one pass over the other links, each once, ended when the last answered (each a full load: ${fmt(cold.mean, 1)} queries on average${cold.max > 2 ? `, at most ${cold.max}` : ''}, shared by the links loaded in the same turn, and a render), ` +
      `then the "revisits" row, a window over every link, all cached, re-checked once older than 2 s (changes made by another process, batched into one query per event-loop turn). ` +
      'Each is against a window of the bare server driven over the same rotation just before it; the server CPU includes its deferred page-view writes (read 2.5 s after the window), and "loaded their link" counts link cache misses from /metrics. ' +
      'The hot-crowd rows (a delivery that many people watch) are served from memory, and measured warm: one unmeasured 3 s window on the bare server and on Tracklink first.',
  ];
  return { rows, notes };
}

const PATHS = [
  ['GET /t/{slug}', '', '<html'],
  ['GET /t/{slug}/data', '/data', '"status"'],
] as const;
