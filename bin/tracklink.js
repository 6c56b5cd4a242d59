#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so a fresh clone works after `npm ci` with no build step.
// With TRACKLINK_COMPILED=1 (the Docker image) it runs the compiled dist/ of `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (process.env.TRACKLINK_COMPILED === '1') {
  const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  if (!existsSync(compiled)) {
    process.stderr.write('tracklink: TRACKLINK_COMPILED=1 but dist/cli.js is missing; run `npm run build` first\n');
    process.exit(2);
  }
  await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
