// BENCH_ONLY=hot (issue 19 item 2): the hot crowd (100 links many people watch) on the page and
// its JSON, served twice from the same store: by a server logging errors only and by one at the
// default `info` level, whose access lines operators run with (written to a file, as a log shipper
// would take them). Both against bare node:http, in alternating rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from '../test/helpers/server.js';
import { assertClean, runLoad, WARM_UP_SECONDS, type LoadResult, type LoadSpec } from './lib/load.js';
import { load1, section, type Section } from './lib/section.js';
import { loggedBenchServer } from './lib/servers.js';
import { cpuMicros, fmt, type BenchRow, type TempStore } from './lib/util.js';

interface Round {
  base: LoadResult;
  quiet: LoadResult;
  logged: LoadResult;
  /** The servers' own CPU per request in this round (µs): steadier than requests per second on two shared cores. */
  quietCpu: number;
  loggedCpu: number;
  baseCpu: number;
  load: string;
}

const ratio = (a: LoadResult, b: LoadResult) => a.rps / b.rps;

/** One load window, with the CPU time process `pid` spent in it per request answered (µs): steadier than requests per second on two shared cores. */
async function loadWithCpu(pid: number, spec: LoadSpec): Promise<{ r: LoadResult; cpu: number }> {
  const before = cpuMicros(pid);
  const r = await runLoad(spec);
  return { r, cpu: (cpuMicros(pid) - before) / Math.max(1, r.requests) };
}

