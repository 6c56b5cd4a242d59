// PostgreSQL only: the day partitions of the positions table (src/db/partition-positions.ts made
// it partitioned). Lists them from the catalog, creates one ahead, drops one retention emptied.
// Rows never move between partitions.
// Maintenance of several server processes is serialized by one advisory lock per transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { shipmentNeedsPositions } from './retention.repository.js';

/** A range partition [from, to) of positions; from is -Infinity for FROM (MINVALUE). */
export interface PositionPartition {
  name: string;
  from: number;
  to: number;
}

/** What a drop decision reads of one partition (the same questions before and under the lock). */
export interface PartitionContents {
  /** Orgs that have rows in it. */
  orgs(): Promise<string[]>;
  /** Whether a shipment still needs a row in it, each org's rows judged at that org's cutoff. */
  anyNeeded(cutoffs: ReadonlyMap<string, number>): Promise<boolean>;
}

type Db = Kysely<Database> | Transaction<Database>;

// Advisory (transaction) lock key of partition maintenance ("TLPA" in ASCII).
export const MAINTENANCE_LOCK = 0x544c5041;
// DDL waits at most this long for a lock; the hourly job tries again rather than stall ingestion
// and readers queued behind it.
const LOCK_TIMEOUT = '2s';

function bound(text: string): number {
  if (/^MINVALUE$/i.test(text)) return -Infinity;
  if (/^MAXVALUE$/i.test(text)) return Infinity;
  const n = Number(text.replace(/^'|'$/g, ''));
  if (!Number.isFinite(n)) throw new Error(`positions partition bound not understood: ${text}`);
  return n;
}

