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
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return { at: v[0], id: v[1] };
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
