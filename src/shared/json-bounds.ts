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
    // Strings are checked where they are met; only objects and arrays wait on the stack.
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'string') {
          if (x.includes('\u0000')) return true;
        } else if (typeof x === 'object' && x !== null) stack.push(x);
      }
      continue;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (k.includes('\u0000')) return true;
      const x: unknown = (v as Record<string, unknown>)[k];
      if (typeof x === 'string') {
        if (x.includes('\u0000')) return true;
      } else if (typeof x === 'object' && x !== null) stack.push(x);
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
 * or key is at most 6 bytes, `\uXXXX`; any other scalar at most 25). Scalars are counted where
 * they are met and only objects and arrays wait on the stack; an object of scalars (each position
 * of a batch, which the validator measures one by one) is counted without any stack.
 */
function measure(value: unknown, max: number): { deep: boolean; bytesAtMost: number } {
  if (max >= 1 && typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)) {
    const flat = flatObjectBytes(value);
    if (flat !== null) return { deep: false, bytesAtMost: flat };
  }
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let bytes = 0;
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop() as number;
    if (typeof v !== 'object' || v === null) {
      bytes += scalarBytes(v);
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
        const x: unknown = v[i];
        if (typeof x !== 'object' || x === null) bytes += scalarBytes(x);
        else {
          values.push(x);
          depths.push(depth + 1);
        }
        bytes += 1;
      }
      continue;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const x: unknown = (v as Record<string, unknown>)[k];
      if (typeof x !== 'object' || x === null) bytes += scalarBytes(x);
      else {
        values.push(x);
        depths.push(depth + 1);
      }
      bytes += 6 * k.length + 4;
    }
  }
  return { deep: false, bytesAtMost: bytes };
}

/** What a string or other scalar can take as JSON at most. */
function scalarBytes(v: unknown): number {
  return typeof v === 'string' ? 6 * v.length + 2 : 25;
}

/** measure()'s bytes of an object (depth 1) whose values are all scalars, or null if one is not. */
function flatObjectBytes(v: object): number | null {
  let bytes = 2;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const x: unknown = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null) return null;
    bytes += scalarBytes(x) + 6 * k.length + 4;
  }
  return bytes;
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
