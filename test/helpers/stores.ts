// Which stores the suite runs on. SQLite always; PostgreSQL when reachable. In CI (CI set)
// a missing PostgreSQL fails the run instead of skipping. TEST_STORES=sqlite narrows a local run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createStore, type Store } from '../../src/db/index.js';

export type StoreKind = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let cached: Promise<StoreKind[]> | null = null;

const TOO_MANY_CONNECTIONS = '53300';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether the PostgreSQL server answers. Two test files run at once, some with several server
 * processes, so a busy server ("too many clients") counts as reachable, and a refused or slow
 * connection is retried for a while before the answer is no.
 */
async function pgReachable(): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === TOO_MANY_CONNECTIONS) return true;
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(1000);
  }
  return false;
}

/** Connects an admin client, waiting out a moment of "too many clients" from parallel test files. */
async function adminClient(): Promise<pg.Client> {
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      if ((err as { code?: string }).code !== TOO_MANY_CONNECTIONS || attempt >= 30) throw err;
      await sleep(1000);
    }
  }
}

export function storeKinds(): Promise<StoreKind[]> {
  cached ??= (async () => {
    const wanted = (process.env.TEST_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as StoreKind[];
    const kinds: StoreKind[] = [];
    if (wanted.includes('sqlite')) kinds.push('sqlite');
    if (wanted.includes('postgres')) {
      if (await pgReachable()) kinds.push('postgres');
      else if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${PG_ADMIN_URL} is not reachable`);
      else console.warn(`# PostgreSQL not reachable at ${PG_ADMIN_URL}: PostgreSQL tests skipped (they fail in CI)`);
    }
    return kinds;
  })();
  return cached;
}

/** Creates a fresh PostgreSQL database and returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tl_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = await adminClient();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A store on a fresh, unmigrated database (upgrade tests migrate it step by step). */
export async function createEmptyStore(kind: StoreKind): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (kind === 'postgres') {
    const pgdb = await createPgDatabase();
    const store = createStore({ kind: 'postgres', url: pgdb.url }, { poolSize: 2 });
    return { store, cleanup: async () => (await store.close(), await pgdb.drop()) };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-upgrade-'));
  const store = createStore({ kind: 'sqlite', file: path.join(dir, 'db.sqlite') });
  return { store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
}
