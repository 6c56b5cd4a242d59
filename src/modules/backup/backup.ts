// Backup and restore of the embedded SQLite store with SQLite's online backup API: a backup
// taken while Tracklink serves is one consistent snapshot, and a restore replaces the whole
// database as one transaction. PostgreSQL is backed up with its own tools (pg_dump).
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { StoreUrl } from '../../config.js';
import { AppError } from '../../shared/errors.js';
import { createPrivateFile } from '../../shared/private-files.js';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  migrations: string[];
}

/** What an operator runs for PostgreSQL instead; DATABASE_URL stays a variable so no password is printed. */
export const PG_BACKUP_COMMAND = (file: string) => `pg_dump --format=custom --no-owner --file=${shellQuote(file)} "$DATABASE_URL"`;
export const PG_RESTORE_COMMAND = (file: string) =>
  `pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${shellQuote(file)}`;

function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// Copies every page in one step: the source keeps one read transaction for the whole copy, so
// writers (WAL mode) go on and the copy is the database as of that instant. Smaller steps would
// restart whenever another connection writes, which under steady traffic may never finish.
const ALL_PAGES = 0x7fffffff;

function check(file: string): { ok: true; migrations: string[] } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new AppError('validation_failed', `${file} fails PRAGMA integrity_check: ${String(integrity)}`);
    const hasMigrations = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
    if (!hasMigrations) throw new AppError('validation_failed', `${file} is not a Tracklink database (no migration table)`);
    const migrations = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    return { ok: true, migrations };
  } finally {
    db.close();
  }
}

function sqliteFile(database: StoreUrl): string {
  if (database.kind !== 'sqlite') throw new AppError('validation_failed', 'not a SQLite store');
  if (database.file === ':memory:') throw new AppError('validation_failed', 'an in-memory database cannot be backed up or restored');
  return database.file;
}

/** Writes a consistent, self-contained copy of the live database to `target` (atomically). */
export async function backupSqlite(database: StoreUrl, target: string): Promise<BackupResult> {
  const source = sqliteFile(database);
  if (!existsSync(source)) throw new AppError('not_found', `no database at ${source}`);
  const dest = path.resolve(target);
  if (dest === source) throw new AppError('validation_failed', 'the backup file must not be the database itself');
  const tmp = `${dest}.partial-${process.pid}`;
  rmSync(tmp, { force: true });
  // Created owner-only before SQLite writes a page into it; the rename keeps the mode.
  createPrivateFile(tmp);
  // A separate connection, as the CLI runs beside the server: WAL lets both read while it writes.
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const progress = await db.backup(tmp, { progress: () => ALL_PAGES });
    // One file, no -wal beside it: the copy must travel alone.
    const copy = new SQLite(tmp);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const { migrations } = check(tmp);
    renameSync(tmp, dest);
    return { file: dest, bytes: statSync(dest).size, pages: progress.totalPages, migrations };
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

/**
 * Replaces the database with a backup. The backup is checked first (integrity, a Tracklink
 * schema, no migration this version does not know), then copied page by page into the
 * database in one write transaction, so a reader never sees half of it.
 */
export async function restoreSqlite(database: StoreUrl, backupFile: string, knownMigrations: string[]): Promise<BackupResult> {
  const target = sqliteFile(database);
  const from = path.resolve(backupFile);
  if (!existsSync(from)) throw new AppError('not_found', `no backup at ${from}`);
  const { migrations } = check(from);
  const unknown = migrations.filter((m) => !knownMigrations.includes(m));
  if (unknown.length) {
    // Migrations are forward-only: older code cannot safely serve a newer schema.
    throw new AppError('conflict', `the backup has migrations this version does not know (${unknown.join(', ')}); restore it with a newer Tracklink`);
  }
  const src = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    // Restoring onto a fresh machine creates the database: owner-only, as the server would.
    createPrivateFile(target);
    const progress = await src.backup(target, { progress: () => ALL_PAGES });
    const db = new SQLite(target);
    try {
      // The copied header carries the backup's journal mode; the store always runs in WAL.
      db.pragma('journal_mode = WAL');
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new AppError('internal', `restored database fails integrity_check: ${String(integrity)}`);
    } finally {
      db.close();
    }
    return { file: target, bytes: statSync(target).size, pages: progress.totalPages, migrations };
  } finally {
    src.close();
  }
}
