// Log lines in batches: every line arrives, whole and in order, one write per batch, and what is
// left in a batch is written when the process ends, however it ends short of SIGKILL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LineBatches, type LineWriter } from './line-batches.js';

/** A writer that records what it is handed. */
function recorder() {
  const writes: string[] = [];
  const writer: LineWriter = {
    write: (text: string) => writes.push(text),
    flush: (cb?: (err?: Error) => void) => cb?.(),
    flushSync: () => {},
  };
  return { writes, writer };
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A child process logging through the server's JSON stdout; `end` is how its script ends. */
function childLogging(lines: number, end: string) {
  const script = [
    "const { serverLoggerOptions } = await import('./src/http/log-output.ts');",
    "const opts = serverLoggerOptions('info', 'json', false);",
    "const log = (await import('pino')).default(opts, opts.stream);",
    // Some lines with characters of several UTF-8 bytes, so a batch is not its length in bytes.
    `for (let i = 0; i < ${lines}; i++) log.info({ i, city: i % 7 ? 'Utrecht' : 'Zürich → Ørsted 🚚' }, 'line');`,
    end,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  const got = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number; city: string });
  return { r, got };
}

function assertAll(got: { i: number; city: string }[], lines: number) {
  assert.equal(got.length, lines, 'every line arrives');
  got.forEach((l, i) => {
    assert.equal(l.i, i, 'in order');
    assert.equal(l.city, i % 7 ? 'Utrecht' : 'Zürich → Ørsted 🚚');
  });
}

describe('log line batches', () => {
  it('hand the writer one string per batch, the lines whole and in order', () => {
    const { writes, writer } = recorder();
    const batches = new LineBatches(writer, -1, 1000, 60_000);
    const lines = Array.from({ length: 95 }, (_, i) => `{"i":${String(i).padStart(3, '0')},"pad":"${'x'.repeat(81)}"}\n`);
    assert.equal(lines[0].length, 100);
    for (const line of lines) batches.write(line);
    // 100 characters a line: a batch every 10 lines, the last 5 still gathering.
    assert.equal(writes.length, 9);
    for (const w of writes) assert.equal(w.length, 1000);
    batches.flush();
    assert.equal(writes.length, 10);
    assert.equal(writes.join(''), lines.join(''));
  });

  it('hand over a lone line once it has waited the longest a line may', async () => {
    const { writes, writer } = recorder();
    const batches = new LineBatches(writer, -1, 1 << 20, 30);
    batches.write('lone\n');
    assert.deepEqual(writes, []);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(writes, ['lone\n']);
  });

  it('write what is left in a batch at process.exit', () => {
    // 3,000 lines are many batches; the last, partial one is left when process.exit comes.
    const { r, got } = childLogging(3000, 'process.exit(0);');
    assert.equal(r.status, 0, r.stderr);
    assertAll(got, 3000);
  });

  it('write what is left when the event loop runs out', () => {
    const { r, got } = childLogging(3000, '');
    assert.equal(r.status, 0, r.stderr);
    assertAll(got, 3000);
  });

  it('write what is left when an uncaught exception ends the process', () => {
    const { r, got } = childLogging(3000, "setTimeout(() => { throw new Error('boom'); }, 0);");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /boom/);
    assertAll(got, 3000);
  });
});
