#!/usr/bin/env node
// Finds every *.test.ts under src/ and test/ and runs them with node's test runner, compiled to
// JavaScript first (test-build.mjs says why). Node 20's --test does not expand globs itself.
// Extra arguments narrow the run to matching files.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkRun, pruneOldRuns } from './check-log-redaction.mjs';
import { ensureAdminBuild } from './ensure-admin-build.mjs';
import { buildTestTree, compiledPath, pruneOldTrees } from './test-build.mjs';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
// The longest files start first (the runner starts files in the order given): with two at a time,
// a long file started last would run alone at the end. Longest first, from measured runs on the
// 2-core machine; every other file follows in name order.
const SLOW_FIRST = [
  'test/public/browser.test.ts',
  'test/a11y/public-axe.test.ts',
  'test/a11y/admin-axe.test.ts',
  'test/e2e/live-marker.test.ts',
  'test/admin/admin-app-sharing.test.ts',
  'test/admin/admin-app-settings.test.ts',
  'test/admin/notifications.test.ts',
  'test/public/markers-browser.test.ts',
  'test/public/demo-pages.test.ts',
  'test/public/leakage.test.ts',
  'test/admin/partners.test.ts',
  'test/public/tiles-browser.test.ts',
].map((f) => path.normalize(f));
const rank = (f) => {
  const i = SLOW_FIRST.indexOf(path.normalize(f));
  return i === -1 ? SLOW_FIRST.length : i;
};
const files = ['src', 'test']
  .flatMap((d) => find(d))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
// The admin app's browser tests each make sure the app is built; built once here first, two of
// them starting together never build it side by side (twice the work, one dist/ written by two).
if (files.some((f) => /^test[/\\](admin[/\\]|a11y[/\\]admin-axe)/.test(f))) ensureAdminBuild();
// Each run logs and records its secrets under its own name, so runs side by side never mix.
const run = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
pruneOldRuns(root);
// One tree per run (runs side by side in one checkout never share one), removed at the end.
pruneOldTrees(path.join(root, '.test-build'));
const tree = await buildTestTree(root, path.join(root, '.test-build', run));
const compiled = files.map((f) => compiledPath(root, tree, f));
// With runner flags (e.g. --test-name-pattern) node --test runs the files, in its own (name) order.
const args = flags.length
  ? ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-timeout=300000', ...flags, ...compiled]
  : ['--enable-source-maps', path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-test-files.mjs'), ...compiled];
const r = spawnSync(
  process.execPath,
  args,
  // TILE_URL=off for every process a test starts without choosing (npm start, the CLI): the
  // default upstream is OpenStreetMap's tile server, which the suite must never contact.
  { stdio: 'inherit', env: { ...process.env, TILE_URL: process.env.TILE_URL ?? 'off', TRACKLINK_TEST_RUN: run } },
);
rmSync(tree, { recursive: true, force: true });
const clean = checkRun(root, run);
const status = r.status ?? 1;
process.exit(status !== 0 ? status : clean ? 0 : 1);
