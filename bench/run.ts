// `npm run bench`: the five benchmarks of issue 8, each against a baseline measured in the same
// run, written to BENCHMARKS.md. The server always runs in its own process, the load generator
// in another, everything on 127.0.0.1, every phase bounded in time, every answer checked.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { ServerProcess } from '../test/helpers/server.js';
import { ingestBench } from './ingest.js';
import { hotBench } from './hot.js';
import { deviceMixBench } from './devicemix.js';
import { viewersBench } from './viewers.js';
import { markers, type Section } from './lib/section.js';
import { updateRows } from './lib/partial.js';
import { BENCH_METRICS_TOKEN, benchServer, serverWithOrg } from './lib/servers.js';
import { call, fmt, machine, rssBytes, tempStore, type BenchRow } from './lib/util.js';
import { busBench, busSection, BUS_BEGIN, BUS_END } from './bus.js';
import { partitionsBench } from './partitions.js';
import { soakBench, soakSection, SOAK_BEGIN, SOAK_END } from './soak.js';
import { buildWorld, loadHistory } from './scenario.js';
import { historyBench } from './history.js';
import { publicBench } from './public.js';
import { lighthouseBench, lighthouseSection, LIGHTHOUSE_BEGIN, LIGHTHOUSE_END } from './lighthouse.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const SHIPMENTS = Number(process.env.BENCH_SHIPMENTS ?? 10_000);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 10_000);
const HISTORY_POINTS = Number(process.env.BENCH_HISTORY_POINTS ?? 30 * 24 * 360);
// BENCH_ONLY=public,hot,weight,history,fanout,ingest,devicemix,partitions,bus runs some phases (soak,
// viewers and lighthouse run only when named, each writing its own section of BENCHMARKS.md), for work on one figure; such a
// partial run replaces its own rows of the main table (lib/partial.ts) and leaves the others alone.
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const runs = (phase: string) => !ONLY || ONLY.has(phase);

const rows: BenchRow[] = [];
/** Rows that belong to a section of their own (bus, soak, lighthouse), not to the main table. */
const SECTION_ROWS = new Set<BenchRow>();
const notes: string[] = [];
/** Phases that own a section of BENCHMARKS.md (lib/section.ts), written by any run that includes them. */
const sections: Section[] = [];
const SECTION_PHASES = ['hot', 'ingest', 'devicemix', 'viewers'];
const log = (s: string) => process.stdout.write(`bench: ${s}\n`);

/** Alternating rounds of baseline and server in the public page, history and ingest phases (public.ts, ingest.ts). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** The server's RSS after full collections (gc-on-signal.mjs) and a moment to settle. */
async function liveRss(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 1500));
  return rssBytes(pid);
}

async function fanOut(world: Awaited<ReturnType<typeof buildWorld>>, server: ServerProcess) {
  const pid = server.proc.pid as number;
  const idleBefore = await liveRss(pid);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'lib/sse-clients.ts'), `${server.url}/t/${world.live.slug}/events`, String(VIEWERS)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) => new Promise<T>((resolve) => child.on('message', function on(m: { type: string }) { if (m.type === type) { child.off('message', on); resolve(m as T); } }));
  try {
    const conn = await next<{ connected: number; failed: number }>('connected');
    if (conn.connected !== VIEWERS) throw new Error(`fan-out: ${conn.connected} of ${VIEWERS} viewers connected (${conn.failed} failed)`);
    await new Promise((r) => setTimeout(r, 3000));
    const idleAfter = await liveRss(pid);
    child.send({ type: 'arm' });
    await next('armed');
    const sentAt = Date.now();
    await call(server.url, world.key, 'POST', '/api/v1/positions', { positions: [{ device_id: world.live.deviceId, recorded_at: new Date().toISOString(), lat: 52.0, lon: 5.0 }] });
    await new Promise((r) => setTimeout(r, 5000));
    child.send({ type: 'report' });
    const rep = await next<{ arrivals: number[] }>('report');
    const lat = rep.arrivals.map((a) => a - sentAt).sort((a, b) => a - b);
    const within1s = lat.filter((l) => l <= 1000).length / VIEWERS;
    const p99 = lat.length >= Math.ceil(VIEWERS * 0.99) ? lat[Math.ceil(VIEWERS * 0.99) - 1] : Number.POSITIVE_INFINITY;
    if (lat.length < VIEWERS) notes.push(`Fan-out: ${VIEWERS - lat.length} of ${VIEWERS} viewers did not receive the position within 5 s.`);
    rows.push({
      name: `Live fan-out: one position to ${fmt(VIEWERS)} SSE viewers of one link`,
      value: `${(within1s * 100).toFixed(1)}% within 1 s; p99 ${Number.isFinite(p99) ? `${p99} ms` : 'not reached'}; max ${lat.at(-1) ?? '—'} ms`,
      baseline: 'time of the POST that ingested it',
      ratio: '—',
      target: '99% within 1 s',
      met: within1s >= 0.99,
    });
    const perViewer = (idleAfter - idleBefore) / VIEWERS;
    rows.push({
      name: `Memory per idle SSE viewer (${fmt(VIEWERS)} viewers)`,
      value: `${(perViewer / 1024).toFixed(1)} KB (RSS ${fmt(idleBefore / 2 ** 20)} → ${fmt(idleAfter / 2 ** 20)} MB)`,
      baseline: 'RSS of a freshly started server before the viewers connected (both read after a full GC)',
      ratio: '—',
      target: '≤ 16 KB',
      met: perViewer <= 16 * 1024,
    });
  } finally {
    child.send({ type: 'exit' });
  }
}

