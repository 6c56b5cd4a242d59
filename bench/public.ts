// The public page phase of `npm run bench`: `GET /t/{slug}` and `/data` for a hot crowd and over
// every link in rotation (mostly first visits), against a bare node:http server in alternating
// rounds, plus the queries a cold visit makes, read from the server's own /metrics counter.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from '../test/helpers/server.js';
import { parsePrometheusText, sumOf } from '../test/helpers/prom-text.js';
import { assertClean, runLoad, WARM_UP_SECONDS, type LoadResult } from './lib/load.js';
import { fmt, type BenchRow } from './lib/util.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The bench's servers expose /metrics with this token (servers.ts), for the cold-visit query count. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

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
  const scrape = async () => {
    const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
    if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
    return parsePrometheusText(await r.text());
  };
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

/**
 * Throughput on this machine drifts by a third from one window to the next (two cores shared by
 * server, load generator, kernel and other work). So the baseline and the server alternate,
 * `rounds` times, each window `duration / 2` long, and the row reports the round with the median
 * ratio; every round is listed with the 1-minute load average when it started.
 */
export async function publicBench(world: { slugs: string[] }, server: ServerProcess, duration: number, rounds: number): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const cold = await coldVisitQueries(server, world.slugs.slice(-20));
  const bare = await bareHttp();
  try {
    const window = Math.max(3, Math.round(duration / 2));
    // Two crowds: the one the product is built for (many people on the links of deliveries that
    // are near: 100 hot links out of the 10,000), and a rotation over every link, whose first round
    // is mostly first visits that miss every cache.
    const crowds = [
      // Issue 19's targets: a hot crowd at 0.8x bare node:http (served from memory), a rotation at 0.5x.
      // The hot crowd is measured warm (WARM_UP_SECONDS, as in hot.ts): one unmeasured window each first.
      { label: `100 hot links of ${fmt(world.slugs.length)}`, slugs: world.slugs.slice(0, 100), rotation: 'per-connection' as const, target: 0.8, warmUp: true },
      // The rotation's first round is its cold one, and stays measured.
      { label: `all ${fmt(world.slugs.length)} links in rotation`, slugs: world.slugs, rotation: 'shared' as const, target: 0.5, warmUp: false },
    ];
    for (const [name, suffix, marker, crowd] of [
      ['GET /t/{slug}', '', '<html', crowds[0]],
      ['GET /t/{slug}/data', '/data', '"status"', crowds[0]],
      ['GET /t/{slug}', '', '<html', crowds[1]],
      ['GET /t/{slug}/data', '/data', '"status"', crowds[1]],
    ] as const) {
      const paths = crowd.slugs.map((s) => `/t/${s}${suffix}`);
      const done: { base: LoadResult; r: LoadResult; ratio: number; load: number }[] = [];
      if (crowd.warmUp) {
        await runLoad({ url: bare.url, connections: 100, durationSeconds: WARM_UP_SECONDS, paths, rotation: crowd.rotation, expectIncludes: 'baseline' });
        await runLoad({ url: server.url, connections: 100, durationSeconds: WARM_UP_SECONDS, paths, rotation: crowd.rotation, expectIncludes: marker });
      }
      for (let i = 0; i < rounds; i++) {
        const load = os.loadavg()[0];
        // The baseline is driven exactly like the server (the same paths, taken the same way): the
        // generator shares the two cores, and a rotation costs it about 12 µs more per request than
        // one fixed path (measured: 17-21 µs against 27-33 µs), which a fixed-path baseline left out.
        const base = await runLoad({ url: bare.url, connections: 100, durationSeconds: window, paths, rotation: crowd.rotation, expectIncludes: 'baseline' });
        assertClean('bare node:http', base);
        const r = await runLoad({ url: server.url, connections: 100, durationSeconds: window, paths, rotation: crowd.rotation, expectIncludes: marker });
        assertClean(name, r);
        done.push({ base, r, ratio: r.rps / base.rps, load });
      }
      const all = done.map((x) => `${x.ratio.toFixed(2)}× at load ${x.load.toFixed(1)}`).join(', ');
      const { base, r, ratio, load } = [...done].sort((a, b) => a.ratio - b.ratio)[Math.floor(done.length / 2)];
      rows.push({
        name: `${name}, ${crowd.label}, 100 connections`,
        value: `${fmt(r.rps)} req/s (p50 ${r.latencyP50} ms, p99 ${r.latencyP99} ms; load average ${load.toFixed(1)})`,
        baseline: `bare node:http 2 KB, same paths and load generator: ${fmt(base.rps)} req/s (p99 ${base.latencyP99} ms)`,
        ratio: `${ratio.toFixed(2)}× (median of ${rounds} alternating rounds: ${all})`,
        target: `≥ ${crowd.target}×`,
        met: ratio >= crowd.target,
      });
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
    `Public page, rotation rows: every request asks for a different link. The first round is the first visit of most links (a full load: ${cold.max <= 2 ? `${fmt(cold.mean, 1)} queries on average` : `${fmt(cold.mean, 1)} queries on average, at most ${cold.max}`}, measured by /metrics, and a render); ` +
      'later rounds find them cached, with the re-checks older than 2 s (changes made by another process) batched into one query per event-loop turn. ' +
      'The hot-crowd rows (a delivery that many people watch) are served from memory, and measured warm: one unmeasured 3 s window on the bare server and on Tracklink first.',
  ];
  return { rows, notes };
}
