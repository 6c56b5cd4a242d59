// The INSERT statements of a batch of positions, as each store runs them fastest, and the plain
// helpers around them (bound values, finding the rows the store took). Kept apart from
// PositionsRepository (which calls them) because they are text-level SQL, not Kysely query trees.
import { CompiledQuery, sql, type Insertable, type Kysely } from 'kysely';
import type { Database, PositionTable } from '../../db/schema.js';
import type { StoredPoint } from './positions.repository.js';

/** Columns of a stored position and their PostgreSQL array types, for the unnest insert. */
export const INSERT_COLUMNS = [
  ['org_id', 'text'],
  ['device_id', 'text'],
  ['recorded_at', 'int8'],
  ['received_at', 'int8'],
  ['lat', 'float8'],
  ['lon', 'float8'],
  ['accuracy_m', 'float8'],
  ['speed_mps', 'float8'],
  ['heading_deg', 'float8'],
  ['altitude_m', 'float8'],
  ['battery_pct', 'float8'],
] as const satisfies readonly (readonly [keyof Insertable<PositionTable>, string])[];

/**
 * SQLite: the INSERT of `rows` positions as text, with or without RETURNING the keys of the rows
 * stored. Kysely builds a 500-row insert from an object tree of 5,500 values on every batch, which
 * took longer than SQLite storing the rows; the text depends only on the row count, so the common
 * counts are made once (and the store keeps their prepared statements, db/index.ts).
 */
const sqliteInserts = new Map<number, string>();
export function sqliteInsert(rows: number, returning = true): string {
  const key = returning ? rows : -rows;
  let text = sqliteInserts.get(key);
  if (text === undefined) {
    const row = `(${INSERT_COLUMNS.map(() => '?').join(', ')})`;
    text = `insert into "positions" (${INSERT_COLUMNS.map(([col]) => `"${col}"`).join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')} on conflict ("device_id", "recorded_at") do nothing${returning ? ' returning "device_id", "recorded_at"' : ''}`;
    if (sqliteInserts.size < 128) sqliteInserts.set(key, text);
  }
  return text;
}

/**
 * SQLite, inside a transaction: inserts `rows` (at most CHUNK, positions.repository.ts) and says
 * which were stored: 'all', or the keys of those stored when some were already there (or sent
 * twice). Nearly every batch is all new positions, and RETURNING costs a third of the insert
 * (SQLite collects every returned row before the first is read, and each becomes an object), so
 * the plain INSERT goes first, under a savepoint: its change count equal to the rows sent means
 * each was stored. Otherwise it is rolled back to the savepoint and the rows are inserted again
 * with RETURNING, exactly as if the first attempt had never run.
 */
export async function sqliteInsertRows(trx: Kysely<Database>, rows: readonly Insertable<PositionTable>[]): Promise<'all' | { device_id: string; recorded_at: number }[]> {
  const parameters = sqliteParameters(rows);
  await trx.executeQuery(CompiledQuery.raw('savepoint positions_insert'));
  const plain = await trx.executeQuery(CompiledQuery.raw(sqliteInsert(rows.length, false), parameters));
  if (Number(plain.numAffectedRows) !== rows.length) {
    await trx.executeQuery(CompiledQuery.raw('rollback to positions_insert'));
    await trx.executeQuery(CompiledQuery.raw('release positions_insert'));
    return (await trx.executeQuery<{ device_id: string; recorded_at: number }>(CompiledQuery.raw(sqliteInsert(rows.length), parameters))).rows;
  }
  await trx.executeQuery(CompiledQuery.raw('release positions_insert'));
  return 'all';
}

/**
 * PostgreSQL: the rows as one array parameter per column, expanded by unnest. A VALUES list of
 * 1,000 rows binds 11,000 parameters, which the driver serializes and the server parses one by
 * one; eleven arrays do the same work at a fraction of the cost. With `seenAt`, the devices are
 * marked seen by the same statement (a data-modifying CTE): one statement is atomic by itself,
 * so a whole API batch is one round trip instead of BEGIN, INSERT, UPDATE and COMMIT.
 *
 * With `announceOn`, the statement also NOTIFYs the newest inserted position of each device as
 * the live hub's `pos` message (hub.ts, LiveMessage): inside the insert's own transaction, so
 * PostgreSQL delivers these in commit order. A NOTIFY sent after commit from another pooled
 * connection could overtake the next position's, and viewers drop a position older than the
 * one they show.
 */