export async function hotBench(
  slugs: string[],
  store: TempStore,
  opts: { seconds: number; rounds: number; log: (s: string) => void },
): Promise<Section> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-hot-'));
  const logFile = path.join(dir, 'info.log');
  let quiet: ServerProcess | null = null;
  let logged: ServerProcess | null = null;
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const bare = spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib/bare-http.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const barePort = await new Promise<number>((resolve) => bare.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    const bareUrl = `http://127.0.0.1:${barePort}`;
    // Started the same way, output to a file each: only the level differs.
    quiet = await loggedBenchServer(store, path.join(dir, 'error.log'), { LOG_LEVEL: 'error' });
    logged = await loggedBenchServer(store, logFile, { LOG_LEVEL: 'info' });
    const hot = slugs.slice(0, 100);
    for (const [name, suffix, marker] of [
      ['GET /t/{slug}', '', '<html'],
      ['GET /t/{slug}/data', '/data', '"status"'],
    ] as const) {
      opts.log(`hot crowd ${name}: error vs info logging`);
      const paths = hot.map((s) => `/t/${s}${suffix}`);
      const spec = { connections: 100, durationSeconds: opts.seconds, paths, rotation: 'per-connection' as const, expectIncludes: marker };
      const rounds: Round[] = [];
      // One unmeasured window each first (WARM_UP_SECONDS).
      for (const url of [bareUrl, quiet.url, logged.url]) await runLoad({ ...spec, url, durationSeconds: WARM_UP_SECONDS, expectIncludes: url === bareUrl ? 'baseline' : marker });
      for (let i = 0; i < opts.rounds; i++) {
        // Driven like the servers (same paths, same way), as in public.ts.
        const base = await loadWithCpu(bare.pid as number, { ...spec, url: bareUrl, expectIncludes: 'baseline' });
        assertClean('bare node:http', base.r);
        // Which server goes first alternates too: neither always gets the fresher machine.
        const order = i % 2 === 0 ? [quiet, logged] : [logged, quiet];
        const measured = (server: ServerProcess) => loadWithCpu(server.proc.pid as number, { ...spec, url: server.url });
        const [a, b] = [await measured(order[0]), await measured(order[1])];
        const [q, l] = order[0] === quiet ? [a, b] : [b, a];
        assertClean(`${name} (error)`, q.r);
        assertClean(`${name} (info)`, l.r);
        rounds.push({ base: base.r, quiet: q.r, logged: l.r, quietCpu: q.cpu, loggedCpu: l.cpu, baseCpu: base.cpu, load: load1() });
      }
      const pick = (by: (r: Round) => number) => [...rounds].sort((x, y) => by(x) - by(y))[Math.floor(rounds.length / 2)];
      const list = (by: (r: Round) => number) => rounds.map((r) => `${by(r).toFixed(2)}×`).join(', ');
      const loads = rounds.map((r) => r.load).join(', ');
      for (const [level, of] of [
        ['error', (r: Round) => r.quiet],
        ['info', (r: Round) => r.logged],
      ] as const) {
        const by = (r: Round) => ratio(of(r), r.base);
        const m = pick(by);
        rows.push({
          name: `${name}, 100 hot links of ${fmt(slugs.length)}, 100 connections, LOG_LEVEL=${level}`,
          value: `${fmt(of(m).rps)} req/s (p50 ${of(m).latencyP50} ms, p99 ${of(m).latencyP99} ms); server CPU per request ${(level === 'error' ? m.quietCpu : m.loggedCpu).toFixed(0)} µs against bare node:http's ${m.baseCpu.toFixed(0)} µs`,
          baseline: `bare node:http 2 KB, same paths and load generator: ${fmt(m.base.rps)} req/s (p99 ${m.base.latencyP99} ms)`,
          ratio: `${by(m).toFixed(2)}× (median of ${rounds.length} alternating rounds: ${list(by)}; load average ${loads})`,
          target: '≥ 0.8×',
          met: by(m) >= 0.8,
        });
      }
      const cost = (r: Round) => ratio(r.logged, r.quiet);
      const m = pick(cost);
      const cpu = (r: Round) => `${r.quietCpu.toFixed(0)} → ${r.loggedCpu.toFixed(0)} µs`;
      const cpuRatio = (r: Round) => r.quietCpu / r.loggedCpu;
      const c = pick(cpuRatio);
      rows.push({
        name: `${name}, hot crowd: info logging against error logging`,
        value: `${fmt(m.logged.rps)} req/s logged at info; server CPU per request at error → info: ${rounds.map(cpu).join(', ')}`,
        baseline: `${fmt(m.quiet.rps)} req/s at error, same round`,
        ratio: `${cost(m).toFixed(2)}× (median of ${rounds.length}: ${list(cost)}); by server CPU per request ${cpuRatio(c).toFixed(2)}× (median of ${rounds.length}: ${rounds.map((r) => `${cpuRatio(r).toFixed(2)}×`).join(', ')})`,
        target: '≥ 0.9× (within 10%)',
        met: cost(m) >= 0.9,
      });
    }
    // The floor: /healthz answers `{"status":"ok"}` through every hook, security header and the
    // request id, with no work of its own and no access line. What it costs over bare node:http
    // is what any route of this server pays before doing anything.
    opts.log('hot crowd: the envelope alone (GET /healthz)');
    const floor: { base: LoadResult; r: LoadResult; baseCpu: number; cpu: number }[] = [];
    const healthSpec = { connections: 100, durationSeconds: opts.seconds, paths: hot.map(() => '/healthz'), rotation: 'per-connection' as const };
    for (let i = 0; i < opts.rounds; i++) {
      const base = await loadWithCpu(bare.pid as number, { ...healthSpec, url: bareUrl, expectIncludes: 'baseline' });
      const health = await loadWithCpu(quiet.proc.pid as number, { ...healthSpec, url: quiet.url, expectIncludes: '"ok"' });
      assertClean('bare node:http', base.r);
      assertClean('GET /healthz', health.r);
      floor.push({ base: base.r, r: health.r, baseCpu: base.cpu, cpu: health.cpu });
    }
    const byRatio = [...floor].sort((x, y) => ratio(x.r, x.base) - ratio(y.r, y.base));
    const f = byRatio[Math.floor(byRatio.length / 2)];
    rows.push({
      name: 'GET /healthz, 100 connections, LOG_LEVEL=error: the envelope alone (every hook, security header and request id; no work, no access line)',
      value: `${fmt(f.r.rps)} req/s (p99 ${f.r.latencyP99} ms); server CPU per request ${f.cpu.toFixed(0)} µs against bare node:http's ${f.baseCpu.toFixed(0)} µs`,
      baseline: `bare node:http 2 KB, same load generator: ${fmt(f.base.rps)} req/s`,
      ratio: `${ratio(f.r, f.base).toFixed(2)}× (median of ${floor.length}: ${floor.map((x) => `${ratio(x.r, x.base).toFixed(2)}×`).join(', ')}); by CPU per request ${(f.baseCpu / f.cpu).toFixed(2)}×`,
      target: 'reported: the ceiling of any route',
      met: true,
    });
    await logged.kill('SIGTERM');
    // The access log is what the info server paid for: it must be there, and must not name a link.
    const text = readFileSync(logFile, 'utf8');
    const lines = text.split('\n').filter((l) => l.includes('"request completed"')).length;
    const leaked = hot.filter((s) => text.includes(s)).length;
    if (lines === 0) throw new Error('the info server wrote no access lines');
    if (leaked) throw new Error(`the access log names ${leaked} tracking slugs`);
    notes.push(`The info server wrote ${fmt(lines)} access lines (${fmt(Buffer.byteLength(text) / 2 ** 20, 1)} MB, JSON to a file), none naming a slug.`);
  } finally {
    bare.kill('SIGKILL');
    await quiet?.kill('SIGTERM');
    await logged?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return section(
    'hot',
    'Hot links, with and without access logs',
    [
      `Written by \`BENCH_ONLY=hot npm run bench\` on ${new Date().toISOString()}; ${opts.seconds} s windows, ${opts.rounds} rounds; the 1-minute load average after each round is given with the ratio (the machine is shared).`,
      'Two servers on the same SQLite store, started the same way with their output to a file, one at `LOG_LEVEL=error`, one at the default `info` (JSON access lines); each path gets one unmeasured 3 s window on bare node:http and on each server first (a fresh process is unoptimized and its caches empty), then each round runs bare node:http, then both servers in alternating order; each row reports its median round.',
    ],
    rows,
    notes,
  );
}
