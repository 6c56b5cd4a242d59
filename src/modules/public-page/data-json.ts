// The body of /t/{slug}/data: the bytes of JSON.stringify({ ...view, positions }), made in two
// parts so a request usually serializes nothing. The view (everything but positions) depends only
// on the link's resolution and is cached with it (PageCache.body, keyed on the resolution); the
// positions change as devices move and come from their own cache, which hands out the same array
// until one does (PageCache.withPositions). Measured (node, 200k rounds, a 2.9 KB view, load
// average ~28): JSON.stringify({ ...view, positions }) per request 207-274 µs, this head plus the
// positions 43-52 µs, and nothing at all while the positions are unchanged.

/**
 * The view's JSON without its closing brace, followed by the positions key: `{…,"positions":`.
 * `view` must be a plain object without a `positions` key of its own.
 */
export function dataHead(view: object): string {
  const json = JSON.stringify(view);
  return `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"positions":`;
}

/** A head from dataHead(view) and the positions: the bytes of JSON.stringify({ ...view, positions }). */
export function dataBody(head: Buffer, positions: readonly unknown[]): Buffer {
  return Buffer.concat([head, Buffer.from(`${JSON.stringify(positions)}}`)]);
}
