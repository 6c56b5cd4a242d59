// `tracklink backup` while a server takes writes, and `tracklink restore` of that backup.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { consignmentBody } from '../helpers/fixtures.js';
import { recordSecret } from '../helpers/context.js';
import { BIN, ROOT, freePort, runCli, startServerProcess } from '../helpers/server.js';
import { RESTORED_SECRETS_NOTICE } from '../../src/modules/backup/backup.cli.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';

/** The CLI as a child process without blocking this event loop (the writer keeps writing). */
function runCliAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('backup and restore [sqlite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-backup-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir };
  const backupFile = path.join(dir, 'snapshot.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  let key = '';
  let before: string[] = [];
  let afterBackup: string[] = [];

  it('takes a backup during steady writes that passes integrity_check and holds every write acknowledged before it began', async (t) => {
    const created = runCli(['org', 'create', '--name', 'Backup Co', '--country', 'NL', '--owner-email', 'b@k.example'], env);
    assert.equal(created.status, 0, created.stderr);
    key = (JSON.parse(created.stdout) as { api_key: string }).api_key;
    recordSecret(key);
    const server = await startServerProcess(env);
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const r = await fetch(`${server.url}/api/v1/shipments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(consignmentBody()),
        });
        assert.equal(r.status, 201);
        acknowledged.push(((await r.json()) as { id: string }).id);
      }
    });
    try {
      while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 10));
      before = [...acknowledged];
      const backup = await runCliAsync(['backup', backupFile], env);
      const duringBackup = acknowledged.length - before.length;
      assert.equal(backup.status, 0, backup.stderr);
      assert.equal(JSON.parse(backup.stdout).backup, path.resolve(backupFile));
      // Writes after the backup finished must not be in it; restore will prove they vanish.
      const mark = acknowledged.length;
      while (acknowledged.length < mark + 5) await new Promise((r) => setTimeout(r, 10));
      stop = true;
      await Promise.all(writers);
      afterBackup = acknowledged.slice(mark);
      t.diagnostic(`${before.length} acknowledged before the backup, ${duringBackup} during it`);
      assert.ok(duringBackup > 0, 'writes went on while the backup ran');
    } finally {
      stop = true;
      await server.kill('SIGTERM');
    }

    const copy = new SQLite(backupFile, { readonly: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
      const ids = new Set((copy.prepare('select id from shipments').all() as { id: string }[]).map((r) => r.id));
      for (const id of before) assert.ok(ids.has(id), `acknowledged shipment ${id} missing from the backup`);
      for (const id of afterBackup) assert.ok(!ids.has(id), `shipment ${id} written after the backup is in it`);
      // Consistency: every shipment in the snapshot has its creation event (written in the same transaction).
      const orphans = copy.prepare(`select count(*) as n from shipments s where not exists (select 1 from shipment_events e where e.shipment_id = s.id)`).get() as { n: number };
      assert.equal(orphans.n, 0);
    } finally {
      copy.close();
    }
    assert.ok(!existsSync(`${backupFile}-wal`), 'the backup is one self-contained file');
  });

  it('restores the backup over the database: acknowledged writes up to it are back, later ones are gone', async () => {
    assert.ok(before.length > 0, 'needs the backup of the previous test');
    const restored = runCli(['restore', backupFile], env);
    assert.equal(restored.status, 0, restored.stderr);
    assert.ok(restored.stderr.includes(RESTORED_SECRETS_NOTICE), 'the operator is told that revoked credentials are back');
    const server = await startServerProcess({ ...env, PORT: String(await freePort()) });
    try {
      for (const id of before) {
        const r = await fetch(`${server.url}/api/v1/shipments/${id}`, { headers: { authorization: `Bearer ${key}` } });
        assert.equal(r.status, 200, `shipment ${id} not restored`);
      }
      for (const id of afterBackup) {
        const r = await fetch(`${server.url}/api/v1/shipments/${id}`, { headers: { authorization: `Bearer ${key}` } });
        assert.equal(r.status, 404, `shipment ${id} from after the backup survived the restore`);
      }
    } finally {
      await server.kill('SIGTERM');
    }
    const db = new SQLite(path.join(dir, 'tl.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  });

  it('refuses to restore a file that is not a sound Tracklink backup, leaving the database alone', () => {
    const junk = path.join(dir, 'junk.db');
    const j = new SQLite(junk);
    j.exec('create table t (x)');
    j.close();
    const r = runCli(['restore', junk], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not a Tracklink database/);

    const newer = path.join(dir, 'newer.db');
    copyFileSync(backupFile, newer);
    const n = new SQLite(newer);
    n.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('29991231_0001_future', new Date().toISOString());
    n.close();
    const r2 = runCli(['restore', newer], env);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /29991231_0001_future/);
    assert.equal(runCli(['restore', path.join(dir, 'missing.db')], env).status, 1);
    assert.equal(runCli(['backup'], env).status, 2);
  });
});

if ((await storeKinds()).includes('postgres')) {
  describe('backup and restore [postgres]', () => {
    it('prints the pg_dump and pg_restore commands without the password and exits 2', async () => {
      const pg = await createPgDatabase();
      try {
        const url = new URL(pg.url);
        url.password = 'pw-never-printed';
        const env = { DATABASE_URL: url.toString() };
        const b = runCli(['backup', '/backups/tl.dump'], env);
        assert.equal(b.status, 2);
        assert.match(b.stderr, /pg_dump --format=custom --no-owner --file=\/backups\/tl\.dump "\$DATABASE_URL"/);
        const r = runCli(['restore', '/backups/tl.dump'], env);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /pg_restore .*--single-transaction --dbname="\$DATABASE_URL" \/backups\/tl\.dump/);
        assert.doesNotMatch(b.stderr + b.stdout + r.stderr + r.stdout, /pw-never-printed/);
      } finally {
        await pg.drop();
      }
    });
  });
}
