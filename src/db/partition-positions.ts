// PostgreSQL only: turns the positions table into a table partitioned by recorded_at (one
// partition per UTC day, created ahead by the server: modules/positions/partitions.ts). The
// migration that calls this must keep giving the same result: change it only in ways that do.
import { sql, type Kysely } from 'kysely';

const DAY = 86_400_000;

/**
 * Same table name, same columns, same duplicate rule: code of the previous version keeps working
 * on the result, so a rolling upgrade stays safe (see migrations.test.ts).
 *
 * - The primary key becomes (device_id, recorded_at): a partitioned table's unique constraints
 *   must include the partition key, and this pair already was the unique duplicate rule that
 *   ingestion's ON CONFLICT names. `id` stays, filled from the same sequence, no longer indexed.
 * - A DEFAULT partition takes any row no day partition covers (an old upload, a far-off clock),
 *   so an insert never fails for want of a partition.
 * - Existing rows are not copied: the old table becomes one partition covering everything before
 *   tomorrow (FROM MINVALUE), its indexes taken over as they are. The migration costs one scan of
 *   the old table (the partition check), not a rewrite; retention drops it whole once every row
 *   in it has expired, and deletes from it row by row until then, as before. Rows already dated
 *   tomorrow or later (ingestion accepted up to a day ahead then) move to the DEFAULT partition.
 */
export async function partitionPositions(db: Kysely<unknown>, now = Date.now()): Promise<void> {
  const kind = await sql<{ relkind: string }>`select relkind from pg_class where oid = to_regclass('positions')`.execute(db);
  if (kind.rows[0]?.relkind === 'p') return;

  // The rename takes an ACCESS EXCLUSIVE lock: nothing writes to the old table from here on.
  await sql`alter table positions rename to positions_legacy`.execute(db);
  await sql`alter table positions_legacy rename constraint positions_device_id_fkey to positions_legacy_device_id_fkey`.execute(db);
  await sql`alter index positions_org_time rename to positions_legacy_org_time`.execute(db);
  await sql`alter table positions_legacy drop constraint positions_pkey`.execute(db);
  await sql`alter table positions_legacy add constraint positions_legacy_pkey primary key using index positions_device_time`.execute(db);

  await sql`create table positions (like positions_legacy including defaults) partition by range (recorded_at)`.execute(db);
  await sql`alter table positions add constraint positions_pkey primary key (device_id, recorded_at)`.execute(db);
  await sql`alter table positions add constraint positions_device_id_fkey foreign key (device_id) references devices (id) on delete cascade`.execute(db);
  await sql`create index positions_org_time on positions (org_id, recorded_at)`.execute(db);
  await sql`alter sequence positions_id_seq owned by positions.id`.execute(db);
  await sql`create table positions_default partition of positions default`.execute(db);

  const hasRows = await sql<{ any: boolean }>`select exists (select 1 from positions_legacy) as any`.execute(db);
  if (!hasRows.rows[0]?.any) {
    await sql`drop table positions_legacy`.execute(db);
    return;
  }
  const cut = Math.floor(now / DAY) * DAY + DAY;
  await sql`insert into positions_default select * from positions_legacy where recorded_at >= ${cut}`.execute(db);
  await sql`delete from positions_legacy where recorded_at >= ${cut}`.execute(db);
  await sql`alter table positions attach partition positions_legacy for values from (minvalue) to (${sql.lit(cut)})`.execute(db);
}