async function pageWeight(world: Awaited<ReturnType<typeof buildWorld>>, server: ServerProcess) {
  const pageUrl = `${server.url}/t/${world.live.slug}`;
  const html = await (await fetch(pageUrl)).text();
  const assets = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]).filter((u) => /\.(js|css)(\?|$)/.test(u));
  let total = gzipSync(html).length;
  const parts = [`HTML ${(gzipSync(html).length / 1024).toFixed(1)} KB`];
  for (const a of assets) {
    const r = await fetch(new URL(a, pageUrl), { headers: { 'accept-encoding': 'gzip' } });
    const body = Buffer.from(await r.arrayBuffer());
    if (r.status !== 200 || body.length === 0) throw new Error(`asset ${a} answered ${r.status}`);
    // fetch decompresses; measure what gzip makes of it, as a gzip-serving server would send.
    const size = gzipSync(body).length;
    total += size;
    parts.push(`${path.basename(a.split('?')[0])} ${(size / 1024).toFixed(1)} KB`);
  }
  rows.push({
    name: 'Public page first load (HTML + CSS + JS, gzip, tiles excluded)',
    value: `${(total / 1024).toFixed(1)} KB (${parts.join(', ')})`,
    baseline: '—',
    ratio: '—',
    target: '≤ 150 KB',
    met: total <= 150 * 1024,
  });
  if (assets.length === 0) notes.push('Page weight: the page referenced no external JS/CSS assets.');
}

/** The phases on one SQLite server seeded with SHIPMENTS shipments and their links. */
async function seededPhases() {
  const store = await tempStore('sqlite');
  const first = await serverWithOrg(store, { METRICS_TOKEN: BENCH_METRICS_TOKEN });
  let server = first.server;
  const key = first.key;
  try {
    log(`seeding ${fmt(SHIPMENTS)} shipments with links`);
    const world = await buildWorld(server.url, key, SHIPMENTS);
    if (runs('public')) {
      log('public page');
      const r = await publicBench(world, server, store, DURATION, ROUNDS);
      rows.push(...r.rows);
      notes.push(...r.notes);
    }
    if (runs('hot')) sections.push(await hotBench(world.slugs, store, { seconds: Math.max(3, Math.round(DURATION / 2)), rounds: ROUNDS, log }));
    if (runs('weight')) {
      log('page weight');
      await pageWeight(world, server);
    }
    if (runs('history')) {
      log(`loading ${fmt(HISTORY_POINTS)} positions (30 days at one per 10 s)`);
      await loadHistory(server.url, world.key, world.live.deviceId, HISTORY_POINTS, 10_000);
      log('history');
      const r = await historyBench(server, store, world.live.slug, world.live.deviceId, ROUNDS);
      rows.push(...r.rows);
      notes.push(...r.notes);
    }
    if (runs('fanout')) {
      // A fresh process on the same store: the viewers' memory is then measured against a heap
      // that holds no caches or garbage of the phases before.
      await server.kill('SIGTERM');
      server = await benchServer(store);
      log(`fan-out to ${fmt(VIEWERS)} viewers`);
      await fanOut(world, server);
    }
  } finally {
    await server.kill('SIGTERM');
    await store.cleanup();
  }
}

