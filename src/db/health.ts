// Whether the database is usable right now, learned from the queries themselves: every failure
// that means "the database cannot do this now" (unreachable, too slow, disk full, locked) is
// classified once here, so the error handler answers 503 instead of 500, /readyz and /metrics
// report it, and the log gets one line when it starts and one when it ends, not one per query.
import type { DatabaseConnection, Dialect as KyselyDialect, Driver, QueryResult, TransactionSettings } from 'kysely';

/** Why the database cannot serve: each is temporary, so clients are told to retry. */
export type StoreProblem = 'unreachable' | 'timeout' | 'disk_full' | 'busy';

// PostgreSQL SQLSTATEs: 08 connection exceptions, 57P0x shutdown/crash/starting up, 53xxx
// insufficient resources (53100 disk full, 53300 too many connections), 57014 statement timeout,
// 40P01 deadlock and 40001 serialization failure (the statement was rolled back whole: a retry
// can succeed, so a 503 with Retry-After, not a 500).
const PG_CODES: Record<string, StoreProblem> = {
  '40P01': 'busy',
  '40001': 'busy',
  '08000': 'unreachable',
  '08001': 'unreachable',
  '08003': 'unreachable',
  '08004': 'unreachable',
  '08006': 'unreachable',
  '57P01': 'unreachable',
  '57P02': 'unreachable',
  '57P03': 'unreachable',
  '53300': 'busy',
  '53200': 'busy',
  '53100': 'disk_full',
  '57014': 'timeout',
};
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres reports a lost or never-made connection only in its messages.
const PG_MESSAGES: [RegExp, StoreProblem][] = [
  [/timeout exceeded when trying to connect|connection timeout|Query read timeout/i, 'timeout'],
  [/Connection terminated|not queryable|Connection ended|server closed the connection/i, 'unreachable'],
  // Kysely, on a store already closed (a request still running while the server shuts down).
  [/driver has already been destroyed/, 'unreachable'],
];

/** An answer that did not come within the deadline (the server is frozen or the network is gone). */
export class StoreDeadlineError extends Error {
  readonly code = 'TRACKLINK_DB_DEADLINE';
  constructor(ms: number) {
    super(`no answer from the database within ${ms} ms`);
    this.name = 'StoreDeadlineError';
  }
}

/** The problem an error stands for, or null when it is an ordinary failure of that query. */
export function storeProblem(err: unknown): StoreProblem | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'TRACKLINK_DB_DEADLINE') return 'timeout';
  if (code in PG_CODES) return PG_CODES[code];
  if (code === 'SQLITE_FULL') return 'disk_full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (NODE_CODES.has(code)) return 'unreachable';
  const message = typeof e.message === 'string' ? e.message : '';
  for (const [re, problem] of PG_MESSAGES) if (re.test(message)) return problem;
  return null;
}

export interface HealthState {
  problem: StoreProblem;
  /** The database's own words for the first failure (e.g. "database or disk is full"). */
  message: string;
  code: string | null;
  since: number;
}

export type HealthListener = (now: HealthState | null, before: HealthState | null, failures: number) => void;

/**
 * A problem is over once a query succeeds with no failure for this long before it: when a server
 * shuts down, its sessions end one by one and queries on the others still succeed for a moment.
 */
const RECOVERY_QUIET_MS = 1000;

export class StoreHealth {
  private current: HealthState | null = null;
  private failuresSince = 0;
  private lastFailureAt = 0;
  private readonly listeners: HealthListener[] = [];
  /** Failed queries by problem, for /metrics. */
  readonly failures: Record<StoreProblem, number> = { unreachable: 0, timeout: 0, disk_full: 0, busy: 0 };

  get state(): HealthState | null {
    return this.current;
  }

  onChange(listener: HealthListener): void {
    this.listeners.push(listener);
  }

  /** Records a failed query; returns its problem (null: not the database's fault). */
  failed(err: unknown): StoreProblem | null {
    const problem = storeProblem(err);
    if (!problem) return null;
    this.failures[problem]++;
    this.failuresSince++;
    this.lastFailureAt = Date.now();
    // A full disk is the more specific news: it replaces "busy" or "timeout" but is not replaced.
    if (!this.current || (problem === 'disk_full' && this.current.problem !== 'disk_full')) {
      const e = err as { code?: unknown; message?: unknown };
      this.change({ problem, message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : null, since: Date.now() });
    }
    return problem;
  }

  /** A query succeeded; a full disk is over only when a write got through. */
  succeeded(wrote: boolean): void {
    if (!this.current || (this.current.problem === 'disk_full' && !wrote)) return;
    if (Date.now() - this.lastFailureAt < RECOVERY_QUIET_MS) return;
    this.change(null);
  }

  private change(next: HealthState | null): void {
    const before = this.current;
    const failures = this.failuresSince;
    this.current = next;
    if (!next) this.failuresSince = 0;
    for (const l of this.listeners) l(next, before, failures);
  }
}

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/**
 * Wraps a Kysely dialect so every query, connection and commit reports to `health`. Also: SQLite
 * rolls a transaction back by itself when a statement fails with SQLITE_FULL (or IOERR, NOMEM),
 * and Kysely's own ROLLBACK then fails with "cannot rollback - no transaction is active", which
 * would replace the real cause; that ROLLBACK is skipped.
 */
export function observedDialect(inner: KyselyDialect, health: StoreHealth): KyselyDialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => new ObservedDriver(inner.createDriver(), health),
  };
}

class ObservedDriver implements Driver {
  /** Connections inside a transaction: their statements prove nothing about the disk until commit. */
  private readonly inTransaction = new WeakSet<DatabaseConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly health: StoreHealth,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.observe(() => this.inner.acquireConnection());
    const health = this.health;
    const inTransaction = this.inTransaction;
    return {
      async executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
        try {
          const r = await conn.executeQuery<R>(query);
          health.succeeded(WRITES.has(query.query.kind) && !inTransaction.has(conn));
          return r;
        } catch (err) {
          health.failed(err);
          throw err;
        }
      },
      streamQuery: (query, chunkSize) => conn.streamQuery(query, chunkSize),
      // Kysely hands this wrapper back to the driver below; the inner driver needs its own.
      [INNER]: conn,
    } as DatabaseConnection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.observe(() => this.inner.beginTransaction(unwrap(connection), settings));
    this.inTransaction.add(unwrap(connection));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.inTransaction.delete(unwrap(connection));
    await this.observe(() => this.inner.commitTransaction(unwrap(connection)));
    this.health.succeeded(true);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.inTransaction.delete(unwrap(connection));
    try {
      await this.inner.rollbackTransaction(unwrap(connection));
    } catch (err) {
      if (/no transaction is active/.test(String((err as Error)?.message))) return;
      throw err;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private async observe<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.health.failed(err);
      throw err;
    }
  }
}

const INNER = Symbol('inner connection');

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return (connection as DatabaseConnection & { [INNER]?: DatabaseConnection })[INNER] ?? connection;
}
