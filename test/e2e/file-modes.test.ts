// Every file Tracklink writes holds tenants' data: owner-only (0600 files, 0700 directories),
// even under the usual umask 022 that would make them world-readable.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStore } from '../../src/db/index.js';
import { knownMigrations, migrateToLatest } from '../../src/db/migrate.js';
import { backupSqlite, restoreSqlite } from '../../src/modules/backup/backup.js';
import { FileStore } from '../../src/shared/files.js';

const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('files on disk', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tracklink-modes-'));
  let umask = 0;
  before(() => {
    umask = process.umask(0o022);
  });
  after(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  const dataDir = path.join(root, 'fresh', 'data');
  const database = { kind: 'sqlite' as const, file: path.join(dataDir, 'tracklink.db') };

  it('creates the SQLite database, its -wal and -shm and its directories owner-only', async () => {
    const store = createStore(database);
    try {
      await migrateToLatest(store);
      for (const f of ['', '-wal', '-shm']) assert.equal(modeOf(database.file + f), '600', `tracklink.db${f}`);
      assert.equal(modeOf(dataDir), '700');
      assert.equal(modeOf(path.dirname(dataDir)), '700', 'missing parents too');
    } finally {
      await store.close();
    }
  });

  it('writes backups and restored databases owner-only', async () => {
    const backup = path.join(root, 'snapshot.db');
    await backupSqlite(database, backup);
    assert.equal(modeOf(backup), '600');
    const restored = { kind: 'sqlite' as const, file: path.join(root, 'restored.db') };
    await restoreSqlite(restored, backup, knownMigrations('sqlite'));
    assert.equal(modeOf(restored.file), '600');
  });

  it('stores uploads owner-only, in owner-only directories', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    const saved = await new FileStore(dataDir).save('org-1', png, ['image']);
    const abs = path.join(dataDir, saved.file);
    assert.equal(modeOf(abs), '600');
    assert.equal(modeOf(path.dirname(abs)), '700', 'uploads/<org>');
    assert.equal(modeOf(path.join(dataDir, 'uploads')), '700');
  });
});
