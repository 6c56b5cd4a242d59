// `npm start` (tracklink demo) stopped by a signal while it seeds its demo org at the first start:
// the process must not exit 0 with half an org and no credentials file (the next start, finding no
// credentials, seeds a second "Acme Haulage" beside the first). The seed is part of start-up.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import type { ChildProcess } from 'node:child_process';
import { freePort, killProcess, runCli, spawnServerProcess } from '../helpers/server.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';

if ((await storeKinds()).includes('postgres')) {
  describe('a signal while the demo seeds its org [postgres]', () => {
    it('SIGTERM in the middle of the seed: the seed and its credentials file finish, exit 0, one demo org', async () => {
      const pgdb = await createPgDatabase();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-demo-signal-'));
      const blocker = new pg.Client({ connectionString: pgdb.url });
      let proc: ChildProcess | undefined;
      try {
        const migrated = runCli(['migrate'], { DATABASE_URL: pgdb.url, DATA_DIR: dir });
        assert.equal(migrated.status, 0, migrated.stderr);
        // Holding shipments keeps the seed waiting after it made the org, before its shipments.
        await blocker.connect();
        await blocker.query('begin');
        await blocker.query('lock table shipments in access exclusive mode');

        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const server = await spawnServerProcess({ LOG_LEVEL: 'info', DATABASE_URL: pgdb.url, DATA_DIR: dir, PORT: String(port), PUBLIC_BASE_URL: url }, ['demo']);
        const { proc: child, said, exited } = server;
        proc = child;
        const out = () => server.output();
        // Waits until the seed has made its org and waits for shipments.
        for (;;) {
          const r = await blocker.query<{ orgs: number; waiting: number }>(
            `select (select count(*)::int from orgs) as orgs,
              (select count(*)::int from pg_locks where not granted and relation = 'shipments'::regclass) as waiting`,
          );
          if (r.rows[0].orgs > 0 && r.rows[0].waiting > 0) break;
          assert.equal(child.exitCode, null, out());
          await new Promise((r) => setTimeout(r, 50));
        }
        child.kill('SIGTERM');
        await Promise.race([said('shutting down'), exited]);
        assert.equal(child.signalCode, null, `killed by ${child.signalCode}; output:\n${out()}`);
        // The seed goes on only once the port refuses connections (old code: it listened, and
        // shut down around a seed still under way).
        for (;;) {
          const up = await fetch(`${url}/healthz`).then(() => true, () => false);
          if (!up) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await blocker.query('commit');
        const [code] = (await exited) as [number | null];
        assert.equal(code, 0, out());
        assert.match(out(), /"msg":"shutdown complete"/);

        const file = path.join(dir, 'demo-credentials.json');
        assert.ok(existsSync(file), `no credentials file; output:\n${out().slice(-3000)}`);
        const state = JSON.parse(readFileSync(file, 'utf8')) as { org_id: string; shipments: Record<string, string> };
        const orgs = await blocker.query<{ id: string }>(`select id from orgs where name = 'Acme Haulage'`);
        assert.deepEqual(orgs.rows.map((r) => r.id), [state.org_id], 'one demo org, the one in the credentials');
        const shipments = await blocker.query<{ id: string }>('select id from shipments where org_id = $1 order by id', [state.org_id]);
        assert.deepEqual(shipments.rows.map((r) => r.id), Object.values(state.shipments).sort(), 'every demo shipment');
      } finally {
        if (proc) await killProcess(proc, 'SIGKILL');
        await blocker.end().catch(() => {});
        await pgdb.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
