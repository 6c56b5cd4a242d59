// Walks of untrusted JSON values without recursion: a value nested thousands of levels deep must
// be measurable without overflowing the stack the way a recursive walk (or JSON.stringify) would.
// Every request body passes through these (an API batch of 1,000 positions is 10,000 values), so
// the common answer ("nothing wrong") is found without allocating per value; the exact answer
// (a path, a byte count) is worked out only when something may be wrong.

/** Whether any string or key in the value holds a NUL (no paths: the fast first pass of findNul). */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
      continue;
    }
    if (typeof v !== 'object' || v === null || Buffer.isBuffer(v)) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
      continue;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (k.includes('\u0000')) return true;
      stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return false;
}

/** The JSON-pointer-like path (`/a/0/b`) of the first string or key holding a NUL, or null. */
export function findNul(value: unknown): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : null;
  if (typeof value !== 'object' || value === null) return null;
  if (!hasNul(value)) return null;
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

/**
 * One walk for both bounds: whether the value nests objects/arrays more than `max` levels (a
 * scalar is depth 0, `{}` is 1), and a size its JSON cannot exceed (each UTF-16 unit of a string
 * or key is at most 6 bytes, `\uXXXX`; any other scalar at most 25).
 */
function measure(value: unknown, max: number): { deep: boolean; bytesAtMost: number } {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let bytes = 0;
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop() as number;
    if (typeof v === 'string') {
      bytes += 6 * v.length + 2;
      continue;
    }
    if (typeof v !== 'object' || v === null) {
      bytes += 25;
      continue;
    }
    if (depth + 1 > max) return { deep: true, bytesAtMost: Infinity };
    bytes += 2;
    if (Buffer.isBuffer(v)) {
      // {"type":"Buffer","data":[…]}: at most 4 bytes a byte.
      bytes += 32 + 4 * v.length;
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        values.push(v[i]);
        depths.push(depth + 1);
        bytes += 1;
      }
      continue;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      values.push((v as Record<string, unknown>)[k]);
      depths.push(depth + 1);
      bytes += 6 * k.length + 4;
    }
  }
  return { deep: false, bytesAtMost: bytes };
}

/** Whether the value nests objects/arrays more than `max` levels (a scalar is depth 0, `{}` is 1). */
export function jsonDepthOver(value: unknown, max: number): boolean {
  return measure(value, max).deep;
}

/** Bounds of a free-form JSON value the API stores as given (a shipment's `internal`, protocol bodies). */
export const FREE_JSON_MAX_DEPTH = 16;
export const FREE_JSON_MAX_BYTES = 64 * 1024;

/** Why the free-form value is refused, or null when it is within both bounds. */
export function freeJsonProblem(value: unknown, maxDepth = FREE_JSON_MAX_DEPTH, maxBytes = FREE_JSON_MAX_BYTES): string | null {
  const { deep, bytesAtMost } = measure(value, maxDepth);
  if (deep) return `is nested deeper than ${maxDepth} levels`;
  // Small enough whatever its strings hold: no need to serialize it to know.
  if (bytesAtMost <= maxBytes) return null;
  // Within the depth bound, so serializing cannot recurse too deep.
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > maxBytes) return `is larger than ${maxBytes} bytes as JSON (${bytes})`;
  return null;
}
