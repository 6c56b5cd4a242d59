// A real `tracklink serve` process on a PostgreSQL cluster of the test's own, which the test
// stops (`pg_ctl stop -m fast`: every session is terminated) and freezes (SIGSTOP) while clients
// keep writing and reading. The process must survive every outage, answer what it cannot do with
// 503 `unavailable` + Retry-After (never a 500 or a hang), and recover by itself: reads, ingestion
// and the LISTEN connection that carries live updates between instances.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { recordSecret } from '../helpers/context.js';
import { startPgCluster, pgClusterUnavailable, type PgCluster } from '../helpers/pg-cluster.js';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/server.js';
import { waitFor } from '../helpers/smtp.js';
import { openSse, type SseStream } from '../helpers/sse.js';

const skip = pgClusterUnavailable();
if (skip) console.warn(`# ${skip}: PostgreSQL outage tests skipped`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

/** PUBLIC_OUTAGE_GRACE_MS of the server under test. */
const GRACE_MS = 6000;

type Outcome = { status: number; retryAfter: string | null; code?: string; ms: number } | { failed: string; ms: number };

describe('PostgreSQL outages under load [postgres, own cluster]', { skip: skip ?? false }, () => {
  let cluster: PgCluster;
  let server: ServerProcess;
  let dir: string;
  let key: string;
  let slug: string;
  /** A link nobody opened yet: not in any cache. */
  let coldSlug: string;
  let shipmentId: string;
  let deviceId: string;
  let clock = Date.now() - 3600_000;
  const auth = () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

  const call = async (method: string, url: string, body?: unknown, timeoutMs = 15_000): Promise<Outcome> => {
    const started = Date.now();
    try {
      const r = await fetch(`${server.url}${url}`, { method, headers: auth(), body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
      const text = await r.text();
      let code: string | undefined;
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
      } catch {
        /* a page */
      }
      return { status: r.status, retryAfter: r.headers.get('retry-after'), code, ms: Date.now() - started };
    } catch (err) {
      const e = err as { cause?: { code?: string }; name?: string; message?: string };
      return { failed: e.cause?.code ?? e.name ?? String(e.message), ms: Date.now() - started };
    }
  };
  const post = () => call('POST', '/api/v1/positions', { positions: [{ device_id: deviceId, recorded_at: iso((clock += 1000)), lat: 52 + (clock % 1000) / 1e5, lon: 5 }] });

  /** Clients that keep writing and reading until stopped; every answer is kept. */
  const loads = new Set<{ stop(): Promise<Outcome[]> }>();
  const viewers: SseStream[] = [];
  function load(workers = 6) {
    const outcomes: Outcome[] = [];
    let running = true;
    const loops = Array.from({ length: workers }, async (_, w) => {
      while (running) {
        const o =
          w % 3 === 0 ? await post() : w % 3 === 1 ? await call('GET', `/api/v1/shipments/${shipmentId}`) : await call('GET', `/t/${slug}/history`);
        outcomes.push(o);
        // A refused connection means the process is gone: no point spinning.
        if ('failed' in o) await sleep(50);
      }
    });
    const traffic = {
      outcomes,
      async stop() {
        running = false;
        await Promise.all(loops);
        return outcomes;
      },
    };
    loads.add(traffic);
    return traffic;
  }

  /** Every answer during an outage is a success or a 503 `unavailable` with Retry-After. */
  function assertClean(outcomes: Outcome[], what: string) {
    const bad = outcomes.filter((o) => 'failed' in o || ![200, 201, 503].includes(o.status) || (o.status === 503 && (o.code !== 'unavailable' || !o.retryAfter)));
    assert.deepEqual(bad.slice(0, 5), [], `${what}: ${bad.length} of ${outcomes.length} answers were neither a success nor a clean 503\n${server.output().slice(-3000)}`);
  }

  async function recovered() {
    await waitFor(async () => {
      const w = await post();
      const r = await call('GET', `/api/v1/shipments/${shipmentId}`);
      return 'status' in w && w.status === 200 && 'status' in r && r.status === 200;
    }, 'reads and ingestion work again', 15_000);
  }

  /** A position posted now reaches a live viewer: the LISTEN connection is back. */
  async function liveWorks(viewer: { current: SseStream }) {
    const lat = 53 + Math.random();
    await waitFor(async () => {
      if (viewer.current.events.some((e) => e.event === 'position' && e.data.lat === lat)) return true;
      // A stream the server ended (it re-resolved the link while the database was away) is reopened, as EventSource does.
      if (await Promise.race([viewer.current.ended.then(() => true), sleep(0).then(() => false)])) viewers.push((viewer.current = await openSse(`${server.url}/t/${slug}/events`)));
      const r = await call('POST', '/api/v1/positions', { positions: [{ device_id: deviceId, recorded_at: iso((clock += 1000)), lat, lon: 5 }] });
      assert.ok('status' in r && r.status === 200);
      await sleep(200);
      return viewer.current.events.some((e) => e.event === 'position' && e.data.lat === lat);
    }, 'a new position reaches the live viewer', 15_000);
  }

  before(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase('tl_outage');
    dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-outage-'));
    const env = { DATABASE_URL: url, DATA_DIR: dir };
    const created = runCli(['org', 'create', '--name', 'Outage Co', '--country', 'NL', '--owner-email', 'o@outage.example'], env);
    assert.equal(created.status, 0, created.stderr);
    key = (JSON.parse(created.stdout) as { api_key: string }).api_key;
    recordSecret(key);
    server = await startServerProcess({
      ...env,
      LOG_LEVEL: 'info',
      PUBLIC_RATE_LIMIT: '1000000',
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '1000',
      READY_TIMEOUT_MS: '300',
      PUBLIC_OUTAGE_GRACE_MS: String(GRACE_MS),
    });
    const made = async (url: string, body: unknown) => {
      const r = await fetch(`${server.url}${url}`, { method: 'POST', headers: auth(), body: JSON.stringify(body) });
      assert.ok(r.status < 300, `${url}: ${r.status}`);
      return (await r.json()) as Record<string, any>;
    };
    const s = await made('/api/v1/shipments', {
      kind: 'order',
      reference: 'ORD-OUT',
      status: 'in_transit',
      stops: [
        { type: 'pickup', lat: 51.9, lon: 4.4, departed_at: iso(Date.now() - 7200_000) },
        { type: 'delivery', lat: 52.1, lon: 5.1 },
      ],
    });
    shipmentId = s.id;
    deviceId = (await made('/api/v1/devices', { name: 'Truck' })).id;
    await made(`/api/v1/shipments/${shipmentId}/sources`, { device_id: deviceId, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    const link = await made(`/api/v1/shipments/${shipmentId}/links`, { options: { layers: ['driver'], driver_position: 'always', history: true } });
    slug = link.slug;
    coldSlug = (await made(`/api/v1/shipments/${shipmentId}/links`, { recipient: { name: 'Cold', email: 'cold@outage.example' } })).slug;
    recordSecret(slug, coldSlug);
  });

  after(async () => {
    await Promise.all([...loads].map((t) => t.stop()));
    for (const v of viewers) v.close();
    await server?.kill('SIGKILL');
    cluster?.thaw();
    cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('survives PostgreSQL being stopped (fast) four times under load, answering 503 meanwhile, and recovers each time by itself', async () => {
    const viewer = { current: await openSse(`${server.url}/t/${slug}/events`) };
    viewers.push(viewer.current);
    await liveWorks(viewer);
    for (let round = 1; round <= 4; round++) {
      const traffic = load();
      await sleep(300);
      cluster.stop('fast');
      await sleep(700);
      const down = await Promise.all([post(), call('GET', `/api/v1/shipments/${shipmentId}`), call('GET', '/readyz')]);
      for (const o of down) assert.ok('status' in o && o.status === 503 && o.retryAfter, `round ${round}, database down: ${JSON.stringify(o)}\n${server.output().slice(-3000)}`);
      cluster.start();
      await recovered();
      assertClean(await traffic.stop(), `round ${round}`);
      assert.equal(server.proc.exitCode, null, `the process exited in round ${round}:\n${server.output().slice(-3000)}`);
      await liveWorks(viewer);
    }
    assert.doesNotMatch(server.output(), /Unhandled|uncaught/i);
  });

  it('answers 503 within its timeouts while PostgreSQL is frozen (SIGSTOP), serves cached pages only within the grace, and recovers after SIGCONT', async () => {
    const page = await call('GET', `/t/${slug}/data`);
    assert.ok('status' in page && page.status === 200);
    const checkedAt = Date.now();
    const traffic = load();
    await sleep(200);
    cluster.freeze();
    try {
      const [ready, read, write, cached, cold] = await Promise.all([
        call('GET', '/readyz'),
        call('GET', `/api/v1/shipments/${shipmentId}`),
        post(),
        call('GET', `/t/${slug}/data`),
        call('GET', `/t/${coldSlug}/data`),
      ]);
      assert.ok('status' in ready && ready.status === 503 && ready.retryAfter, `readyz: ${JSON.stringify(ready)}`);
      assert.ok(ready.ms < 1500, `readyz answered after ${ready.ms} ms (budget 300 ms)`);
      // An unknown answer is not "this link does not exist": never a 404 for a link that may work.
      for (const o of [read, write, cold]) {
        assert.ok('status' in o && o.status === 503 && o.code === 'unavailable' && o.retryAfter, JSON.stringify(o));
        // Connect timeout (1 s), or statement timeout (1 s) + 1 s for a server that never answers.
        assert.ok(o.ms < 4000, `answered after ${o.ms} ms`);
      }
      assert.ok('status' in cached && cached.status === 200, `a page cached ${Date.now() - checkedAt} ms ago is served from the cache: ${JSON.stringify(cached)}`);
      await sleep(Math.max(0, checkedAt + GRACE_MS + 300 - Date.now()));
      const stale = await call('GET', `/t/${slug}/data`);
      assert.ok('status' in stale && stale.status === 503 && stale.retryAfter, `past the grace the cached page is no longer served: ${JSON.stringify(stale)}`);
    } finally {
      cluster.thaw();
    }
    await recovered();
    const outcomes = await traffic.stop();
    assertClean(outcomes, 'frozen');
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    assert.ok(slowest < 4000, `no request waited longer than the timeouts allow (slowest ${slowest} ms)`);
    const ready = await call('GET', '/readyz');
    assert.ok('status' in ready && ready.status === 200, JSON.stringify(ready));
  });
});
