// BENCH_ONLY=bus: the live bus between two instances, per bus (PostgreSQL LISTEN/NOTIFY, Redis
// pub/sub, NATS). Instance A (this process) publishes position messages of the size the live
// module sends; instance B (bench/lib/bus-receiver.ts, its own process) receives them. Two
// figures per bus: the most events per second B receives while A publishes flat out (64
// publishes in flight), and the latency from publish to arrival at a steady 1,000 events/s.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/db/index.js';
import { createBus } from '../src/modules/live/create-bus.js';
import type { LiveBus, LiveMessage } from '../src/modules/live/hub.js';
import { startNatsServer, startRedisServer, type BusServer } from '../test/helpers/bus-servers.js';
import { fmt, tempStore, type BenchRow } from './lib/util.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_BUS_SECONDS ?? 3);
const STEADY_RATE = 1000;
const IN_FLIGHT = 64;
const BUSES = ['postgres', 'redis', 'nats'] as const;
type Kind = (typeof BUSES)[number];

export interface BusFigures {
  kind: Kind;
  maxPerSecond: number;
  maxP99: number;
  steadyP50: number;
  steadyP99: number;
  steadyDelivered: number;
}

const now = () => performance.timeOrigin + performance.now();
const posMessage = (phase: string, seq: number): LiveMessage => ({
  type: 'pos',
  orgId: 'bench-org-0000000000000000',
  deviceId: phase,
  // Send time (ms, fractional) where recorded_at goes: the receiver subtracts it from its arrival time.
  position: [now(), 52.0 + (seq % 1000) / 1e4, 4.9, 13.9, 270, 8],
});

interface Receiver {
  child: ChildProcess;
  result(phase: string): Promise<{ count: number; expected: number; seconds: number; p50: number; p99: number }>;
}

async function receiver(env: Record<string, string>): Promise<Receiver> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'lib/bus-receiver.ts')], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const waiting = new Map<string, (r: any) => void>();
  let buf = '';
  let ready: () => void = () => {};
  const isReady = new Promise<void>((r) => (ready = r));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line === 'ready') ready();
      else if (line.startsWith('{')) {
        const r = JSON.parse(line) as { phase: string };
        waiting.get(r.phase)?.(r);
      }
    }
  });
  await isReady;
  return { child, result: (phase) => new Promise((resolve) => waiting.set(phase, resolve)) };
}

async function publishFlatOut(bus: LiveBus, phase: string, seconds: number): Promise<number> {
  const end = now() + seconds * 1000;
  let seq = 0;
  while (now() < end) {
    const batch: Promise<boolean>[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) batch.push(bus.publish(posMessage(phase, seq++)));
    await Promise.all(batch);
    // Lets the client's socket writes (and the echo's reads) happen between batches.
    await new Promise((r) => setImmediate(r));
  }
  return seq;
}

async function publishSteady(bus: LiveBus, phase: string, seconds: number): Promise<number> {
  const start = now();
  let seq = 0;
  while (now() - start < seconds * 1000) {
    const due = Math.floor(((now() - start) / 1000) * STEADY_RATE);
    const sends: Promise<boolean>[] = [];
    while (seq < due) sends.push(bus.publish(posMessage(phase, seq++)));
    await Promise.all(sends);
    await new Promise((r) => setTimeout(r, 2));
  }
  return seq;
}

async function measure(kind: Kind, log: (s: string) => void): Promise<BusFigures> {
  const temp = await tempStore('postgres');
  let server: BusServer | null = null;
  let recv: Receiver | null = null;
  const store = createStore({ kind: 'postgres', url: temp.pgUrl as string });
  let bus: LiveBus | null = null;
  try {
    if (kind === 'redis') server = await startRedisServer();
    if (kind === 'nats') server = await startNatsServer();
    const env = { DATABASE_URL: temp.pgUrl as string, LIVE_BUS_URL: server ? `${server.url}/?channel=bench` : 'postgres' };
    recv = await receiver(env);
    bus = createBus(loadConfig(env).liveBus, store, (err) => log(`bus ${kind}: ${(err as Error).message}`));
    // A is an instance too: it receives its own messages back, as every instance does.
    bus.subscribe(() => {});
    await bus.start();
    const warm = recv.result('warm');
    await publishSteady(bus, 'warm', 0.5).then((n) => bus!.publish({ type: 'org', orgId: `done:warm:${n}` }));
    await warm;

    const max = recv.result('max');
    const sent = await publishFlatOut(bus, 'max', SECONDS);
    await bus.publish({ type: 'org', orgId: `done:max:${sent}` });
    const m = await max;
    if (m.count < sent) log(`bus ${kind}: ${sent - m.count} of ${sent} flat-out messages not delivered within 10 s`);

    const steady = recv.result('steady');
    const n = await publishSteady(bus, 'steady', SECONDS);
    await bus.publish({ type: 'org', orgId: `done:steady:${n}` });
    const s = await steady;
    const figures = { kind, maxPerSecond: m.count / m.seconds, maxP99: m.p99, steadyP50: s.p50, steadyP99: s.p99, steadyDelivered: s.count / n };
    log(`bus ${kind}: ${fmt(figures.maxPerSecond)} events/s flat out (p99 ${fmt(m.p99, 1)} ms); at ${STEADY_RATE}/s p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`);
    return figures;
  } finally {
    await bus?.stop();
    if (recv) {
      recv.child.kill('SIGTERM');
      await new Promise((r) => recv!.child.once('exit', r));
    }
    await store.close();
    await server?.stop();
    await temp.cleanup();
  }
}

