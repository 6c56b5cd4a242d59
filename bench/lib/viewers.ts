// SSE viewers spread over several client processes (bench/lib/viewer-clients.ts), each from its own
// loopback source address, so neither one process's file descriptors nor one address's ephemeral
// ports cap the count. Every process is killed by stop(), whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewer-clients.ts');

export interface ViewerReport {
  arrivals: number[];
  positions: number;
  connected: number;
  failed: number;
  closed: number;
  errors: Record<string, number>;
}

export interface Viewers {
  connected: number;
  failed: number;
  errors: Record<string, number>;
  arm(): Promise<void>;
  report(): Promise<ViewerReport>;
  stop(): void;
}

function next<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`viewer process: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', function on(m: { type: string }) {
      if (m.type !== type) return;
      child.off('message', on);
      clearTimeout(timer);
      resolve(m as T);
    });
  });
}

/** Opens `count` viewers of `urls` (in turn) from up to `perProcess` connections per client process. */
export async function openViewers(urls: string[], count: number, perProcess = 10_000): Promise<Viewers> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-viewers-'));
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const procs = Math.ceil(count / perProcess);
    for (let p = 0; p < procs; p++) {
      const file = path.join(dir, `spec-${p}.json`);
      writeFileSync(file, JSON.stringify({ urls, count: Math.min(perProcess, count - p * perProcess), localAddress: `127.0.0.${2 + p}` }));
      children.push(spawn(process.execPath, ['--max-old-space-size=2048', '--import', 'tsx', CLIENT, file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    }
    const conns = await Promise.all(children.map((c) => next<{ connected: number; failed: number; errors: Record<string, number> }>(c, 'connected', 30 * 60_000)));
    const errors: Record<string, number> = {};
    for (const c of conns) for (const [k, v] of Object.entries(c.errors)) errors[k] = (errors[k] ?? 0) + v;
    return {
      connected: conns.reduce((n, c) => n + c.connected, 0),
      failed: conns.reduce((n, c) => n + c.failed, 0),
      errors,
      async arm() {
        const armed = children.map((c) => next(c, 'armed', 30_000));
        for (const c of children) c.send({ type: 'arm' });
        await Promise.all(armed);
      },
      async report() {
        const reps = children.map((c) => next<ViewerReport>(c, 'report', 60_000));
        for (const c of children) c.send({ type: 'report' });
        const all = await Promise.all(reps);
        const out: ViewerReport = { arrivals: [], positions: 0, connected: 0, failed: 0, closed: 0, errors: {} };
        for (const r of all) {
          for (const a of r.arrivals) out.arrivals.push(a);
          out.positions += r.positions;
          out.connected += r.connected;
          out.failed += r.failed;
          out.closed += r.closed;
          for (const [k, v] of Object.entries(r.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
        }
        return out;
      },
      stop,
    };
  } catch (err) {
    stop();
    throw err;
  }
}
