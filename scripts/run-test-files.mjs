// Runs the given test files with node's test runner, two at a time, starting them in the order
// given. `node --test` sorts its files by name; the run() API keeps the order, so test.mjs can
// start the longest files first. Started with --import tsx, which each file's process inherits.
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import path from 'node:path';

const files = process.argv.slice(2).map((f) => path.resolve(f));
const stream = run({ files, concurrency: 2, timeout: 300_000 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
// The same reporters node --test picks: spec on a terminal, TAP otherwise.
stream.compose(process.stdout.isTTY ? spec : tap).pipe(process.stdout);
