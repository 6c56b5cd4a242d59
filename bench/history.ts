// `/t/{slug}/history` over 30 days of one position per 10 s against `SELECT count(*)` over the same
// rows, both as HTTP round trips (issue 19 item 5): the baseline is a bare node:http server in this
// process answering the count through the same driver (better-sqlite3) on the server's store, so
// the ratio compares a request with a request, not a request with an in-process call.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import SQLite from 'better-sqlite3';
import type { ServerProcess } from '../test/helpers/server.js';
import { fmt, median, type BenchRow, type TempStore } from './lib/util.js';

const TIMES = 11;

/** A bare node:http endpoint answering the count over the device's rows as JSON; closed by stop(). */
async function countServer(file: string, deviceId: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const db = new SQLite(file, { readonly: true });
  const count = db.prepare('SELECT count(*) AS n FROM positions WHERE device_id = ? AND recorded_at >= ? AND recorded_at <= ?');
  const server = http.createServer((_req, res) => {
    const body = JSON.stringify(count.get(deviceId, 0, Date.now()));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/count`;
  return {
    url,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      db.close();
    },
  };
}

/** Median time of TIMES sequential GETs of url (ms), with the last body. */
async function timed(url: string): Promise<{ ms: number; body: string; times: number[] }> {
  const times: number[] = [];
  let body = '';
  for (let i = 0; i < TIMES; i++) {
    const t = process.hrtime.bigint();
    const r = await fetch(url);
    body = await r.text();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${body.slice(0, 200)}`);
  }
  return { ms: median(times), body, times };
}

/**
 * ROUNDS alternating rounds (baseline, then /history), each the median of TIMES requests; the row
 * reports the round with the median ratio, every round with the 1-minute load average.
 */
export async function historyBench(server: ServerProcess, store: TempStore, slug: string, deviceId: string, rounds: number): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const base = await countServer(store.file as string, deviceId);
  const url = `${server.url}/t/${slug}/history?layer=driver`;
  const all: { base: number; ms: number; ratio: number; load: number; bytes: number; points: number; n: number }[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const load = os.loadavg()[0];
      const b = await timed(base.url);
      const h = await timed(url);
      const parsed = JSON.parse(h.body) as { layers: { points: unknown[] }[] };
      const points = parsed.layers.reduce((n, l) => n + l.points.length, 0);
      if (points === 0) throw new Error('history returned no points');
      all.push({ base: b.ms, ms: h.ms, ratio: h.ms / b.ms, load, bytes: Buffer.byteLength(h.body), points, n: (JSON.parse(b.body) as { n: number }).n });
    }
  } finally {
    await base.stop();
  }
  const each = all.map((x) => `${x.ratio.toFixed(2)}× (${x.ms.toFixed(1)} / ${x.base.toFixed(1)} ms, load ${x.load.toFixed(1)})`).join(', ');
  const mid = [...all].sort((a, b) => a.ratio - b.ratio)[Math.floor(all.length / 2)];
  return {
    rows: [
      {
        name: `GET /t/{slug}/history over ${fmt(mid.n)} positions (30 days, 1 per 10 s)`,
        value: `${mid.ms.toFixed(1)} ms median, ${fmt(mid.points)} points, ${(mid.bytes / 1024).toFixed(1)} KB (load average ${mid.load.toFixed(1)})`,
        baseline: `GET of a bare node:http endpoint answering SELECT count(*) over the same rows (better-sqlite3, same file): ${mid.base.toFixed(1)} ms`,
        ratio: `${mid.ratio.toFixed(2)}× (median of ${rounds} alternating rounds: ${each})`,
        target: '≤ 5× and ≤ 200 KB',
        met: mid.ratio <= 5 && mid.bytes <= 200 * 1024,
      },
    ],
    notes: [
      `History: both sides are HTTP round trips from the bench process, ${TIMES} sequential requests each per round (median); the baseline endpoint runs in the bench process, the count on the server's SQLite file.`,
    ],
  };
}
