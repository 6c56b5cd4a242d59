// The keyset condition of every paged list: rows after the cursor row in (at, id) order, on both
// stores. Lists are newest first unless they read as a timeline (oldest first).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { CursorKey } from '../shared/pagination.js';

export function afterCursor(atColumn: string, idColumn: string, key: CursorKey, order: 'desc' | 'asc' = 'desc'): RawBuilder<SqlBool> {
  const op = sql.raw(order === 'desc' ? '<' : '>');
  const at = sql.ref(atColumn);
  return sql<SqlBool>`(${at} ${op} ${key.at} or (${at} = ${key.at} and ${sql.ref(idColumn)} ${op} ${key.id}))`;
}
