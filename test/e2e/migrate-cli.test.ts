// `tracklink migrate [--dry-run]` on a fresh database and on one a newer version migrated.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { knownMigrations } from '../../src/db/migrate.js';
import { runCli } from '../helpers/server.js';

describe('tracklink migrate [sqlite]', () => {
  it('lists pending migrations without applying them, applies them, then reports newer ones it leaves alone', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-migrate-'));
    const file = path.join(dir, 'tl.db');
    const env = { DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir };
    try {
      const dry = runCli(['migrate', '--dry-run'], env);
      assert.equal(dry.status, 0, dry.stderr);
      assert.deepEqual(JSON.parse(dry.stdout), { pending: knownMigrations('sqlite'), ahead: [] });
      assert.deepEqual(JSON.parse(runCli(['migrate', '--dry-run'], env).stdout).pending, knownMigrations('sqlite'), 'a dry run applies nothing');

      const applied = runCli(['migrate'], env);
      assert.equal(applied.status, 0, applied.stderr);
      assert.deepEqual(JSON.parse(applied.stdout).applied, knownMigrations('sqlite'));

      const db = new SQLite(file);
      db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('29991231_0001_newer', new Date().toISOString());
      db.close();
      assert.deepEqual(JSON.parse(runCli(['migrate', '--dry-run'], env).stdout), { pending: [], ahead: ['29991231_0001_newer'] });
      const again = runCli(['migrate'], env);
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual(JSON.parse(again.stdout).applied, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
