// The suite runs on plain JavaScript: src/ and test/ compiled once per run by esbuild (the same
// compiler tsx runs file by file), into a tree that mirrors the repository. Why: on Node 20, tsx's
// module hooks run on a separate thread, and every module a test file loads waits on a round
// trip to it; that was 1.2-1.5 s of CPU per test file before its first test, over 130 files.
// Types are still checked by `tsc --noEmit` (npm test), as before.
//
// The tree: <out>/src, test, scripts, bench and examples hold the compiled files, and every other
// file of those folders (page assets, the TypeScript sources some tests read) as a link to the original. Every
// other top-level entry of the repository (package.json, bin/, web/, docs, test-output/ ...) is
// a link too, so a path worked out from a module's own location (`import.meta.url` + '../..')
// finds what it found in the repository. Processes the tests start through bin/ still run the
// sources through tsx, as `npm start` does.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const COMPILED = /\.(ts|tsx)$/;
/** The folders tsconfig.json checks that hold TypeScript a test may import (bin/ is JavaScript). */
const COMPILED_DIRS = ['src', 'test', 'scripts', 'bench', 'examples'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Builds the mirror of `root` in `out` (replaced if present); returns its path. */
export async function buildTestTree(root, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Written by the tests and read by test.mjs's log check in the repository: a link made now.
  mkdirSync(path.join(root, 'test-output'), { recursive: true });
  const outName = path.relative(root, out).split(path.sep)[0];
  // dist/ too where it is not built yet: compiled.test builds it through the link.
  for (const name of new Set([...readdirSync(root), 'dist'])) {
    if (COMPILED_DIRS.includes(name) || name === '.git' || name === outName) continue;
    symlinkSync(path.join(root, name), path.join(out, name));
  }
  const files = COMPILED_DIRS.filter((d) => existsSync(path.join(root, d))).flatMap((d) => walk(path.join(root, d)));
  const sources = files.filter((f) => COMPILED.test(f) && !f.endsWith('.d.ts'));
  for (const f of files) {
    const dest = path.join(out, path.relative(root, f));
    mkdirSync(path.dirname(dest), { recursive: true });
    symlinkSync(f, dest);
  }
  await build({
    entryPoints: sources,
    outdir: out,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Inline, so a failure's stack (node --enable-source-maps) points at the TypeScript line.
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
  });
  return out;
}

/** Trees older than a day under `dir`: left by a run that was killed before it removed its own. */
export function pruneOldTrees(dir) {
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (Date.now() - statSync(p).mtimeMs > 24 * 3600_000) rmSync(p, { recursive: true, force: true });
  }
}

/** Where a source test file's compiled twin is in the tree. */
export function compiledPath(root, out, file) {
  return path.join(out, path.relative(root, path.resolve(root, file))).replace(COMPILED, '.js');
}
