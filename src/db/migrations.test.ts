// Migrations are forward-only and expand-only, so a rolling upgrade is safe: the new version
// migrates while the old one still serves, and the old one can restart on the wider schema.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { describeStores } from '../../test/helpers/context.js';
import { createEmptyStore, storeKinds } from '../../test/helpers/stores.js';
import { knownMigrations, migrateTo, migrateToLatest, migrationsAhead, pendingMigrations } from './migrate.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The source of `up` only: `down` is never run (forward-only), so it may drop what it likes. */
function upSource(text: string): string {
  const at = text.search(/\bdown\s*\(|\bdown:\s*/);
  return at < 0 ? text : text.slice(0, at);
}

/** Each `.addColumn(` call with its balanced arguments. */
function addColumnCalls(src: string): string[] {
  const calls: string[] = [];
  for (let i = src.indexOf('.addColumn('); i >= 0; i = src.indexOf('.addColumn(', i + 1)) {
    let depth = 0;
    let j = i + '.addColumn'.length;
    for (; j < src.length; j++) {
      if (src[j] === '(') depth++;
      else if (src[j] === ')' && --depth === 0) break;
    }
    calls.push(src.slice(i, j + 1));
  }
  return calls;
}

describe('migrations', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

  it('are all registered, in file-name order', () => {
    assert.deepEqual(knownMigrations('sqlite'), files.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  // Loosening a unique rule is allowed through relaxUniqueColumn (src/db/relax-unique.ts): an
  // older instance keeps working under a looser rule, and relax-unique.test.ts upgrades a
  // database holding data through it on both stores. Partitioning positions on PostgreSQL
  // (src/db/partition-positions.ts) renames the old table into a partition of a new one with the
  // same name, columns and duplicate rule; partition-positions.test.ts upgrades one holding rows.
  it('only add: no migration drops, renames or retypes what an older instance still uses', () => {
    for (const f of files) {
      const up = upSource(readFileSync(path.join(DIR, f), 'utf8'));
      for (const banned of ['dropTable', 'dropColumn', 'renameColumn', 'renameTo', 'alterColumn', 'modifyColumn', 'dropConstraint']) {
        assert.ok(!up.includes(`.${banned}(`), `${f} uses ${banned} in up(): split it into expand now, contract in a later release`);
      }
      assert.ok(!/\b(drop|rename|alter\s+column)\b/i.test(up.replace(/\/\/.*$/gm, '').match(/sql`[^`]*`/g)?.join(' ') ?? ''), `${f} drops, renames or alters in raw SQL`);
    }
  });

  it('give every column added to an existing table a default or leave it nullable, so older code can still insert', () => {
    for (const f of files) {
      const up = upSource(readFileSync(path.join(DIR, f), 'utf8'));
      // Columns of tables created in the same migration are new to everyone; only alterTable adds count.
      const altered = up.split('.alterTable(').slice(1).join('\n');
      for (const call of addColumnCalls(altered)) {
        if (call.includes('notNull()')) assert.ok(call.includes('defaultTo('), `${f}: ${call.split('\n')[0]} is NOT NULL without a default`);
      }
    }
  });
});

describeStores('schema of a newer version', (ctx) => {
  it('keeps an older version serving a database a newer version already migrated', async () => {
    const { store } = ctx();
    await sql`insert into kysely_migration (name, timestamp) values (${'29991231_0001_from_the_future'}, ${new Date().toISOString()})`.execute(store.db);
    assert.deepEqual(await migrationsAhead(store), ['29991231_0001_from_the_future']);
    assert.deepEqual(await migrateToLatest(store), []);
    assert.deepEqual(await pendingMigrations(store), []);
    assert.equal((await ctx().anon.get('/readyz')).status, 200);
  });

  it('refuses to start when the database is ahead yet lacks one of its own migrations', async () => {
    const { store } = ctx();
    const last = knownMigrations(store.dialect).at(-1) ?? '';
    const row = await sql<{ timestamp: string }>`select timestamp from kysely_migration where name = ${last}`.execute(store.db);
    await sql`delete from kysely_migration where name = ${last}`.execute(store.db);
    try {
      await assert.rejects(migrateToLatest(store), new RegExp(`lacks ${last}`));
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${last}, ${row.rows[0].timestamp})`.execute(store.db);
    }
  });
});

for (const kind of await storeKinds()) {
  describe(`a migration that fails halfway [${kind}]`, () => {
    it('leaves nothing of itself behind, and runs whole on the next start', async () => {
      const { store, cleanup } = await createEmptyStore(kind);
      try {
        // source_windows adds attached_at, then detached_at: make its second step fail.
        const MIGRATION = '20261205_1801_source_windows';
        const all = knownMigrations(store.dialect);
        await migrateTo(store, all[all.indexOf(MIGRATION) - 1]);
        await sql`alter table sources add column detached_at bigint`.execute(store.db);
        await assert.rejects(migrateToLatest(store), /detached_at/);
        const columns = async () => (await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'sources'`.execute(store.db)).rows.map((r) => r.name);
        const sqliteColumns = async () => (await sql<{ name: string }>`select name from pragma_table_info('sources')`.execute(store.db)).rows.map((r) => r.name);
        const names = kind === 'postgres' ? columns : sqliteColumns;
        assert.ok(!(await names()).includes('attached_at'), 'the step before the failure was undone');
        assert.ok((await pendingMigrations(store)).includes(MIGRATION), 'not recorded as applied');
        // Once the obstacle is gone, the next start applies it whole (a half-applied one would fail on attached_at).
        await sql`alter table sources drop column detached_at`.execute(store.db);
        await migrateToLatest(store);
        assert.deepEqual(await pendingMigrations(store), []);
        assert.ok((await names()).includes('attached_at') && (await names()).includes('detached_at'));
      } finally {
        await cleanup();
      }
    });
  });
}
