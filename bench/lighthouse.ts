// BENCH_ONLY=lighthouse: Lighthouse (mobile, its default: a mid-range phone on a slow 4G link,
// simulated) on each page `npm start` prints, LIGHTHOUSE_RUNS times (3), the median score of
// performance, accessibility and best practices per page, in its own section of BENCHMARKS.md.
// The server is the demo (`tracklink demo`: the simulated truck reports every 3 s, so the live
// page is live) on a throwaway data directory, tiles off (no internet here), in its own process.
// Timings depend on the machine's load: the section records the load average of the run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../test/helpers/server.js';
import { median, type BenchRow } from './lib/util.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
const TARGET: Record<(typeof CATEGORIES)[number], number> = { performance: 95, accessibility: 100, 'best-practices': 100 };

export const LIGHTHOUSE_BEGIN = '<!-- lighthouse: written by BENCH_ONLY=lighthouse -->';
export const LIGHTHOUSE_END = '<!-- /lighthouse -->';
export const LIGHTHOUSE_COMMAND = 'BENCH_ONLY=lighthouse npm run bench';
const CLI_FLAGS = [
  '--only-categories=performance,accessibility,best-practices',
  '--output=json',
  '--quiet',
  '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
];

interface Lhr {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; score: number | null; title: string }>;
}

/** One Lighthouse run through its CLI, as a person would type it; the report as JSON. */
function lighthouse(url: string): Promise<Lhr> {
  const cli = path.join(ROOT, 'node_modules', 'lighthouse', 'cli', 'index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, url, ...CLI_FLAGS, '--output-path=stdout'], { env: { ...process.env, CHROME_PATH: CHROME }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`lighthouse exited with ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out) as Lhr);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

/**
 * Each page once (its HTML, /data and the assets it names), then waits until the server's CPU is
 * idle, at most 90 s. The demo builds its base map's zooms in the background after it starts;
 * on a 2-core machine that work runs beside the browser, and Lighthouse's simulated 4x slowdown
 * scales whatever the browser's main thread had to wait for. Measured: the order page, first in
 * line, scored 92 (TBT 321 ms) right after the start, and 94, 97 and 98 on a settled server.
 */
async function warmUp(base: string, links: string[], pid: number | undefined, log: (s: string) => void): Promise<void> {
  for (const link of links) {
    const page = new URL(link).pathname;
    const html = await (await fetch(base + page)).text();
    await (await fetch(`${base}${page}/data`)).arrayBuffer();
    for (const m of html.matchAll(/(?:src|href)="(\/assets\/public\/[^"]+)"/g)) await (await fetch(base + m[1])).arrayBuffer();
  }
  const cpuTicks = (): number | null => {
    try {
      // utime and stime, fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  };
  let last = cpuTicks();
  let quiet = 0;
  for (let s = 0; s < 90 && last !== null && quiet < 2; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTicks();
    if (now === null) break;
    // Under a tenth of a core (ticks are 1/100 s) for two seconds in a row: the simulated truck's posts only.
    quiet = now - last < 10 ? quiet + 1 : 0;
    last = now;
  }
  log(`lighthouse: server settled (${quiet >= 2 ? 'idle' : 'still busy after 90 s'})`);
}

export interface LighthouseResult {
  rows: BenchRow[];
  table: string[];
  failed: string[];
  load: string;
}

export async function lighthouseBench(log: (s: string) => void): Promise<LighthouseResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-lighthouse-'));
  const loadBefore = os.loadavg()[0];
  const server = await startServerProcess({ DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'tracklink.db')}`, PUBLIC_BASE_URL: 'http://127.0.0.1' }, ['demo'], 120_000);
  try {
    // The demo answers /healthz before it has seeded its org: wait for the credentials it writes.
    const credsFile = path.join(dir, 'demo-credentials.json');
    for (let i = 0; i < 600 && !existsSync(credsFile); i++) await new Promise((r) => setTimeout(r, 100));
    const creds = JSON.parse(readFileSync(credsFile, 'utf8')) as { links: Record<string, string> };
    await warmUp(server.url, Object.values(creds.links), server.proc.pid, log);
    const rows: BenchRow[] = [];
    const failed: string[] = [];
    const table = ['| Demo page | Performance | Accessibility | Best practices | FCP | LCP | TBT | CLS |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
    for (const [name, link] of Object.entries(creds.links)) {
      const url = server.url + new URL(link).pathname;
      const reports: Lhr[] = [];
      for (let i = 0; i < RUNS; i++) {
        log(`lighthouse ${name} run ${i + 1}/${RUNS}`);
        reports.push(await lighthouse(url));
      }
      const score = (c: string) => median(reports.map((r) => Math.round((r.categories[c]?.score ?? 0) * 100)));
      const metric = (a: string) => median(reports.map((r) => r.audits[a]?.numericValue ?? NaN));
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, score(c)])) as Record<(typeof CATEGORIES)[number], number>;
      table.push(
        `| ${name} | ${scores.performance} | ${scores.accessibility} | ${scores['best-practices']} | ${(metric('first-contentful-paint') / 1000).toFixed(1)} s | ${(metric('largest-contentful-paint') / 1000).toFixed(1)} s | ${Math.round(metric('total-blocking-time'))} ms | ${metric('cumulative-layout-shift').toFixed(3)} |`,
      );
      for (const c of CATEGORIES) {
        rows.push({ name: `Lighthouse mobile ${c}, ${name} page (median of ${RUNS})`, value: String(scores[c]), baseline: '—', ratio: '—', target: `≥ ${TARGET[c]}`, met: scores[c] >= TARGET[c] });
        if (scores[c] < 100) {
          // What cost the points, from the median run's failing audits.
          const failing = Object.entries(reports[0].audits).filter(([, a]) => a.score !== null && a.score < 0.9 && c !== 'performance').map(([id]) => id);
          if (failing.length) failed.push(`${name} ${c}: ${failing.join(', ')}`);
        }
      }
    }
    const loadAfter = os.loadavg()[0];
    return { rows, table, failed, load: `${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after` };
  } finally {
    await server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The section of BENCHMARKS.md, with the command that measured it. */
export function lighthouseSection(started: Date, machine: string, r: LighthouseResult): string {
  return [
    LIGHTHOUSE_BEGIN,
    '## Lighthouse: the public page on a phone',
    '',
    `Written by \`${LIGHTHOUSE_COMMAND}\` on ${started.toISOString()} (${machine}; 1-minute load average ${r.load}: other work on the machine slows the simulated phone's CPU too).`,
    `Each demo page of \`npm start\` (tiles off), once the server has served every page and gone idle (its background base map build done), ${RUNS} times: \`lighthouse <url> ${CLI_FLAGS.map((f) => (f.includes(' ') ? `"${f}"` : f)).join(' ')}\` with CHROME_PATH=${CHROME} (Lighthouse 12.2.3, its default mobile preset: emulated mid-range phone, simulated slow 4G, 4× CPU slowdown); medians. Targets: performance ≥ 95, accessibility 100, best practices 100.`,
    '',
    ...r.table,
    '',
    ...(r.failed.length ? ['Audits below 0.9 outside performance:', '', ...r.failed.map((f) => `- ${f}`), ''] : []),
    LIGHTHOUSE_END,
  ].join('\n');
}
