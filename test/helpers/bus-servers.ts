// Redis and NATS servers of a test's own, on free ports, that the test can kill and start again
// on the same port (a bus outage and its recovery). The shared Redis on 6379 is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort, killProcess } from './server.js';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface BusServer {
  /** The URL for LIVE_BUS_URL (without channel). */
  url: string;
  port: number;
  /** SIGKILL: clients see their connections drop. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForPort(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`bus server exited with ${proc.exitCode}: ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`bus server did not listen on ${port}: ${output()}`);
}

async function ownServer(kind: 'redis' | 'nats'): Promise<BusServer> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async () => {
    let out = '';
    const p =
      kind === 'redis'
        ? spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    proc = p;
    await waitForPort(port, p, () => out);
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (p) await killProcess(p, 'SIGKILL');
  };
  await start();
  return { url: `${kind}://127.0.0.1:${port}`, port, kill, start, stop: kill };
}

export const startRedisServer = () => ownServer('redis');
export const startNatsServer = () => ownServer('nats');
