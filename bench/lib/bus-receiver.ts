// The second instance of the bus benchmark (bench/bus.ts), in its own process: subscribes to the
// bus LIVE_BUS_URL names and times every benchmark message from its send time to its arrival.
// A message { type: 'org', orgId: 'done:<phase>:<count>' } ends a phase: once <count> messages of that
// phase have arrived (or 10 s later) it prints one JSON line with the phase's figures.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { createStore } from '../../src/db/index.js';
import { createBus } from '../../src/modules/live/create-bus.js';

const now = () => performance.timeOrigin + performance.now();
const config = loadConfig(process.env);
const store = createStore(config.database, { poolSize: 2 });
const bus = createBus(config.liveBus, store, (err) => process.stderr.write(`receiver: ${(err as Error).message}\n`));

interface Phase {
  latencies: number[];
  first: number;
  last: number;
  expected: number | null;
}
const phases = new Map<string, Phase>();
const report = (name: string) => {
  const p = phases.get(name);
  if (!p) return;
  phases.delete(name);
  const l = p.latencies.sort((a, b) => a - b);
  const q = (f: number) => l[Math.min(l.length - 1, Math.floor(f * l.length))] ?? NaN;
  process.stdout.write(`${JSON.stringify({ phase: name, count: l.length, expected: p.expected, seconds: (p.last - p.first) / 1000, p50: q(0.5), p99: q(0.99), max: l.at(-1) ?? NaN })}\n`);
};

bus.subscribe((msg) => {
  const t = now();
  if (msg.type === 'pos') {
    let p = phases.get(msg.deviceId);
    if (!p) phases.set(msg.deviceId, (p = { latencies: [], first: t, last: t, expected: null }));
    p.latencies.push(t - msg.position[0]);
    p.last = t;
    if (p.expected !== null && p.latencies.length >= p.expected) report(msg.deviceId);
  } else if (msg.type === 'org' && msg.orgId.startsWith('done:')) {
    const [, name, count] = msg.orgId.split(':');
    const p = phases.get(name);
    if (!p) return;
    p.expected = Number(count);
    if (p.latencies.length >= p.expected) report(name);
    else setTimeout(() => report(name), 10_000).unref();
  }
});
await bus.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void bus.stop().then(() => store.close()).finally(() => process.exit(0));
});
