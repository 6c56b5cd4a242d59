// `tracklink backup <file>` and `tracklink restore <file>`.
import { parseArgs } from 'node:util';
import type { CliCommand } from '../../cli-module-commands.js';
import { knownMigrations } from '../../db/migrate.js';
import { PG_BACKUP_COMMAND, PG_RESTORE_COMMAND, backupSqlite, restoreSqlite } from './backup.js';

function fileArg(command: string, args: string[]): string {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    process.stderr.write(`tracklink: usage: tracklink ${command} <file>\n`);
    process.exit(2);
  }
  return positionals[0];
}

// On PostgreSQL nothing is written: the command prints what to run and exits 2, so a script
// never mistakes the hint for a finished backup.
function postgresHint(what: string, command: string): void {
  process.stderr.write(`tracklink: ${what} of PostgreSQL is done with its own tools; run:\n  ${command}\n`);
  process.exitCode = 2;
}

export const backupCommand: CliCommand = async (config, args) => {
  const file = fileArg('backup', args);
  if (config.database.kind === 'postgres') return postgresHint('a backup', PG_BACKUP_COMMAND(file));
  const r = await backupSqlite(config.database, file);
  process.stdout.write(`${JSON.stringify({ backup: r.file, bytes: r.bytes, pages: r.pages, migrations: r.migrations.length })}\n`);
};

export const restoreCommand: CliCommand = async (config, args) => {
  const file = fileArg('restore', args);
  if (config.database.kind === 'postgres') return postgresHint('a restore', PG_RESTORE_COMMAND(file));
  const r = await restoreSqlite(config.database, file, knownMigrations('sqlite'));
  process.stdout.write(`${JSON.stringify({ restored: r.file, from: file, bytes: r.bytes, migrations: r.migrations.length })}\n`);
  process.stderr.write(RESTORED_SECRETS_NOTICE);
};

/**
 * The store is now as of the backup, its secrets too: an API key, tracking link, device token or
 * session revoked or rotated after the backup was taken (because it leaked, say) works again.
 * Which ones cannot be told from the backup, so the operator is told, every time.
 */
export const RESTORED_SECRETS_NOTICE =
  'tracklink: the database is now as of the backup, credentials included: API keys, tracking links, device tokens and sign-in sessions revoked or rotated since the backup work again. Revoke or rotate them again (see README, Backups).\n';
