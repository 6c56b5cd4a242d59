// Small helpers shared by the benchmarks: a temporary store, HTTP calls, RSS, machine facts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgDatabase } from '../../test/helpers/stores.js';

export interface TempStore {
  env: Record<string, string>;
  file?: string;
  pgUrl?: string;
  cleanup(): Promise<void>;
}

export async function tempStore(kind: 'sqlite' | 'postgres'): Promise<TempStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-bench-'));
  if (kind === 'postgres') {
    const pg = await createPgDatabase();
    return { env: { DATABASE_URL: pg.url, DATA_DIR: dir }, pgUrl: pg.url, cleanup: async () => { await pg.drop(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const file = path.join(dir, 'bench.db');
  return { env: { DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir }, file, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function call<T = any>(base: string, key: string | null, method: string, url: string, body?: unknown): Promise<T> {
  const r = await fetch(base + url, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Runs fn over items with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/** CPU time (user + system) a process has used so far, in µs (Linux /proc, clock ticks of 10 ms). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100;
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One row of the BENCHMARKS.md table. */
export interface BenchRow {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean;
}
