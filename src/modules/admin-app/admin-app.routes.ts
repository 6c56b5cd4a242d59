// Serves the admin single-page app (web/admin, built by `npm run build:admin`) at /app.
// Hashed assets are cached for a year; index.html is revalidated so a new build shows at once;
// any other /app/* path answers index.html so the app's own router can take it.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** web/admin/dist, found by walking up from this file so it works from src/ and from a compiled dist/. */
export function adminDistDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'web', 'admin', 'index.html'))) return path.join(dir, 'web', 'admin', 'dist');
    const up = path.dirname(dir);
    if (up === dir) return path.resolve('web', 'admin', 'dist');
    dir = up;
  }
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tracklink admin not built</title></head>
<body><main><h1>The admin app is not built</h1><p>Run <code>npm run build:admin</code> (or <code>npm start</code>, which builds it when needed) and reload.</p></main></body></html>`;

export const adminAppRoutes: FastifyPluginAsync<{ distDir?: string }> = async (app, opts) => {
  const dist = opts.distDir ?? adminDistDir();
  const assets = path.join(dist, 'assets');

  await app.register(fastifyStatic, {
    root: assets,
    prefix: '/app/assets/',
    decorateReply: false,
    // Vite names every asset by its content hash, so a cached copy can never be stale.
    cacheControl: false,
    etag: false,
    lastModified: false,
    index: false,
    wildcard: true,
    setHeaders(reply) {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });

  let cached: { mtimeMs: number; html: string } | null = null;
  const sendIndex = async (reply: FastifyReply) => {
    const file = path.join(dist, 'index.html');
    let html: string;
    try {
      const st = await stat(file);
      if (!cached || cached.mtimeMs !== st.mtimeMs) cached = { mtimeMs: st.mtimeMs, html: await readFile(file, 'utf8') };
      html = cached.html;
    } catch {
      return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

  const hide = { schema: { hide: true } };
  app.get('/app', hide, async (_req, reply) => sendIndex(reply));
  app.get('/app/', hide, async (_req, reply) => sendIndex(reply));
  app.get('/app/*', hide, async (_req, reply) => sendIndex(reply));
};
