// Which stores the suite runs on. SQLite always; PostgreSQL when reachable. In CI (CI set)
// a missing PostgreSQL fails the run instead of skipping. TEST_STORES=sqlite narrows a local run.
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let cached: Promise<StoreKind[]> | null = null;

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
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
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
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
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
