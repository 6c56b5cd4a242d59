// Preloaded into the measured server by the bench only (NODE_OPTIONS=--expose-gc --import this):
// SIGUSR2 runs full collections, so two RSS readings compare live memory rather than garbage a
// collection happened to leave or take between them. With BENCH_MEMORY_FILE, the process then
// writes its own process.memoryUsage() there (heapUsed is only known from inside). SIGWINCH
// writes a heap snapshot into BENCH_HEAP_DIR, for finding what a soak accumulates.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const file = process.env.BENCH_MEMORY_FILE;
  if (!file) return;
  // Written aside and renamed: the reader never sees half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  renameSync(`${file}.tmp`, file);
});

process.on('SIGWINCH', () => {
  const dir = process.env.BENCH_HEAP_DIR;
  if (dir) v8.writeHeapSnapshot(path.join(dir, `heap-${Date.now()}.heapsnapshot`));
});
