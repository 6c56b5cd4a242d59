// SQLite stores for query-plan tests: migrated like a server's and, like a server's, never
// analyzed; foreign keys off, so a test inserts only the rows its queries read. Every query run
// through `db` is recorded, and planOf() says how SQLite runs it (EXPLAIN QUERY PLAN).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { createStore } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';

type Handle = NonNullable<ReturnType<typeof createStore>['sqlite']>;

export interface PlanStore {
  handle: Handle;
  db: Kysely<Database>;
  /** Queries run through `db`, oldest first (a test may empty it). */
  queries: CompiledQuery[];
  /** The lines of the query's plan. */
  planOf(q: CompiledQuery): string[];
  /** Runs `read`, which must make exactly one query, and returns that query's plan. */
  planOfRead(name: string, read: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

export async function openPlanStore(): Promise<PlanStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-plan-'));
  const store = createStore({ kind: 'sqlite', file: path.join(dir, 't.db') });
  await migrateToLatest(store);
  const handle = store.sqlite as Handle;
  handle.pragma('foreign_keys = OFF');
  const queries: CompiledQuery[] = [];
  const planOf = (q: CompiledQuery) => (handle.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[]).map((r) => r.detail);
  return {
    handle,
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }), log: (e) => void queries.push(e.query) }),
    queries,
    planOf,
    planOfRead: async (name, read) => {
      queries.length = 0;
      await read();
      assert.equal(queries.length, 1, `${name} makes one query`);
      return planOf(queries[0]);
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
