// Slow and greedy clients against a real listening `tracklink serve` (issue 14 item 5, issue 13
// item 10): half-sent headers and trickled bodies are cut with 408 while a live stream open
// longer than those deadlines goes on, and one address cannot hold more than
// MAX_CONNECTIONS_PER_IP connections while other addresses are served. Connection handling is
// below the store, so this runs on SQLite only.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { consignmentBody } from '../helpers/fixtures.js';
import { recordSecret } from '../helpers/context.js';
import { parseRawReply, rawConnection } from '../helpers/raw-http.js';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/server.js';

describe('slow clients and connection caps [sqlite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-slow-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir };
  let server: ServerProcess;
  let key = '';
  let shipmentId = '';
  let slug = '';
  let linkId = '';
  const auth = () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

  before(async () => {
    const created = runCli(['org', 'create', '--name', 'Slow Co', '--country', 'NL', '--owner-email', 's@slow.example'], env);
    assert.equal(created.status, 0, created.stderr);
    key = (JSON.parse(created.stdout) as { api_key: string }).api_key;
    recordSecret(key);
    // Deadlines short enough for a test, far apart enough that each cut is clearly one of them.
    server = await startServerProcess({ ...env, HEADERS_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '2500', MAX_CONNECTIONS_PER_IP: '20', METRICS_TOKEN: 'slow-metrics-token' });
    const shipment = (await (await fetch(`${server.url}/api/v1/shipments`, { method: 'POST', headers: auth(), body: JSON.stringify(consignmentBody()) })).json()) as { id: string };
    shipmentId = shipment.id;
    const link = (await (await fetch(`${server.url}/api/v1/shipments/${shipmentId}/links`, { method: 'POST', headers: auth(), body: '{}' })).json()) as { id: string; url: string };
    linkId = link.id;
    slug = /\/t\/([^/?#]+)/.exec(link.url)?.[1] ?? '';
    assert.ok(slug, link.url);
    recordSecret(slug);
  });
  after(async () => {
    await server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts half-sent headers and a trickled body with 408 and stores nothing, while a live stream open longer than both deadlines keeps working', async () => {
    // The viewer connects first, so by the time the trickled body is cut (REQUEST_TIMEOUT_MS
    // after it began) the stream has been open longer than either deadline.
    const events: string[] = [];
    let streamEnded = false;
    const viewer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: `/t/${slug}/events`, agent: false, headers: { accept: 'text/event-stream' } }, resolve).on('error', reject);
    });
    assert.equal(viewer.statusCode, 200);
    viewer.setEncoding('utf8');
    viewer.on('data', (d: string) => events.push(...[...d.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])));
    viewer.on('close', () => (streamEnded = true));

    const halfHeaders = rawConnection(server.port, { initial: 'GET /healthz HTTP/1.1\r\nHost: slow.example\r\nX-Slow: ' });
    const body = JSON.stringify(consignmentBody());
    const trickled = rawConnection(server.port, {
      initial: `POST /api/v1/shipments HTTP/1.1\r\nHost: slow.example\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 10_000}\r\n\r\n${body}`,
      trickleMs: 200,
    });

    const [headersCut, bodyCut] = await Promise.all([halfHeaders.closed, trickled.closed]);
    for (const cut of [headersCut, bodyCut]) {
      const reply = parseRawReply(cut.received);
      assert.equal(reply.status, 408, cut.received);
      assert.equal(reply.body.error.code, 'request_timeout');
      assert.equal(reply.headers.connection, 'close');
    }
    // Ordering, not timing: the body was still arriving when it was cut, after the headers were.
    assert.ok(headersCut.closedAt <= bodyCut.closedAt);

    assert.equal(streamEnded, false, 'the live stream is not cut by the request deadlines');
    const revoked = await fetch(`${server.url}/api/v1/links/${linkId}/revoke`, { method: 'POST', headers: auth(), body: '{}' });
    assert.equal(revoked.status, 200);
    await new Promise<void>((resolve) => {
      const check = () => (events.includes('revoked') ? resolve() : setTimeout(check, 20));
      check();
    });

    const list = (await (await fetch(`${server.url}/api/v1/shipments?limit=100`, { headers: auth() })).json()) as { items: { id: string }[] };
    assert.deepEqual(list.items.map((s) => s.id), [shipmentId], 'the cut request stored nothing');
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer slow-metrics-token' } })).text();
    assert.match(metrics, /^tracklink_http_connections_cut_total\{reason="timeout"\} 2$/m);
  });

  it('refuses connections beyond MAX_CONNECTIONS_PER_IP from one address with 503 at once, and serves other addresses meanwhile', async () => {
    // Idle sockets that never send a byte: what slowloris opens by the hundred.
    const flood = Array.from({ length: 30 }, () => rawConnection(server.port));
    const outcomes = flood.map((c) => c.closed.then((r) => ({ ...r, reply: parseRawReply(r.received) })));
    // The refused ones are answered as soon as they are accepted; wait for them, not for a clock.
    const refused = await new Promise<number>((resolve) => {
      let n = 0;
      for (const o of outcomes) void o.then((r) => r.reply.status === 503 && ++n >= 10 && resolve(n));
    });
    assert.ok(refused >= 10);
    // Another address is not affected by the flood (the accepted sockets are still open).
    const other = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/healthz', localAddress: '127.0.0.2', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(other, 200);

    const all = await Promise.all(outcomes);
    const byStatus = all.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.reply.status]: (acc[r.reply.status] ?? 0) + 1 }), {});
    // The test process may hold a few keep-alive connections of its own: at most 20 in all were let in.
    assert.ok((byStatus[408] ?? 0) <= 20 && (byStatus[408] ?? 0) >= 15, JSON.stringify(byStatus));
    assert.equal((byStatus[503] ?? 0) + (byStatus[408] ?? 0), 30, JSON.stringify(byStatus));
    const sample = all.find((r) => r.reply.status === 503)!.reply;
    assert.equal(sample.body.error.code, 'unavailable');
    assert.equal(sample.headers['retry-after'], '5');
    assert.match(server.output(), /connections over MAX_CONNECTIONS_PER_IP refused/);
  });
});
