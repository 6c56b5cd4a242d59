// Opaque keyset cursors: base64url JSON of the last row's sort key.
import { AppError } from './errors.js';

export interface CursorKey {
  at: number;
  id: string;
}

export const encodeCursor = (k: CursorKey): string => Buffer.from(JSON.stringify([k.at, k.id])).toString('base64url');

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Anyone can write a cursor, and it reaches SQL as a parameter: PostgreSQL refuses a bigint that
    // is not a whole number in range, and text holding NUL, as errors (a 500), SQLite answers nothing.
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string' && v[1].length <= 200 && !v[1].includes('\u0000')) {
      return { at: v[0] as number, id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw AppError.validation('The cursor is not valid', [{ path: 'querystring/cursor', message: 'unknown cursor' }]);
}

/** Rows were fetched with limit+1; returns the page and the cursor of its last row when more exist. */
export function page<T>(rows: T[], limit: number, key: (row: T) => CursorKey): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, next_cursor: more && items.length ? encodeCursor(key(items[items.length - 1])) : null };
}

/**
 * One page of a stored list kept newest first by (created_at, id), as its views: `fetch` reads
 * limit+1 rows before the cursor (so `page` can tell whether more exist).
 */
export async function newestFirstPage<R extends { created_at: number; id: string }, V>(
  q: { limit?: number; cursor?: string },
  fetch: (before: CursorKey | undefined, limit: number) => Promise<R[]>,
  view: (row: R) => V,
): Promise<{ items: V[]; next_cursor: string | null }> {
  const limit = q.limit ?? 50;
  const p = page(await fetch(decodeCursor(q.cursor), limit), limit, (r) => ({ at: r.created_at, id: r.id }));
  return { items: p.items.map(view), next_cursor: p.next_cursor };
}

/**
 * A page of a small list already in memory (a catalog, one shipment's shares) with the same
 * cursor as the stored lists. `key` must grow along the list (negate a time for newest first),
 * so a page starts after the cursor's place even when that item has gone since.
 */
export function pageOf<T>(all: T[], q: { limit?: number; cursor?: string }, key: (item: T, index: number) => CursorKey): { items: T[]; next_cursor: string | null } {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor);
  const keyed = all.map((item, i) => ({ item, key: key(item, i) }));
  const rest = after ? keyed.filter(({ key: k }) => k.at > after.at || (k.at === after.at && k.id > after.id)) : keyed;
  const p = page(rest, limit, (k) => k.key);
  return { items: p.items.map((k) => k.item), next_cursor: p.next_cursor };
}