export class PartitionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** False where positions is a plain table (SQLite never gets here; a hand-made copy might). */
  async isPartitioned(): Promise<boolean> {
    const r = await sql<{ relkind: string }>`select relkind from pg_class where oid = to_regclass('positions')`.execute(this.db);
    return r.rows[0]?.relkind === 'p';
  }

  /** The range partitions, oldest first (the DEFAULT partition is not one of them). */
  async list(): Promise<PositionPartition[]> {
    const r = await sql<{ name: string; bound: string }>`
      select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = to_regclass('positions')`.execute(this.db);
    const out: PositionPartition[] = [];
    for (const row of r.rows) {
      const m = /^FOR VALUES FROM \((.+)\) TO \((.+)\)$/.exec(row.bound);
      if (m) out.push({ name: row.name, from: bound(m[1]), to: bound(m[2]) });
    }
    return out.sort((a, b) => a.from - b.from);
  }

  /**
   * Creates partition `name` for [from, to) and attaches it, unless the DEFAULT partition already
   * holds rows of that range (positions that arrived before their day's partition): those rows
   * are never moved, since a read running across the move could miss them; the range stays with
   * the DEFAULT partition, whose rows retention deletes one by one. The parent stays open to
   * reads and writes (ATTACH locks it only against other DDL); for the few milliseconds this
   * takes, writes to devices and queries that reach the DEFAULT partition wait. 'exists' when
   * the table already exists (another process made it).
   */
  async create(name: string, from: number, to: number): Promise<'created' | 'exists' | 'rows_in_default'> {
    return this.db.transaction().execute(async (trx) => {
      // Waits (lock_timeout at most) for another process's maintenance, which takes milliseconds,
      // instead of leaving the day to it: two instances starting together each skipped the days
      // the other held the lock for, and neither made them (positions of that day then land in
      // the DEFAULT partition, and the day never gets its own).
      await this.maintenanceLock(trx, 'wait');
      const exists = await sql<{ oid: unknown }>`select to_regclass(${name}) as oid`.execute(trx);
      if (exists.rows[0]?.oid) return 'exists';
      // ATTACH locks the DEFAULT partition (its range shrinks), then devices (it copies the
      // foreign key). Ingestion locks devices before it routes a row to the DEFAULT partition,
      // so taking them in ingestion's order first is what keeps the two from deadlocking. The
      // DEFAULT lock also keeps rows of this day from arriving there between the check and ATTACH.
      await sql`lock table devices in share row exclusive mode`.execute(trx);
      await sql`lock table positions_default in access exclusive mode`.execute(trx);
      // The same scan of the DEFAULT partition ATTACH makes to validate it.
      const held = await sql<{ any: boolean }>`select exists (select 1 from positions_default where recorded_at >= ${from} and recorded_at < ${to}) as any`.execute(trx);
      if (held.rows[0]?.any) return 'rows_in_default';
      const table = sql.table(name);
      await sql`create table ${table} (like positions including defaults)`.execute(trx);
      // Bounds are DDL: literals, never parameters (both are integers we computed).
      await sql`alter table positions attach partition ${table} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
      return 'created';
    });
  }

  /**
   * Drops `partition` when `expired` says every row in it may go. `expired` runs once without
   * locks (most partitions are kept, and keeping costs no lock), then again with positions locked
   * against every reader and writer, so no row can arrive between the decision and the drop;
   * the lock is held for the few index probes `expired` makes and the drop itself.
   */
  async dropIf(partition: PositionPartition, expired: (contents: PartitionContents) => Promise<boolean>): Promise<boolean> {
    if (!(await expired(this.contents(this.db, partition.name)))) return false;
    return this.db.transaction().execute(async (trx) => {
      if (!(await this.maintenanceLock(trx))) return false;
      const exists = await sql<{ oid: unknown }>`select to_regclass(${partition.name}) as oid`.execute(trx);
      if (!exists.rows[0]?.oid) return false;
      // ONLY: the parent alone; every query of positions takes its lock first.
      await sql`lock table only positions in access exclusive mode`.execute(trx);
      if (!(await expired(this.contents(trx, partition.name)))) return false;
      await sql`drop table ${sql.table(partition.name)}`.execute(trx);
      return true;
    });
  }

  /** 'try': false when another process holds it (a drop can wait for the next run); 'wait': true or a lock timeout. */
  private async maintenanceLock(trx: Transaction<Database>, mode: 'try' | 'wait' = 'try'): Promise<boolean> {
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
    if (mode === 'wait') {
      await sql`select pg_advisory_xact_lock(${MAINTENANCE_LOCK})`.execute(trx);
      return true;
    }
    const r = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${MAINTENANCE_LOCK}) as locked`.execute(trx);
    return r.rows[0]?.locked === true;
  }

  private contents(db: Db, name: string): PartitionContents {
    const table = sql.table(name);
    return {
      async orgs() {
        // A loose index scan over the partition's (org_id, recorded_at) index: one probe per
        // org present, however many rows each has.
        const r = await sql<{ org_id: string }>`
          with recursive o(org_id) as (
            (select org_id from ${table} order by org_id limit 1)
            union all
            select (select p.org_id from ${table} p where p.org_id > o.org_id order by p.org_id limit 1) from o where o.org_id is not null)
          select org_id from o where org_id is not null`.execute(db);
        return r.rows.map((x) => x.org_id);
      },
      async anyNeeded(cutoffs) {
        if (!cutoffs.size) return false;
        const orgIds = [...cutoffs.keys()];
        const values = [...cutoffs.values()];
        // Shipments that may still need positions at the earliest cutoff narrow the devices to
        // probe (one index probe each); the exact rule then uses the cutoff of each row's org.
        const r = await db
          .selectFrom('sources')
          .innerJoin('shipments', 'shipments.id', 'sources.shipment_id')
          .select(sql<number>`1`.as('one'))
          .where((eb) => shipmentNeedsPositions(eb, Math.min(...values)))
          .where((eb) =>
            eb.exists(
              sql`(select 1 from ${table} p join unnest(${orgIds}::text[], ${values}::int8[]) as c(org_id, cutoff) on c.org_id = p.org_id
                where p.device_id = sources.device_id and ${shipmentNeedsPositions(eb, sql.ref<number>('c.cutoff'))})`,
            ),
          )
          .limit(1)
          .executeTakeFirst();
        return r !== undefined;
      },
    };
  }
}