const NAMES: Record<Kind, string> = { postgres: 'PostgreSQL LISTEN/NOTIFY', redis: 'Redis pub/sub', nats: 'NATS' };

export async function busBench(log: (s: string) => void): Promise<{ rows: BenchRow[]; figures: BusFigures[] }> {
  const figures: BusFigures[] = [];
  for (const kind of BUSES) {
    log(`live bus: ${NAMES[kind]}`);
    figures.push(await measure(kind, log));
  }
  const pg = figures[0];
  const rows = figures.map(
    (f): BenchRow => ({
      name: `Live bus, ${NAMES[f.kind]}: position messages from instance A to instance B (separate processes)`,
      value: `${fmt(f.maxPerSecond)} events/s flat out (p99 ${fmt(f.maxP99, 0)} ms); at ${fmt(STEADY_RATE)}/s: p50 ${fmt(f.steadyP50, 2)} ms, p99 ${fmt(f.steadyP99, 2)} ms, ${fmt(f.steadyDelivered * 100, 1)}% delivered`,
      baseline: f.kind === 'postgres' ? '—' : `LISTEN/NOTIFY: ${fmt(pg.maxPerSecond)} events/s, p99 ${fmt(pg.steadyP99, 2)} ms at ${fmt(STEADY_RATE)}/s`,
      ratio: f.kind === 'postgres' ? '—' : `${fmt(f.maxPerSecond / pg.maxPerSecond, 2)}× the events/s`,
      target: `all delivered, p99 ≤ 100 ms at ${fmt(STEADY_RATE)}/s`,
      met: f.steadyDelivered >= 1 && f.steadyP99 <= 100,
    }),
  );
  return { rows, figures };
}

export const BUS_BEGIN = '<!-- bus: written by BENCH_ONLY=bus -->';
export const BUS_END = '<!-- /bus -->';

export function busSection(started: Date, machine: string, r: { rows: BenchRow[]; figures: BusFigures[] }): string {
  const [pg, redis, nats] = r.figures;
  return [
    BUS_BEGIN,
    '## Live bus between instances',
    '',
    `Written by \`BENCH_ONLY=bus npm run bench\` on ${started.toISOString()} (${machine}); ${SECONDS} s per figure (\`BENCH_BUS_SECONDS\`).`,
    'Instance A publishes `pos` messages (the live module\'s, about 120 bytes) through a bus built by `createBus` exactly as a server does; instance B, a separate process, subscribes and times each from its send time. ' +
      `Flat out: A keeps ${IN_FLIGHT} publishes in flight; the figure is what B received per second. Steady: ${fmt(STEADY_RATE)} events/s. Redis and NATS run as their own servers on this machine, PostgreSQL is the shared local server; A and B also receive their own echo, as instances do.`,
    '',
    '| Benchmark | Result | Baseline (same run) | Ratio | Target | Met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.rows.map((x) => `| ${x.name} | ${x.value} | ${x.baseline} | ${x.ratio} | ${x.target} | ${x.met ? 'yes' : '**no**'} |`),
    '',
    '### Where LISTEN/NOTIFY stops being enough',
    '',
    `- Throughput: a NOTIFY is delivered only when its transaction commits, and PostgreSQL serializes the commits of every transaction that notified (one global lock, held from queueing the notifications to the end of the commit, WAL flush included), so notifying transactions on all instances queue behind each other. Here each message was its own \`SELECT pg_notify\` transaction, as the live module's change messages are: ${fmt(pg.maxPerSecond)} events/s flat out, against ${fmt(redis.maxPerSecond)} for Redis and ${fmt(nats.maxPerSecond)} for NATS (the machine's two cores shared with other work at the time). ` +
      'Positions ride in the insert\'s own transaction (one message per device per batch), so the limit is notifying commits per second, not messages: batch uploads amortize it, but OsmAnd phones post one position per request, so 10,000 phones every 5 s are 2,000 notifying commits per second, past what this machine delivered.',
    `- Load on the database: each NOTIFY is work of the primary, which also stores every position; a listener that falls behind makes the notification queue (8 GB) grow, and when it is full every NOTIFY, and so every position insert, fails. Redis and NATS take the fan-out off the database.`,
    '- Payload: NOTIFY payloads are capped at 8,000 bytes. Tracklink\'s messages are small on purpose (ids and one position, about 120 bytes), so the cap is not reached today, but no message may ever carry a page or a batch of positions.',
    '- Listener connections: each instance holds one LISTEN connection; behind PgBouncer in transaction mode LISTEN does not work at all (a session-mode pool or a direct connection is needed). Redis or NATS need no database connection for the bus.',
    `- Switch when: more than a handful of instances, a sustained rate of notifying commits (single-position device requests plus changes) past about a third of the LISTEN/NOTIFY figure above (${fmt(pg.maxPerSecond / 3)}/s here: headroom for bursts and for the database's own work), a database that is already the bottleneck on ingest, or a connection pooler in transaction mode. Below that, LISTEN/NOTIFY needs nothing else to run and keeps positions in commit order.`,
    BUS_END,
  ].join('\n');
}
