// A throwaway PostgreSQL cluster of the test's own (initdb + pg_ctl on a free port in a temp dir),
// for tests that stop, restart or freeze the database: the shared server on 5432 is never touched.
// Locally a machine without the server binaries skips those tests with a message; in CI (CI set)
// it fails instead.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './server.js';

export interface PgCluster {
  port: number;
  /** postgres://… to a database of the cluster (created by createDatabase). */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** pg_ctl stop: `fast` ends every session at once (57P01), as an operator's restart does. */
  stop(mode?: 'fast' | 'smart' | 'immediate'): void;
  start(): void;
  /** SIGSTOP to the postmaster and every backend: the server hangs, connections stay open. */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

function binDir(): string | null {
  const wanted = process.env.TEST_PG_BIN;
  if (wanted) return existsSync(path.join(wanted, 'initdb')) ? wanted : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

/** Why a throwaway cluster cannot run here, or null when it can. Throws in CI instead. */
export function pgClusterUnavailable(): string | null {
  const reason = binDir() ? null : 'PostgreSQL server binaries (initdb, pg_ctl) not found; set TEST_PG_BIN';
  if (reason && process.env.CI) throw new Error(`${reason}: required in CI`);
  return reason;
}

/** The server refuses to run as root: run its commands as the `postgres` user then. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a postgres user for initdb');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the parenthesised command name: state, ppid, …
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-pgc-'));
  const data = path.join(dir, 'data');
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(path.join(bin, cmd), args, { cwd: dir, encoding: 'utf8', timeout: 60_000, ...(user ?? {}) });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Durability settings off: the tests are about availability, and the cluster is thrown away.
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=60'].join(' ');
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
  start();
  let frozen: number[] = [];
  const postmaster = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const cluster: PgCluster = {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    },
    start,
    freeze() {
      const pm = postmaster();
      // The postmaster first, so it forks no new backend while they are being stopped.
      process.kill(pm, 'SIGSTOP');
      frozen = [pm, ...childrenOf(pm)];
      for (const pid of frozen.slice(1)) process.kill(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          /* gone */
        }
      }
      frozen = [];
    },
    destroy() {
      cluster.thaw();
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
