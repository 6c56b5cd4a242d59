// Server CPU per request of the public page rotation (bench/public.ts's rotation rows, without the
// baseline): over a world like scenario.ts's, `/t/{slug}` then `/t/{slug}/data`, each round on a
// fresh server (lib/rotation.ts): a pass of first visits, then revisits of every link for WINDOW
// seconds, CPU µs per request read from /proc for each.
// `node --import tsx bench/rotation-cpu.ts` (SEED_DIR keeps the seeded store between runs, for
// cold-render-cpu.ts too; WINDOW seconds per round, ROUNDS, ONLY=page or ONLY=data).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildWorld } from './scenario.js';
import { serverWithOrg } from './lib/servers.js';
import { rotationRound, type Measured } from './lib/rotation.js';
import { tempStore } from './lib/util.js';

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
try {
  for (const [suffix, marker] of ([['', '<html'], ['/data', '"status"']] as const).filter(([s]) => !process.env.ONLY || (process.env.ONLY === 'page') === (s === ''))) {
    const paths = slugs.map((s) => `/t/${s}${suffix}`);
    for (let i = 0; i < ROUNDS; i++) {
      const { first, again } = await rotationRound(store, paths, marker, WINDOW);
      const line = (m: Measured) => `${Math.round(m.r.rps)} req/s, server CPU ${m.cpu.toFixed(0)} µs/req (${m.loads} of ${m.r.requests} loaded; load ${m.load.toFixed(1)})`;
      console.log(`/t/{slug}${suffix} round ${i + 1}: first visits ${line(first)}; revisits ${line(again)}`);
    }
  }
} finally {
  await store.cleanup();
}
