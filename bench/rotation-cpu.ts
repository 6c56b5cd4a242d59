// Server CPU per request of the public page rotation (bench/public.ts's rotation rows, without the
// baseline): a bench server over a world like scenario.ts's, `/t/{slug}` then `/t/{slug}/data`
// over every link in a shared rotation, CPU µs per request read from /proc for each window.
// `node --import tsx bench/rotation-cpu.ts` (SEED_DIR keeps the seeded store between runs, for
// cold-render-cpu.ts too; WINDOW seconds per round, ROUNDS, ONLY=page or ONLY=data).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildWorld } from './scenario.js';
import { benchServer, serverWithOrg } from './lib/servers.js';
import { runLoad } from './lib/load.js';
import { cpuMicros, tempStore } from './lib/util.js';

const SEED = process.env.SEED_DIR ?? '/tmp/coldpage-seed';
const SHIPMENTS = Number(process.env.BENCH_SHIPMENTS ?? 10_000);
const WINDOW = Number(process.env.WINDOW ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const store = await tempStore('sqlite');
if (!existsSync(path.join(SEED, 'slugs.json'))) {
  const { server, key } = await serverWithOrg(store);
  const world = await buildWorld(server.url, key, SHIPMENTS);
  await server.kill('SIGTERM');
  mkdirSync(SEED, { recursive: true });
  copyFileSync(store.file!, path.join(SEED, 'bench.db'));
  writeFileSync(path.join(SEED, 'slugs.json'), JSON.stringify(world.slugs));
}
const slugs: string[] = JSON.parse(readFileSync(path.join(SEED, 'slugs.json'), 'utf8'));
copyFileSync(path.join(SEED, 'bench.db'), store.file!);
const server = await benchServer(store);
try {
  for (const [suffix, marker] of ([['', '<html'], ['/data', '"status"']] as const).filter(([s]) => !process.env.ONLY || (process.env.ONLY === 'page') === (s === ''))) {
    const paths = slugs.map((s) => `/t/${s}${suffix}`);
    for (let i = 0; i < ROUNDS; i++) {
      const c0 = cpuMicros(server.proc.pid!);
      const r = await runLoad({ url: server.url, connections: 100, durationSeconds: WINDOW, paths, rotation: 'shared', expectIncludes: marker });
      const c1 = cpuMicros(server.proc.pid!);
      console.log(`/t/{slug}${suffix} round ${i + 1}: ${Math.round(r.rps)} req/s, server CPU ${((c1 - c0) / r.requests).toFixed(0)} µs/req, errors ${r.non2xx + r.errors + r.mismatches}`);
    }
  }
} finally {
  await server.kill('SIGTERM');
  await store.cleanup();
}
