// Runs the given test files with node's test runner, two at a time, starting them in the order
// given. `node --test` sorts its files by name; the run() API keeps the order, so test.mjs can
// start the longest files first. Started with --enable-source-maps, which each file's process inherits.
// At the end it lists the slowest top-level tests (a file's suites; one per store where a file
// runs on both), to keep test.mjs's SLOW_FIRST true and to show where the suite's time goes.
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import path from 'node:path';

const files = process.argv.slice(2).map((f) => path.resolve(f));
// TEST_CONCURRENCY: files at once (2 by default, for the 2-core machines the suite is sized for).
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 2) || 2;
const stream = run({ files, concurrency, timeout: 300_000 });
const topLevel = new Map();
const count = ({ name, nesting, details }) => {
  if (nesting === 0) topLevel.set(name, (topLevel.get(name) ?? 0) + (details?.duration_ms ?? 0));
};
stream.on('test:pass', count);
stream.on('test:fail', (data) => {
  process.exitCode = 1;
  count(data);
});
// The same reporters node --test picks: spec on a terminal, TAP otherwise.
stream
  .compose(process.stdout.isTTY ? spec : tap)
  .on('end', () => {
    const total = [...topLevel.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`# slowest top-level tests (of ${topLevel.size}, ${Math.round(total / 1000)} s in all, ${concurrency} files at a time):\n`);
    for (const [name, ms] of [...topLevel].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
      process.stdout.write(`#   ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}\n`);
    }
  })
  .pipe(process.stdout);
