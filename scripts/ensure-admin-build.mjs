#!/usr/bin/env node
// Builds the admin app (web/admin → web/admin/dist) when dist is missing or older than its sources.
// Run by `npm start` (prestart) and by the browser tests, so a fresh clone needs only `npm ci`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const admin = path.join(root, 'web', 'admin');
const builtIndex = path.join(admin, 'dist', 'index.html');

function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const name of readdirSync(p)) m = Math.max(m, newest(path.join(p, name)));
  return m;
}

export function adminBuildIsStale() {
  if (!existsSync(builtIndex)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((f) => path.join(admin, f)).filter(existsSync);
  const built = statSync(builtIndex).mtimeMs;
  return sources.some((s) => newest(s) > built);
}

export function ensureAdminBuild({ quiet = false } = {}) {
  if (!adminBuildIsStale()) return;
  if (!quiet) console.error('Building the admin app (web/admin)…');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(admin, 'vite.config.ts'), '--logLevel', quiet ? 'error' : 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`admin app build failed (exit ${r.status})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureAdminBuild();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
