// createStore: Kysely over better-sqlite3 (embedded default, WAL) or a pg pool (production).
import type { Socket } from 'node:net';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { StoreUrl } from '../config.js';
import type { Database } from './schema.js';
import type { Dialect } from './dialect.js';
import { createPrivateFile, makePrivateDir } from '../shared/private-files.js';
import { observedDialect, StoreDeadlineError, StoreHealth } from './health.js';

export type { Dialect } from './dialect.js';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The underlying pg pool, for LISTEN/NOTIFY; absent on SQLite. */
  pgPool?: pg.Pool;
  /** The underlying SQLite handle, for online backup; absent on PostgreSQL. */
  sqlite?: SQLite.Database;
  /** What the queries have learned about the database being usable (readyz, metrics, logs). */
  health: StoreHealth;
  /** One `select 1`; with a budget, rejects after budgetMs (the query itself runs on, shared by the next pings). */
  ping(budgetMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Bounds on waiting for PostgreSQL; absent for CLI commands and migrations, which may run long. */
export interface StoreTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** PostgreSQL cancels a statement running longer (statement_timeout); 0 = no limit. */
  statementMs: number;
}

/** After statement_timeout, the server's own cancel should have arrived; later means it is not answering. */
const DEADLINE_GRACE_MS = 1000;

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

/**
 * A pg client whose every query has a deadline: a frozen server (or a network that silently
 * drops packets) never answers, and statement_timeout cannot fire on a server that does not
 * run. Past the deadline the query fails and the connection is destroyed, so the pool drops it
 * instead of handing it to the next query, which would wait behind the unanswered one.
 */
function deadlineClient(deadlineMs: number): typeof pg.Client {
  class DeadlineClient extends pg.Client {}
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  DeadlineClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const result = query.apply(this, args);
    // Only the promise form is bounded (Kysely and the live hub use it); callbacks and streams run as given.
    if (!(result instanceof Promise)) return result;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new StoreDeadlineError(deadlineMs));
        (this as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
      }, deadlineMs);
    });
    // The query fails too once its connection is destroyed; nobody waits for it any more.
    result.catch(() => {});
    return Promise.race([result, deadline]).finally(() => clearTimeout(timer));
  } as pg.Client['query'];
  return DeadlineClient;
}

export function createStore(url: StoreUrl, opts: { poolSize?: number; timeouts?: StoreTimeouts } = {}): Store {
  const health = new StoreHealth();
  if (url.kind === 'sqlite') {
    const handle = openSqlite(url.file);
    const db = new Kysely<Database>({ dialect: observedDialect(new SqliteDialect({ database: withStatementCache(handle) }), health) });
    return {
      db,
      dialect: 'sqlite',
      sqlite: handle,
      health,
      ping: singleFlightPing(db),
      async close() {
        await db.destroy();
      },
    };
  }
  const t = opts.timeouts;
  const pool = new pg.Pool({
    connectionString: url.url,
    max: opts.poolSize ?? 10,
    types: pgTypes,
    // A peer that vanished without closing the connection (a failover, a cut cable) is noticed.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(t ? { connectionTimeoutMillis: t.connectMs } : {}),
    ...(t?.statementMs ? { statement_timeout: t.statementMs, Client: deadlineClient(t.statementMs + DEADLINE_GRACE_MS) } : {}),
  });
  // A lost connection (the server restarted, was stopped, or killed this session) fails the query
  // running on it, if any; its 'error' event must never reach the process. pg-pool listens on idle
  // clients only, so every client gets its own listener for its whole life, checked out or not.
  pool.on('connect', (client) => client.on('error', (err) => health.failed(err)));
  pool.on('error', (err) => health.failed(err));
  const db = new Kysely<Database>({ dialect: observedDialect(new PostgresDialect({ pool }), health) });
  return {
    db,
    dialect: 'postgres',
    pgPool: pool,
    health,
    ping: singleFlightPing(db),
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Pings share one query while it runs: a load balancer probing a frozen database every second
 * then holds one connection, not one per probe. Each caller waits at most its own budget.
 */
function singleFlightPing(db: Kysely<Database>): Store['ping'] {
  let running: Promise<void> | null = null;
  return (budgetMs) => {
    running ??= sql`select 1`
      .execute(db)
      .then(() => undefined)
      .finally(() => {
        running = null;
      });
    if (!budgetMs) return running;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      running,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreDeadlineError(budgetMs)), budgetMs);
      }),
    ]).finally(() => clearTimeout(timer));
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
