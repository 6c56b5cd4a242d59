// SIGTERM under load against a real `tracklink serve` process: every request is either answered
// or refused cleanly, the process exits on its own within the bound, and nothing it acknowledged
// is lost.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { consignmentBody } from '../helpers/fixtures.js';
import { recordSecret } from '../helpers/context.js';
import { parseRawReply, rawConnection } from '../helpers/raw-http.js';
import { freePort, runCli, startServerProcess } from '../helpers/server.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';

type Outcome = { kind: 'answered'; status: number; body: string } | { kind: 'refused' } | { kind: 'broken'; error: string };

/** One request on its own connection (no keep-alive reuse), so a refusal is unambiguous. */
function request(port: number, method: string, urlPath: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, agent: false, headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ kind: 'answered', status: res.statusCode ?? 0, body: text }));
        res.on('error', (err) => resolve({ kind: 'broken', error: err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // Refused before anything was sent: the client knows nothing happened and can retry elsewhere.
      resolve(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'broken', error: `${err.code}: ${err.message}` });
    });
    req.end(payload);
  });
}

interface Viewer {
  /** Resolves when the stream ends: cleanly (the server ended it) or not. */
  done: Promise<{ clean: boolean; text: string }>;
}

/** Opens one live stream and resolves once its headers arrived. */
function openViewer(port: number, urlPath: string): Promise<Viewer> {
  return new Promise((resolveOpen, rejectOpen) => {
    let settle: (v: { clean: boolean; text: string }) => void = () => {};
    const done = new Promise<{ clean: boolean; text: string }>((r) => (settle = r));
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return rejectOpen(new Error(`viewer got ${res.statusCode}`));
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => settle({ clean: true, text }));
      res.on('aborted', () => settle({ clean: false, text }));
      res.on('error', () => settle({ clean: false, text }));
      resolveOpen({ done });
    });
    req.on('error', (err) => {
      rejectOpen(err);
      settle({ clean: false, text: String(err) });
    });
  });
}