export async function insertUnnest(db: Kysely<Database>, rows: Insertable<PositionTable>[], seenAt?: number, announceOn?: string): Promise<{ device_id: string; recorded_at: number }[]> {
  const arrays = INSERT_COLUMNS.map(([col, type]) => sql`${rows.map((r) => r[col] ?? null)}::${sql.raw(type)}[]`);
  const cols = sql.join(INSERT_COLUMNS.map(([col]) => sql.ref(col)));
  const insert = sql`insert into positions (${cols}) select * from unnest(${sql.join(arrays)})
    on conflict (device_id, recorded_at) do nothing
    returning org_id, device_id, recorded_at, lat, lon, speed_mps, heading_deg, accuracy_m`;
  // The devices are locked in id order before they are marked seen: two batches naming the same
  // devices would otherwise each lock them in the order its plan met them (an UPDATE's scan
  // order changes as rows get new versions), and deadlock (a 500 for a valid batch, about one in
  // six at 16 concurrent batches over 8 devices).
  const seen =
    seenAt === undefined
      ? sql``
      : sql`, locked as (select id from devices where id in (select device_id from ins) order by id for no key update),
          seen as (update devices set last_seen_at = ${seenAt} from locked where devices.id = locked.id)`;
  const announce =
    announceOn === undefined
      ? sql``
      : sql`, case when row_number() over (partition by device_id order by recorded_at desc) = 1 then pg_notify(${announceOn},
          json_build_object('type', 'pos', 'orgId', org_id, 'deviceId', device_id, 'position', json_build_array(recorded_at, lat, lon, speed_mps, heading_deg, accuracy_m))::text) end as announced`;
  const query = sql<{ device_id: string; recorded_at: number }>`with ins as (${insert})${seen} select device_id, recorded_at${announce} from ins`;
  return (await query.execute(db)).rows;
}

/** The point a stored row stands for. */
export function storedPoint(r: Insertable<PositionTable>): StoredPoint {
  return {
    device_id: r.device_id,
    recorded_at: Number(r.recorded_at),
    lat: r.lat,
    lon: r.lon,
    speed_mps: r.speed_mps ?? null,
    heading_deg: r.heading_deg ?? null,
    accuracy_m: r.accuracy_m ?? null,
  };
}

/**
 * Finds the row the store reports by its key (device, recorded_at): the first row with that key.
 * Keyed by device, then by time as a number, so a batch of 1,000 makes no key strings.
 */
export class RowIndex {
  private readonly byDevice = new Map<string, Map<number, number>>();

  constructor(rows: readonly Insertable<PositionTable>[]) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      let times = this.byDevice.get(r.device_id);
      if (!times) this.byDevice.set(r.device_id, (times = new Map()));
      const at = Number(r.recorded_at);
      if (!times.has(at)) times.set(at, i);
    }
  }

  indexesOf(keys: readonly { device_id: string; recorded_at: number | string }[]): number[] {
    const out = new Array<number>(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const i = this.byDevice.get(keys[k].device_id)?.get(Number(keys[k].recorded_at));
      if (i === undefined) throw new Error('the store reported a position that was not sent');
      out[k] = i;
    }
    return out;
  }
}

/** The bound values of sqliteInsert(rows.length), row after row, column after column. */
export function sqliteParameters(rows: readonly Insertable<PositionTable>[]): unknown[] {
  const cols = INSERT_COLUMNS.length;
  const out = new Array<unknown>(rows.length * cols);
  let n = 0;
  for (const r of rows) for (let c = 0; c < cols; c++) out[n++] = r[INSERT_COLUMNS[c][0]] ?? null;
  return out;
}
