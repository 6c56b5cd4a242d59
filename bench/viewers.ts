// BENCH_ONLY=viewers (issue 19 item 3), run only when named: it loads the machine for minutes.
// As many idle SSE viewers of one link as one server process can hold, up to BENCH_MAX_VIEWERS
// (100,000), from several client processes on several loopback source addresses; memory per
// viewer (RSS after full GC against the fresh server's), then one position and how long it takes
// to reach 99% of them.
import { readFileSync } from 'node:fs';
import { load1, section, type Section } from './lib/section.js';
import { benchServer, serverWithOrg } from './lib/servers.js';
import { call, fmt, rssBytes, tempStore, type BenchRow } from './lib/util.js';
import { openViewers } from './lib/viewers.js';
import { buildWorld } from './scenario.js';

const TARGET = Number(process.env.BENCH_MAX_VIEWERS ?? 100_000);

/** [soft, hard] open-file limits of a process. */
function fileLimits(pid: number | 'self'): [number, number] {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files')) ?? '';
  const [soft, hard] = line.replace('Max open files', '').trim().split(/\s+/).map(Number);
  return [soft, hard];
}

async function liveRss(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 2000));
  return rssBytes(pid);
}

export async function viewersBench(log: (s: string) => void): Promise<Section> {
  const store = await tempStore('sqlite');
  const first = await serverWithOrg(store);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const world = await buildWorld(first.server.url, first.key, 1);
  await first.server.kill('SIGTERM');
  // A fresh process: the viewers' memory is measured against a heap holding nothing else.
  const server = await benchServer(store);
  let viewers: Awaited<ReturnType<typeof openViewers>> | null = null;
  try {
    const pid = server.proc.pid as number;
    const [soft, hard] = fileLimits(pid);
    // Each viewer is one socket of the server; keep room for its database, log and listening files.
    const count = Math.min(TARGET, soft - 500);
    const perProcess = Math.min(10_000, fileLimits('self')[0] - 500);
    if (count < TARGET) {
      notes.push(
        `The target is ${fmt(TARGET)} viewers; one process here may hold ${fmt(soft)} open files (hard limit ${fmt(hard)}; raising it needs CAP_SYS_RESOURCE, which this machine's root does not have), so ${fmt(count)} viewers is the most one server process can take: the server's file descriptors ran out, not its memory or CPU.`,
      );
    }
    const idleBefore = await liveRss(pid);
    log(`viewers: opening ${fmt(count)} SSE viewers from ${Math.ceil(count / perProcess)} client processes`);
    const opened = Date.now();
    viewers = await openViewers([`${server.url}/t/${world.live.slug}/events`], count, perProcess);
    const openSeconds = (Date.now() - opened) / 1000;
    if (viewers.failed) notes.push(`${fmt(viewers.failed)} viewers failed to connect: ${JSON.stringify(viewers.errors)}.`);
    await new Promise((r) => setTimeout(r, 3000));
    const idleAfter = await liveRss(pid);
    const perViewer = (idleAfter - idleBefore) / Math.max(1, viewers.connected);
    rows.push({
      name: `Idle SSE viewers of one link on one server process (target ${fmt(TARGET)})`,
      value: `${fmt(viewers.connected)} connected in ${fmt(openSeconds)} s; ${(perViewer / 1024).toFixed(1)} KB each (RSS ${fmt(idleBefore / 2 ** 20)} → ${fmt(idleAfter / 2 ** 20)} MB); load average ${load1()}`,
      baseline: 'RSS of the freshly started server before the viewers connected (both read after a full GC)',
      ratio: '—',
      target: `${fmt(TARGET)} viewers at ≤ 10 KB each`,
      met: viewers.connected >= TARGET && perViewer <= 10 * 1024,
    });
    await viewers.arm();
    const sentAt = Date.now();
    await call(server.url, world.key, 'POST', '/api/v1/positions', { positions: [{ device_id: world.live.deviceId, recorded_at: new Date().toISOString(), lat: 52.0, lon: 5.0 }] });
    await new Promise((r) => setTimeout(r, 10_000));
    const rep = await viewers.report();
    const n = viewers.connected;
    const lat = rep.arrivals.map((a) => a - sentAt).sort((a, b) => a - b);
    const within2s = lat.filter((l) => l <= 2000).length / Math.max(1, n);
    const p99 = lat.length >= Math.ceil(n * 0.99) ? `${fmt(lat[Math.ceil(n * 0.99) - 1])} ms` : 'not reached';
    rows.push({
      name: `Live fan-out: one position to ${fmt(n)} SSE viewers of one link`,
      value: `${(within2s * 100).toFixed(1)}% within 2 s; p99 ${p99}; max ${fmt(lat.at(-1) ?? NaN)} ms; ${fmt(lat.length)} received within 10 s; load average ${load1()}`,
      baseline: 'time the POST that ingested it was sent',
      ratio: '—',
      target: '99% within 2 s',
      met: within2s >= 0.99,
    });
  } finally {
    viewers?.stop();
    await server.kill('SIGTERM');
    await store.cleanup();
  }
  return section(
    'viewers',
    'Live viewers on one server process',
    [
      `Written by \`BENCH_ONLY=viewers npm run bench\` on ${new Date().toISOString()} (run only when named: it loads the machine); the 1-minute load average is given with each figure (the machine is shared).`,
      'One SQLite server, fresh; the viewers are held by client processes of up to 10,000 connections each, each connecting from its own loopback address (127.0.0.2, .3, …) so no source address runs out of ephemeral ports; memory is the server\'s RSS after full collections (SIGUSR2, bench/lib/gc-on-signal.mjs) against its RSS before the first viewer.',
    ],
    rows,
    notes,
  );
}
