// Runs Tracklink as a real child process (the CLI, see BIN), for kill -9, signal and CLI tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testLogFile } from './test-output.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The CLI as the tests start it. In the suite's compiled tree (scripts/test-build.mjs) that is
 * the compiled src/cli.js, run directly: bin/tracklink.js would run the sources through tsx
 * again, 2-3 s of start-up for each of the processes the tests start. A test file run by hand
 * through tsx has no compiled tree and starts bin/tracklink.js. (The shim itself is checked by
 * deploy-files.test and compiled.test.)
 */
export const BIN = existsSync(path.join(ROOT, 'src/cli.js')) ? path.join(ROOT, 'src/cli.js') : path.join(ROOT, 'bin/tracklink.js');
/** What starts the CLI with `env`: the shim where the test asks for the production build (TRACKLINK_COMPILED=1, dist/). */
const entry = (env: Record<string, string>) => (env.TRACKLINK_COMPILED === '1' ? path.join(ROOT, 'bin/tracklink.js') : BIN);

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

export interface ServerProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function waitForHealthy(url: string, timeoutMs: number, proc?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} not healthy within ${timeoutMs} ms`);
}

/**
 * Password hashing at 2^10 instead of the production 2^17: every org a test creates hashes its
 * owner's password, and at full cost that alone would take minutes of the suite. Tests of the
 * cost itself set PASSWORD_SCRYPT_N or use the defaults of loadConfig({}).
 */
export const FAST_PASSWORD_HASHING = { PASSWORD_SCRYPT_N: '1024' };

/** A `tracklink <command>` process just spawned, not yet known to answer. */
export interface SpawnedProcess extends ServerProcess {
  /** Resolves once the process has logged a line with this exact `msg` (JSON logs). */
  said(msg: string): Promise<void>;
  /** The process's exit, as `once(proc, 'exit')` gives it. */
  exited: Promise<unknown[]>;
}

/** Spawns `tracklink <command>` with the given env (on env.PORT, or a free port) without waiting for it. */
export async function spawnServerProcess(env: Record<string, string>, command: string[] = ['serve']): Promise<SpawnedProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  let out = '';
  const proc = spawn(process.execPath, [entry(env), ...command], {
    cwd: ROOT,
    // TILE_URL=off: no test process fetches map tiles from the internet unless a test says otherwise.
    env: { ...process.env, ...FAST_PASSWORD_HASHING, LOG_LEVEL: 'warn', HOST: '127.0.0.1', TILE_URL: 'off', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // The process's logs join the suite's redaction check.
  proc.once('close', () => writeFileSync(testLogFile('proc'), out));
  const exited = once(proc, 'exit');
  const said = (msg: string) =>
    new Promise<void>((resolve) => {
      const check = () => out.includes(`"msg":"${msg}"`) && resolve();
      proc.stdout?.on('data', check);
      check();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    output: () => out,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => killProcess(proc, signal),
    said,
    exited,
  };
}

/** Starts `tracklink <command>` with the given env and waits for /healthz. */
export async function startServerProcess(env: Record<string, string>, command: string[] = ['serve'], timeoutMs = 30_000): Promise<ServerProcess> {
  const started = await spawnServerProcess(env, command);
  try {
    await waitForHealthy(started.url, timeoutMs, started.proc);
  } catch (err) {
    started.proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${started.output()}`);
  }
  return started;
}

/** Sends `signal` and resolves with the exit code once the process has exited (null if a signal ended it). */
export async function killProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  // Exited already (a process ended by a signal has no exit code, but a signal code).
  if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
  const exited = once(proc, 'exit');
  proc.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

/** Runs the CLI to completion (with `input` on its stdin, else an empty one) and returns its output. */
export function runCli(args: string[], env: Record<string, string>, input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [entry(env), ...args], { cwd: ROOT, env: { ...process.env, ...FAST_PASSWORD_HASHING, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