async function storeEnv(kind: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-shutdown-'));
  if (kind === 'postgres') {
    const pg = await createPgDatabase();
    return { env: { DATABASE_URL: pg.url, DATA_DIR: dir }, cleanup: async () => { await pg.drop(); rmSync(dir, { recursive: true, force: true }); } };
  }
  return { env: { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

for (const kind of await storeKinds()) {
  describe(`graceful shutdown [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups) await c();
    });

    it('answers or cleanly refuses 200 concurrent requests and tells 500 live viewers to reconnect on SIGTERM, exits 0 within 10 s and loses no acknowledged write', async (t) => {
      const { env, cleanup } = await storeEnv(kind);
      cleanups.push(cleanup);
      const created = runCli(['org', 'create', '--name', 'Shutdown Co', '--country', 'NL', '--owner-email', 's@d.example'], env);
      assert.equal(created.status, 0, created.stderr);
      const { api_key: key } = JSON.parse(created.stdout) as { api_key: string };
      recordSecret(key);

      // All viewers come from one address here; production limits would refuse most of them.
      const server = await startServerProcess({ ...env, LOG_LEVEL: 'info', SSE_MAX_PER_IP: '1000', PUBLIC_RATE_LIMIT: '100000', MAX_CONNECTIONS_PER_IP: '2000' });
      const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const shipment = (await (await fetch(`${server.url}/api/v1/shipments`, { method: 'POST', headers: auth, body: JSON.stringify(consignmentBody()) })).json()) as { id: string };
      const linkRes = await fetch(`${server.url}/api/v1/shipments/${shipment.id}/links`, { method: 'POST', headers: auth, body: '{}' });
      assert.equal(linkRes.status, 201);
      const link = (await linkRes.json()) as { url: string };
      const slug = /\/t\/([^/?#]+)/.exec(link.url)?.[1];
      assert.ok(slug, link.url);
      recordSecret(slug);
      const viewers: Viewer[] = [];
      for (let i = 0; i < 500; i += 50) {
        viewers.push(...(await Promise.all(Array.from({ length: 50 }, () => openViewer(server.port, `/t/${slug}/events`)))));
      }
      const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)));

      // A quarter writes, the rest reads, all in flight together.
      const inFlight: Promise<Outcome & { write: boolean }>[] = [];
      for (let i = 0; i < 200; i++) {
        const write = i % 4 === 0;
        inFlight.push(
          (write ? request(server.port, 'POST', '/api/v1/shipments', key, consignmentBody()) : request(server.port, 'GET', '/api/v1/org', key)).then((o) => ({ ...o, write })),
        );
      }
      // SIGTERM once the server is visibly busy with the burst, not before it saw any of it.
      let answered = 0;
      for (const p of inFlight) void p.then((o) => o.kind === 'answered' && answered++);
      while (answered < 10) await new Promise((r) => setTimeout(r, 2));
      const signalledAt = Date.now();
      server.proc.kill('SIGTERM');

      // Requests that arrive during shutdown are refused or get a 503, never a broken connection.
      await new Promise((r) => setTimeout(r, 20));
      const late = await Promise.all(Array.from({ length: 20 }, () => request(server.port, 'GET', '/api/v1/org', key)));
      // A viewer reconnecting meanwhile gets a stream that asks it back (EventSource drops a 503 for good).
      const lateViewers = await Promise.all(Array.from({ length: 5 }, () => request(server.port, 'GET', `/t/${slug}/events`, '', undefined, { accept: 'text/event-stream' })));

      const outcomes = await Promise.all(inFlight);
      const streams = await Promise.all(viewers.map((v) => v.done));
      const code = await exited;
      const elapsed = Date.now() - signalledAt;

      const tally = (list: Outcome[]) => list.map((o) => (o.kind === 'answered' ? String(o.status) : o.kind)).reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
      t.diagnostic(`viewers ended cleanly ${streams.filter((s) => s.clean).length}/500, burst ${JSON.stringify(tally(outcomes))}, during shutdown ${JSON.stringify(tally(late))}, reconnecting viewers ${JSON.stringify(tally(lateViewers))}, exit ${code} after ${elapsed} ms`);
      for (const v of lateViewers) {
        if (v.kind === 'answered') assert.deepEqual([v.status, v.body], [200, 'retry: 1000\n\n']);
        else assert.equal(v.kind, 'refused');
      }
      const broken = [...outcomes, ...late, ...lateViewers].filter((o) => o.kind === 'broken');
      assert.deepEqual(broken, [], 'no request may be cut off half-way');
      for (const o of [...outcomes, ...late]) {
        if (o.kind === 'answered') assert.ok([200, 201, 503].includes(o.status), `unexpected ${o.status}: ${o.body}`);
      }
      assert.equal(streams.filter((s) => s.clean).length, 500, 'every live stream is ended by the server, not cut');
      assert.equal(streams.filter((s) => /^retry: \d+$/m.test(s.text)).length, 500, 'every viewer is told when to reconnect');
      assert.equal(code, 0, `exit code; output:\n${server.output().slice(-2000)}`);
      assert.ok(elapsed < 10_000, `exited after ${elapsed} ms`);
      assert.match(server.output(), /"msg":"shutdown complete"/);

      const acknowledged = outcomes.filter((o) => o.write && o.kind === 'answered' && o.status === 201).map((o) => (JSON.parse((o as { body: string }).body) as { id: string }).id);
      assert.ok(acknowledged.length > 0, 'some writes were acknowledged before the shutdown');

      const again = await startServerProcess({ ...env, PORT: String(await freePort()) });
      try {
        for (const id of acknowledged) {
          const r = await fetch(`${again.url}/api/v1/shipments/${id}`, { headers: { authorization: `Bearer ${key}` } });
          assert.equal(r.status, 200, `acknowledged shipment ${id} lost`);
        }
      } finally {
        await again.kill('SIGTERM');
      }
    });

    it('closes idle keep-alive and half-sent connections as soon as it stops listening, while an in-flight request finishes with a complete reply', async () => {
      const { env, cleanup } = await storeEnv(kind);
      cleanups.push(cleanup);
      const created = runCli(['org', 'create', '--name', 'Slowloris Co', '--country', 'NL', '--owner-email', 'l@d.example'], env);
      assert.equal(created.status, 0, created.stderr);
      const { api_key: key } = JSON.parse(created.stdout) as { api_key: string };
      recordSecret(key);
      // Deadlines far beyond the shutdown: whatever closes the slow sockets here is the shutdown.
      const server = await startServerProcess({ ...env, LOG_LEVEL: 'info', HEADERS_TIMEOUT_MS: '60000', REQUEST_TIMEOUT_MS: '60000' });
      const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)));

      // An idle keep-alive connection, as a load balancer's pool holds them.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const idleSocketClosed = new Promise<boolean>((resolve) => {
        http.get({ host: '127.0.0.1', port: server.port, path: '/healthz', agent }, (res) => {
          res.socket.once('close', () => resolve(true));
          res.resume();
        });
      });
      // Half-sent headers and connections that never send a byte: slowloris.
      const slow = [
        ...Array.from({ length: 5 }, () => rawConnection(server.port, { initial: 'GET /api/v1/org HTTP/1.1\r\nHost: slow.example\r\nX-Slow: ' })),
        ...Array.from({ length: 5 }, () => rawConnection(server.port)),
      ];
      // A request in flight: its headers and half its body arrived before SIGTERM.
      const body = JSON.stringify(consignmentBody());
      const half = Math.floor(body.length / 2);
      const inFlight = rawConnection(server.port, {
        initial: `POST /api/v1/shipments HTTP/1.1\r\nHost: slow.example\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
      });
      await Promise.all([...slow, inFlight].map((c) => new Promise((r) => (c.socket.readyState === 'open' ? r(null) : c.socket.once('connect', r)))));
      // The server has seen the in-flight request once it answers a later one (requests on one
      // process are handled in arrival order of their headers).
      assert.equal((await request(server.port, 'GET', '/api/v1/org', key)).kind, 'answered');

      server.proc.kill('SIGTERM');
      // Every slow connection is closed by the server, without a reply (no 408: no deadline
      // fired), while the in-flight request is still waiting for the rest of its body.
      const slowClosed = await Promise.all(slow.map((c) => c.closed));
      for (const c of slowClosed) assert.equal(c.received, '', 'a half-sent request gets no reply');
      assert.equal(await idleSocketClosed, true);
      let inFlightDone = false;
      void inFlight.closed.then(() => (inFlightDone = true));
      await new Promise((r) => setImmediate(r));
      assert.equal(inFlightDone, false, 'the in-flight request was not cut with the slow ones');

      inFlight.socket.write(body.slice(half));
      const finished = await inFlight.closed;
      assert.equal(finished.error, null, 'the in-flight connection ends cleanly, never with a reset');
      const reply = parseRawReply(finished.received);
      assert.equal(reply.status, 201, finished.received);
      assert.equal(reply.headers.connection, 'close', 'the client is told not to reuse the connection');
      assert.ok(typeof reply.body.id === 'string');

      assert.equal(await exited, 0, server.output().slice(-2000));
      const closedLine = server.output().split('\n').find((l) => l.includes('closed the connections between requests'));
      assert.ok(closedLine, server.output().slice(-2000));
      const counts = JSON.parse(closedLine) as { idle: number; unfinished: number; serving: number };
      // Idle keep-alives are usually closed by Node's own server.close() just before.
      assert.ok(counts.unfinished >= 10 && counts.serving === 1, closedLine);
      assert.match(server.output(), /"msg":"shutdown complete"/);
      agent.destroy();
    });
  });
}
