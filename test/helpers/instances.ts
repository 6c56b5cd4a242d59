// What the two-instance tests (test/e2e/live-bus*.test.ts) share: waiting on a condition, calling
// an instance's API with the org's key, and a device's OsmAnd request.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/db/index.js';

/** One Tracklink instance of a multi-instance test: its app, its own store and where it listens. */
export interface Instance {
  app: FastifyInstance;
  store: Store;
  url: string;
}

export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `call(base, method, url, body?)` on any instance with this API key; the body is JSON both ways. */
export function apiCaller(apiKey: () => string) {
  return async (base: string, method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${apiKey()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as any };
  };
}

/** A device's OsmAnd request at its secret URL; each a second older than the last, so none is a duplicate. */
export function osmandPoster() {
  let fixAgo = 0;
  return async (base: string, token: string) =>
    (await fetch(`${base}/ingest/osmand/${token}?timestamp=${Math.floor(Date.now() / 1000) - 600 - fixAgo++}&lat=52.1&lon=5.1`, { method: 'POST' })).status;
}
