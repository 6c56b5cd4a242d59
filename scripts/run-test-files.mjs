// Runs the given test files with node's test runner, two at a time, starting them in the order
// given. `node --test` sorts its files by name; the run() API keeps the order, so test.mjs can
// start the longest files first. Started with --import tsx, which each file's process inherits.
// At the end it lists the slowest files (the time of their top-level tests), to keep test.mjs's
// SLOW_FIRST true and to show where the suite's time goes.
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import path from 'node:path';

const files = process.argv.slice(2).map((f) => path.resolve(f));
const stream = run({ files, concurrency: 2, timeout: 300_000 });
const perFile = new Map();
const count = ({ file, nesting, details }) => {
  if (file && nesting === 0) perFile.set(file, (perFile.get(file) ?? 0) + (details?.duration_ms ?? 0));
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
    const total = [...perFile.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`# slowest test files (of ${perFile.size}, ${Math.round(total / 1000)} s in all, run two at a time):\n`);
    for (const [file, ms] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      process.stdout.write(`#   ${(ms / 1000).toFixed(1).padStart(6)} s  ${path.relative(process.cwd(), file)}\n`);
    }
  })
  .pipe(process.stdout);
