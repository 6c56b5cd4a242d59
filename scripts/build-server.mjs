#!/usr/bin/env node
// Compiles src/ to dist/ (tsconfig.build.json) and copies the non-TypeScript files modules read
// beside themselves (page scripts, styles, templates), so dist/ runs exactly like src/.
// `--out-dir <dir>` builds elsewhere (tests); the default is dist/.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out-dir');
const out = path.resolve(root, i > 0 ? process.argv[i + 1] : 'dist');
const src = path.join(root, 'src');

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

let copied = 0;
(function copy(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) copy(p);
    else if (!/\.(ts|tsx|mts|cts)$/.test(name)) {
      const dest = path.join(out, path.relative(src, p));
      mkdirSync(path.dirname(dest), { recursive: true });
      copyFileSync(p, dest);
      copied++;
    }
  }
})(src);
console.log(`built ${path.relative(root, out) || '.'}/ (${copied} asset files copied)`);
