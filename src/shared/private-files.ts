// Tracklink's files hold every tenant's data (the SQLite database, backups, uploads): they are
// created readable by the service's own user only, whatever the process umask allows.
import { closeSync, mkdirSync, openSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and any missing parents owner-only; existing directories keep their mode. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates `file` empty and owner-only unless it exists. SQLite opens such a file as a new
 * database and gives its -wal, -shm and -journal files the database file's own mode.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}