async function main() {
  const started = new Date();
  const startLoad = os.loadavg()[0];
  log(machine());
  if (['public', 'hot', 'weight', 'history', 'fanout'].some(runs)) await seededPhases();
  const ingestKinds = (['sqlite', 'postgres'] as const).filter((kind) => runs('ingest') || runs(`ingest-${kind}`));
  if (ingestKinds.length) sections.push(await ingestBench([...ingestKinds], DURATION, ROUNDS, log));
  if (runs('devicemix')) sections.push(await deviceMixBench(DURATION, log));
  // The big viewer attempt loads the machine for minutes: only when asked for by name.
  if (ONLY?.has('viewers')) sections.push(await viewersBench(log));
  if (runs('partitions')) {
    const r = await partitionsBench(DURATION, ROUNDS, log);
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
  // The live bus keeps its own section of BENCHMARKS.md too, written by any run that includes it.
  let bus: string | null = null;
  if (runs('bus')) {
    const r = await busBench(log);
    rows.push(...r.rows);
    r.rows.forEach((x) => SECTION_ROWS.add(x));
    bus = busSection(started, machine(), r);
  }
  // The soak takes SOAK_MINUTES (30 by default): only when asked for by name. It keeps its own
  // section of BENCHMARKS.md, which the other phases' full run carries over as it was.
  let soak: string | null = null;
  if (ONLY?.has('soak')) {
    const r = await soakBench(log);
    rows.push(...r.rows);
    r.rows.forEach((x) => SECTION_ROWS.add(x));
    soak = soakSection(started, machine(), r);
  }

  // Lighthouse on the demo pages (issue 18 item 6): only when asked for by name, in its own section.
  let lighthouse: string | null = null;
  if (ONLY?.has('lighthouse')) {
    const r = await lighthouseBench(log);
    rows.push(...r.rows);
    r.rows.forEach((x) => SECTION_ROWS.add(x));
    lighthouse = lighthouseSection(started, machine(), r);
    process.stdout.write(`${r.table.join('\n')}\n${r.failed.join('\n')}\n`);
  }

  const table = [
    '| Benchmark | Result | Baseline (same run) | Ratio | Target | Met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`),
  ];
  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString()}.`,
    '',
    `Machine: ${machine()}. Server, load generator and clients run as separate processes on 127.0.0.1; each load phase lasts ${DURATION} s.`,
    'Every reply is checked (status 2xx and a body of the expected kind) and every viewer must have connected, so a fast wrong answer fails the run instead of scoring.',
    '',
    ...table,
    '',
    ...(notes.length ? ['## Notes', '', ...notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  const file = path.join(ROOT, 'BENCHMARKS.md');
  let text = readFileSync(file, 'utf8');
  // Sections with their own markers (soak, bus) survive a run that does not measure them.
  const section = (begin: string, end: string) => (text.includes(begin) ? text.slice(text.indexOf(begin), text.indexOf(end) + end.length) : null);
  const replace = (begin: string, end: string, fresh: string | null) => {
    const old = section(begin, end);
    if (fresh) text = old ? text.replace(old, fresh) : `${text.trimEnd()}\n\n${fresh}\n`;
  };
  const phaseSections = SECTION_PHASES.map((name) => sections.find((x) => x.name === name)?.text ?? section(markers(name).begin, markers(name).end));
  if (!ONLY) {
    const kept = [...phaseSections, section(SOAK_BEGIN, SOAK_END), bus ?? section(BUS_BEGIN, BUS_END), section(LIGHTHOUSE_BEGIN, LIGHTHOUSE_END)].filter((x) => x !== null);
    text = [md, ...kept].join('\n') + (kept.length ? '\n' : '');
    writeFileSync(file, text);
  } else {
    // Phases of the main table update their own rows; the sections are replaced whole.
    const mainRows = rows.filter((r) => !SECTION_ROWS.has(r));
    if (mainRows.length) text = updateRows(text, mainRows, notes, [...ONLY].join(','), started, startLoad);
    for (const x of sections) replace(x.begin, x.end, x.text);
    replace(SOAK_BEGIN, SOAK_END, soak);
    replace(BUS_BEGIN, BUS_END, bus);
    replace(LIGHTHOUSE_BEGIN, LIGHTHOUSE_END, lighthouse);
    if (mainRows.length || soak || bus || lighthouse || sections.length) writeFileSync(file, text);
  }
  process.stdout.write(`${table.join('\n')}\n${sections.map((x) => x.text).join('\n\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
