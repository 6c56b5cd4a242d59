// SIGTERM while `tracklink serve` is still starting: the port already answers /healthz, but the
// background jobs are not all started. The process must stop in order (exit 0, "shutdown
// complete"), not die of the signal.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { ChildProcess } from 'node:child_process';
import { killProcess, spawnServerProcess, startServerProcess } from '../helpers/server.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';

async function storeEnv(kind: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-startup-'));
  if (kind === 'postgres') {
    const pgdb = await createPgDatabase();
    return { env: { DATABASE_URL: pgdb.url, DATA_DIR: dir }, cleanup: async () => { await pgdb.drop(); rmSync(dir, { recursive: true, force: true }); } };
  }
  return { env: { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A "Redis" that accepts connections and never answers: the live bus's start (the first
 * background job) waits for the server's reply to its ready check, so start-up stays in
 * background.start for as long as this server stays silent. A hung Redis does this in production.
 */
async function silentRedis() {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const connected = once(server, 'connection');
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connected,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

for (const kind of await storeKinds()) {
  describe(`a signal during start-up [${kind}]`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    after(async () => {
      for (const c of cleanups) await c();
    });

    it('SIGTERM once /healthz answers but the background jobs are still starting: an orderly stop, exit 0', async () => {
      const { env, cleanup } = await storeEnv(kind);
      cleanups.push(cleanup);
      const redis = await silentRedis();
      cleanups.push(redis.close);
      const server = await startServerProcess({ ...env, LOG_LEVEL: 'info', LIVE_BUS_URL: redis.url });
      // A failed assertion before the signal leaves no server behind.
      cleanups.unshift(() => killProcess(server.proc, 'SIGKILL').then(() => undefined));
      // The port answers, and the live bus (started after listen) is waiting for Redis.
      await redis.connected;
      assert.equal(server.proc.exitCode, null);
      if (kind === 'postgres') {
        // The coming days' partitions of positions were made before the port opened (old code:
        // by a background job, started here only after the live bus).
        const db = new pg.Client({ connectionString: env.DATABASE_URL });
        await db.connect();
        try {
          const day = (ahead: number) => `positions_p${new Date(Date.now() + ahead * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}`;
          const r = await db.query<{ today: string | null; ahead: string | null }>('select to_regclass($1)::text as today, to_regclass($2)::text as ahead', [day(0), day(2)]);
          assert.deepEqual(r.rows[0], { today: day(0), ahead: day(2) });
        } finally {
          await db.end();
        }
      }
      const code = await killProcess(server.proc, 'SIGTERM');
      // Old code: no handler was installed yet, the signal killed the process (no exit code).
      assert.equal(server.proc.signalCode, null, `killed by ${server.proc.signalCode}; output:\n${server.output().slice(-2000)}`);
      assert.equal(code, 0, server.output().slice(-2000));
      const out = server.output();
      assert.ok(out.indexOf('"msg":"shutting down"') >= 0 && out.indexOf('"msg":"shutdown complete"') > out.indexOf('"msg":"shutting down"'), out.slice(-2000));
      assert.match(out, /"msg":"stopped listening; closed the connections between requests"/);
    });
  });
}

const KYSELY_MIGRATION_LOCK = '3853314791062309107';

if ((await storeKinds()).includes('postgres')) {
  describe('a signal before the server listens [postgres]', () => {
    it('SIGTERM while migrations wait for a lock: start-up goes no further, the server never listens, exit 0', async () => {
      const pgdb = await createPgDatabase();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-startup-'));
      const blocker = new pg.Client({ connectionString: pgdb.url });
      let proc: ChildProcess | undefined;
      try {
        await blocker.connect();
        // Kysely's migrator serializes migrations on PostgreSQL with this session advisory lock
        // (kysely/dist/esm/dialect/postgres/postgres-adapter.js): holding it keeps the server's
        // migrations, the first step of its start-up, waiting.
        await blocker.query(`select pg_advisory_lock(${KYSELY_MIGRATION_LOCK})`);

        const server = await spawnServerProcess({ LOG_LEVEL: 'info', DATABASE_URL: pgdb.url, DATA_DIR: dir });
        const { proc: child, said, exited } = server;
        proc = child;
        const out = () => server.output();
        // Waits until the server's migration waits for the lock.
        for (;;) {
          const r = await blocker.query(`select count(*)::int as n from pg_locks where not granted and locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
          if (r.rows[0].n > 0) break;
          assert.equal(child.exitCode, null, out());
          await new Promise((r) => setTimeout(r, 50));
        }
        child.kill('SIGTERM');
        // The signal is handled while migrations still wait (old code: the process died of it).
        await Promise.race([said('shutting down'), exited]);
        assert.equal(child.signalCode, null, `killed by ${child.signalCode}; output:\n${out()}`);
        await blocker.query(`select pg_advisory_unlock(${KYSELY_MIGRATION_LOCK})`);
        const [code] = (await exited) as [number | null];
        assert.equal(code, 0, out());
        assert.match(out(), /"msg":"shutdown complete"/);
        assert.doesNotMatch(out(), /Server listening/, 'start-up stopped before listening');
      } finally {
        if (proc) await killProcess(proc, 'SIGKILL');
        await blocker.end().catch(() => {});
        await pgdb.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
