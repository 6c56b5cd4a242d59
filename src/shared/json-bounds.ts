// Walks of untrusted JSON values without recursion: a value nested thousands of levels deep must
// be measurable without overflowing the stack the way a recursive walk (or JSON.stringify) would.

/** The JSON-pointer-like path (`/a/0/b`) of the first string or key holding a NUL, or null. */
export function findNul(value: unknown): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : null;
  if (typeof value !== 'object' || value === null) return null;
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: '' }];
  while (stack.length) {
    const { v, path } = stack.pop() as { v: unknown; path: string };
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
      continue;
    }
    if (typeof v !== 'object' || v === null || Buffer.isBuffer(v)) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}/${i}` });
      continue;
    }
    for (const [k, child] of Object.entries(v)) {
      if (k.includes('\u0000')) return `${path}/${k.replace(/\u0000/g, '\\u0000')}`;
      stack.push({ v: child, path: `${path}/${k}` });
    }
  }
  return null;
}

/** Whether the value nests objects/arrays more than `max` levels (a scalar is depth 0, `{}` is 1). */
export function jsonDepthOver(value: unknown, max: number): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: depth + 1 });
    }
  }
  return false;
}

/** Bounds of a free-form JSON value the API stores as given (a shipment's `internal`, protocol bodies). */
export const FREE_JSON_MAX_DEPTH = 16;
export const FREE_JSON_MAX_BYTES = 64 * 1024;

/** Why the free-form value is refused, or null when it is within both bounds. */
export function freeJsonProblem(value: unknown, maxDepth = FREE_JSON_MAX_DEPTH, maxBytes = FREE_JSON_MAX_BYTES): string | null {
  if (jsonDepthOver(value, maxDepth)) return `is nested deeper than ${maxDepth} levels`;
  // Within the depth bound, so serializing cannot recurse too deep.
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > maxBytes) return `is larger than ${maxBytes} bytes as JSON (${bytes})`;
  return null;
}
