// Runs the given test files with node's test runner, two at a time, starting them in the order
// given. `node --test` sorts its files by name; the run() API keeps the order, so test.mjs can
// start the longest files first. Started with --enable-source-maps, which each file's process inherits.
// At the end it lists the slowest top-level tests (a file's suites; one per store where a file
// runs on both), to keep test.mjs's SLOW_FIRST true and to show where the suite's time goes.
// Then it lists every failed test with its error, last: CI keeps only the tail of a long log, and
// a failure reported 200 suites earlier would otherwise be out of sight.
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
const failures = [];
stream.on('test:fail', (data) => {
  process.exitCode = 1;
  count(data);
  // A suite fails because a test in it did; that test is listed on its own, under the names of
  // the suites it is in (the store's among them). A suite's failure comes after its tests'. Its
  // file is where describe() was called (a helper's, for describeStores), so it is not compared.
  const error = data.details?.error;
  if (error?.failureType === 'subtestsFailed') {
    for (const f of failures) {
      if (f.outermost > data.nesting) {
        f.name = `${data.name} > ${f.name}`;
        f.outermost = data.nesting;
      }
    }
    return;
  }
  failures.push({ name: data.name, file: data.file, outermost: data.nesting, error });
});
const describe = (error) => {
  const cause = error?.cause ?? error;
  const text = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
  return text.split('\n').slice(0, 30).map((line) => `#       ${line}`).join('\n');
};
// The same reporters node --test picks: spec on a terminal, TAP otherwise.
stream
  .compose(process.stdout.isTTY ? spec : tap)
  .on('end', () => {
    const total = [...topLevel.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`# slowest top-level tests (of ${topLevel.size}, ${Math.round(total / 1000)} s in all, ${concurrency} files at a time):\n`);
    for (const [name, ms] of [...topLevel].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
      process.stdout.write(`#   ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}\n`);
    }
    if (!failures.length) return;
    process.stdout.write(`# failed (${failures.length}):\n`);
    for (const { name, file, error } of failures) {
      process.stdout.write(`#   ${name}\n#     in ${file ? path.relative(process.cwd(), file) : '?'}\n${describe(error)}\n`);
    }
  })
  .pipe(process.stdout);
