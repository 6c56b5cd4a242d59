// Loosening a globally unique column into a unique-per-org pair, on both stores. Landed
// migrations call this: change it only in ways that give them the same result.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect.js';

/**
 * Replaces the inline UNIQUE of `table.column` (declared in the table's CREATE) by the unique
 * index `index` over its columns. A looser rule only: code that relied on the old one keeps
 * working, so a rolling upgrade stays safe (see migrations.test.ts).
 *
 * PostgreSQL drops the constraint (its default name `<table>_<column>_key`). SQLite cannot drop
 * an inline UNIQUE, so the table is rebuilt the way SQLite documents for schema changes ALTER
 * TABLE cannot make (lang_altertable.html, "other kinds of table schema changes"): foreign keys
 * off, a new table from the same CREATE without that UNIQUE, rows copied, old table dropped, new
 * one renamed, its indexes recreated, foreign_key_check, all in one transaction. Rows of other
 * tables that reference it keep their values and their foreign keys name the table, not the copy.
 */
export async function relaxUniqueColumn(db: Kysely<unknown>, dialect: Dialect, table: string, column: string, index: { name: string; columns: string[] }): Promise<void> {
  if (dialect === 'postgres') {
    await db.schema.alterTable(table).dropConstraint(`${table}_${column}_key`).ifExists().execute();
    await db.schema.createIndex(index.name).on(table).columns(index.columns).unique().execute();
    return;
  }
  const created = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const createSql = created.rows[0]?.sql;
  if (!createSql) throw new Error(`relaxUniqueColumn: no table ${table}`);
  const inline = new RegExp(`("${column}"[^,]*?)\\s+unique\\b`, 'gi');
  const matches = createSql.match(inline) ?? [];
  if (matches.length !== 1) throw new Error(`relaxUniqueColumn: expected one inline unique on ${table}.${column}, found ${matches.length}`);
  const copy = `${table}__relaxed`;
  const copySql = createSql.replace(inline, '$1').replace(new RegExp(`^CREATE TABLE "?${table}"?`, 'i'), `CREATE TABLE "${copy}"`);
  if (!copySql.includes(`"${copy}"`)) throw new Error(`relaxUniqueColumn: cannot rename the CREATE of ${table}`);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);

  // foreign_keys can only change outside a transaction; it is per connection and restored after.
  const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(copySql).execute(trx);
      await sql`insert into ${sql.table(copy)} select * from ${sql.table(table)}`.execute(trx);
      await sql`drop table ${sql.table(table)}`.execute(trx);
      await sql`alter table ${sql.table(copy)} rename to ${sql.table(table)}`.execute(trx);
      for (const i of indexes.rows) await sql.raw(i.sql).execute(trx);
      await trx.schema.createIndex(index.name).on(table).columns(index.columns).unique().execute();
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length) throw new Error(`relaxUniqueColumn: ${broken.rows.length} foreign key problems after rebuilding ${table}`);
    });
  } finally {
    if (fk.rows[0]?.foreign_keys) await sql`pragma foreign_keys = on`.execute(db);
  }
}
