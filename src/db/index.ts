// createStore: Kysely over better-sqlite3 (embedded default, WAL) or a pg pool (production).
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { StoreUrl } from '../config.js';
import type { Database } from './schema.js';
import type { Dialect } from './dialect.js';
import { createPrivateFile, makePrivateDir } from '../shared/private-files.js';

export type { Dialect } from './dialect.js';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The underlying pg pool, for LISTEN/NOTIFY; absent on SQLite. */
  pgPool?: pg.Pool;
  /** The underlying SQLite handle, for online backup; absent on PostgreSQL. */
  sqlite?: SQLite.Database;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// pg hands back int8 (bigint, count(*)) as strings; our bigints are epoch ms and counts, which fit a double.
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (v: string) => Number(v);
    // @ts-expect-error pg's overloads do not accept the optional format in this position
    return pg.types.getTypeParser(oid, format);
  },
};

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') {
    makePrivateDir(path.dirname(file));
    createPrivateFile(file);
  }
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a killed process.
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  return handle;
}

/**
 * Kysely's SQLite driver prepares every query anew, and preparing costs more than running the
 * small indexed queries of a request (a quarter of the public page's CPU on a cold link). Queries
 * come from a few hundred builder shapes, so their statements are kept, least recently used first
 * out. SQLite re-prepares a kept statement by itself after a schema change.
 */
export function withStatementCache(handle: SQLite.Database, max = 512): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(query: string) {
      const kept = cache.get(query);
      // A statement still being iterated cannot run again until its iterator ends.
      if (kept && !kept.busy) {
        cache.delete(query);
        cache.set(query, kept);
        return kept;
      }
      const stmt = handle.prepare(query);
      if (!kept) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(query, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      handle.close();
    },
  };
}

export function createStore(url: StoreUrl, opts: { poolSize?: number } = {}): Store {
  if (url.kind === 'sqlite') {
    const handle = openSqlite(url.file);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(handle) }) });
    return {
      db,
      dialect: 'sqlite',
      sqlite: handle,
      async ping() {
        await sql`select 1`.execute(db);
      },
      async close() {
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url.url, max: opts.poolSize ?? 10, types: pgTypes });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pgPool: pool,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** True when err is a unique-constraint violation on either store. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when err is a foreign-key violation on either store. */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
