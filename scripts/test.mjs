#!/usr/bin/env node
// Finds every *.test.ts under src/ and test/ and runs them with node's test runner through tsx.
// Node 20's --test does not expand globs itself. Extra arguments narrow the run to matching files.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkRun, pruneOldRuns } from './check-log-redaction.mjs';

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
const files = ['src', 'test'].flatMap((d) => find(d)).filter((f) => !filters.length || filters.some((x) => f.includes(x))).sort();
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
// Each run logs and records its secrets under its own name, so runs side by side never mix.
const run = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
pruneOldRuns(root);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...flags, ...files],
  // TILE_URL=off for every process a test starts without choosing (npm start, the CLI): the
  // default upstream is OpenStreetMap's tile server, which the suite must never contact.
  { stdio: 'inherit', env: { ...process.env, TILE_URL: process.env.TILE_URL ?? 'off', TRACKLINK_TEST_RUN: run } },
);
const clean = checkRun(root, run);
const status = r.status ?? 1;
process.exit(status !== 0 ? status : clean ? 0 : 1);
