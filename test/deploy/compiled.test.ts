// The production build: `npm run build:server` compiles src/ to dist/, and the CLI runs it
// (TRACKLINK_COMPILED=1, as in the Docker image) with its static assets in place.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runCli, startServerProcess } from '../helpers/server.js';
import { assetUrl } from '../../src/modules/public-page/assets.js';

describe('compiled build', () => {
  it('compiles to dist/ and serves from it: health, readiness, API docs and public page assets, then stops on SIGTERM', async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-server.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    assert.equal(build.status, 0, build.stdout + build.stderr);
    assert.ok(existsSync(path.join(ROOT, 'dist/cli.js')));
    assert.ok(!existsSync(path.join(ROOT, 'dist/config.test.js')), 'tests are not shipped');

    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-compiled-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir, TRACKLINK_COMPILED: '1' };
    try {
      const help = runCli(['help'], env);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /backup <file>/);
      const server = await startServerProcess(env);
      try {
        assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
        assert.equal((await fetch(`${server.url}/api/docs/json`)).status, 200);
        // Copied verbatim, so its content-hashed name is the same as from src/.
        const css = await fetch(`${server.url}${assetUrl('page.css')}`);
        assert.equal(css.status, 200, 'assets beside the modules are copied into dist/');
        assert.ok((await css.text()).length > 100);
      } finally {
        assert.equal(await server.kill('SIGTERM'), 0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses TRACKLINK_COMPILED=1 without a build instead of running something else', () => {
    // The launcher alone, in a tree without dist/.
    const tree = mkdtempSync(path.join(os.tmpdir(), 'tracklink-nobuild-'));
    try {
      mkdirSync(path.join(tree, 'bin'));
      copyFileSync(path.join(ROOT, 'bin/tracklink.js'), path.join(tree, 'bin/tracklink.js'));
      writeFileSync(path.join(tree, 'package.json'), '{"type":"module"}');
      const r = spawnSync(process.execPath, [path.join(tree, 'bin/tracklink.js'), 'help'], { env: { ...process.env, TRACKLINK_COMPILED: '1' }, encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /run `npm run build` first/);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
