// Log output: readable lines on a terminal, JSON elsewhere, redaction the same in both, and the
// demo's simulated truck below info.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createStore, type Store } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { demoRequestMarker } from '../demo/demo.js';
import { BUILTIN_ROUTES, runSimulation } from '../modules/positions/simulator.js';
import { createServices } from '../services.js';
import { recordSecret, testLogFile } from '../../test/helpers/test-output.js';
import { chooseLogOutput, FLUSH_MS, requestLine } from './log-output.js';
import { loggerOptions } from './logging.js';

const fakePretty = () => () => (line: string) => line;

describe('the log output decision', () => {
  it('is readable lines on a terminal and JSON lines anywhere else, unless LOG_FORMAT says otherwise', () => {
    assert.equal(chooseLogOutput('auto', true, { load: fakePretty }).format, 'pretty');
    assert.equal(chooseLogOutput('auto', false, { load: fakePretty }).format, 'json');
    assert.equal(chooseLogOutput('json', true, { load: fakePretty }).format, 'json');
    assert.equal(chooseLogOutput('pretty', false, { load: fakePretty }).format, 'pretty');
  });

  it('falls back to JSON with a notice when pino-pretty is not installed (npm ci --omit=dev)', () => {
    const out = chooseLogOutput('auto', true, { load: () => null });
    assert.equal(out.format, 'json');
    assert.equal(out.stream, undefined);
    assert.match(out.notice ?? '', /pino-pretty/);
  });

  it('writes JSON lines to stdout without a blocking write per line, and still writes them all', () => {
    // In a child process: the lines must reach a real stdout, with nothing lost at exit.
    const script = [
      "const { serverLoggerOptions } = await import('./src/http/log-output.ts');",
      "const opts = serverLoggerOptions('info', 'json', false);",
      "if (opts.stream?.sync !== false) throw new Error('stdout written synchronously');",
      "const pino = (await import('pino')).default;",
      'const log = pino(opts, opts.stream);',
      "for (let i = 0; i < 2000; i++) log.info({ i }, 'line');",
      'process.exit(0);',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.resolve(import.meta.dirname, '../..'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { i: number });
    assert.equal(lines.length, 2000, 'every line written before process.exit arrives');
    assert.equal(lines.at(-1)?.i, 1999);
  });

  it('writes a lone line within a moment, not only once a batch of lines has gathered', async () => {
    // SIGKILL at the end: no exit handler flushes it, so the line must have been written on its own.
    const script = [
      "const { serverLoggerOptions } = await import('./src/http/log-output.ts');",
      "const opts = serverLoggerOptions('info', 'json', false);",
      "const log = (await import('pino')).default(opts, opts.stream);",
      "log.info('lone line');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        // FLUSH_MS, plus the child's start-up on a busy machine.
        const timer = setTimeout(() => reject(new Error('the line was held back')), 15_000 + FLUSH_MS);
        child.stdout.once('data', (d: Buffer) => {
          clearTimeout(timer);
          resolve(d.toString());
        });
      });
      assert.match(line, /"msg":"lone line"/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('writes a request as one line with method, redacted URL, status and time', () => {
    assert.equal(
      requestLine({ msg: 'request completed', req: { method: 'GET', url: '/t/[redacted]/data' }, res: { statusCode: 200 }, responseTime: 3.6 }),
      'request completed GET /t/[redacted]/data 200 4 ms',
    );
    assert.equal(requestLine({ msg: 'Server listening at http://127.0.0.1:3000' }), 'Server listening at http://127.0.0.1:3000');
  });
});

describe('server logs', () => {
  let dir = '';
  let store: Store;
  let app: FastifyInstance;
  let base = '';
  const pretty: string[] = [];
  const json: string[] = [];
  const marker = demoRequestMarker();

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tl-logout-'));
    const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir, TILE_URL: 'off' });
    store = createStore(config.database);
    await migrateToLatest(store);
    // One app writing both shapes: pretty (real pino-pretty) and JSON, both at debug.
    const prettyOut = chooseLogOutput('pretty', false, { destination: { write: (s: string) => pretty.push(s) } });
    assert.equal(prettyOut.format, 'pretty', 'pino-pretty is installed with the devDependencies');
    const tee = {
      write(line: string) {
        json.push(line);
        prettyOut.stream?.write(line);
      },
    };
    app = await buildApp(createServices(config, store), { logger: loggerOptions('debug', tee), quietRequest: marker.isDemoRequest });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    await store.close();
    // The suite's redaction check reads these lines too.
    appendFileSync(testLogFile('log-output'), [...json, ...pretty].join(''));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keep slugs and tokens out of readable lines as well', async () => {
    const slug = 'PrettySlugMustNotLeak77';
    recordSecret(slug);
    const r = await fetch(`${base}/t/${slug}/data?token=PrettyTokenMustNotLeak77`);
    await r.arrayBuffer();
    await waitFor(() => pretty.some((l) => l.includes('request completed')));
    const text = pretty.join('');
    assert.match(text, /GET \/t\/\[redacted\]\/data\?token=\[redacted\]/);
    assert.doesNotMatch(text, /MustNotLeak/);
    assert.doesNotMatch(text, /^\{/m, 'no JSON lines');
  });

  it('log the simulated demo truck at debug, every other request at info', async () => {
    json.length = 0;
    const port = (app.server.address() as AddressInfo).port;
    await runSimulation({
      baseUrl: `http://127.0.0.1:${port}`,
      externalId: 'demo-truck-unknown-device',
      route: BUILTIN_ROUTES['rotterdam-utrecht'],
      speedKmh: 80,
      intervalS: 3,
      paceMs: 1,
      maxFixes: 2,
      headers: marker.headers,
    });
    const other = await fetch(`${base}/ingest/osmand?id=not-the-demo&lat=52&lon=5`, { method: 'POST', headers: { 'x-tracklink-demo': 'guessed' } });
    await other.arrayBuffer();
    await waitFor(() => json.filter((l) => l.includes('request completed')).length >= 3);
    const requests = json.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { url: string }; reqId: string }).filter((e) => /request/.test(e.msg));
    const urlOf = new Map(requests.filter((e) => e.req).map((e) => [e.reqId, e.req?.url ?? '']));
    const ingest = requests.filter((e) => urlOf.get(e.reqId)?.startsWith('/ingest/osmand'));
    const levels = (demo: boolean) => ingest.filter((e) => /lat=5[12]\.\d{6}/.test(urlOf.get(e.reqId) ?? '') === demo).map((e) => e.level);
    assert.deepEqual(levels(true), [20, 20], 'the access line of both simulated fixes at debug');
    assert.deepEqual(levels(false), [30], 'a request with a guessed marker is logged at info');
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not met in time');
}
