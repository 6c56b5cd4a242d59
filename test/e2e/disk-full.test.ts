// SQLite on a small tmpfs that the test fills up: writes answer 503 `unavailable` with
// Retry-After, reads go on, /readyz and /metrics say the disk is full, the log names the real
// cause (SQLITE_FULL) once, and everything works again as soon as space is freed. Mounting needs
// root: elsewhere the test is skipped with a message, and in CI (CI set) it must run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { recordSecret } from '../helpers/context.js';
import { consignmentBody } from '../helpers/fixtures.js';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/server.js';
import { waitFor } from '../helpers/smtp.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-disk-full-'));
const mnt = path.join(dir, 'mnt');
mkdirSync(mnt);

/** Mounts an 8 MB tmpfs at mnt; the reason it cannot, or null. */
function mountSmallDisk(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', mnt], { encoding: 'utf8' });
  return r.status === 0 ? null : `mount -t tmpfs failed: ${r.stderr.trim() || r.error?.message}`;
}

const cannot = mountSmallDisk();
if (cannot && process.env.CI) throw new Error(`the disk-full test must run in CI, but ${cannot}`);
if (cannot) {
  console.warn(`# ${cannot}: SQLite disk-full test skipped`);
  rmSync(dir, { recursive: true, force: true });
}

describe('SQLite on a full disk [sqlite, tmpfs]', { skip: cannot ?? false }, () => {
  let server: ServerProcess;
  let key: string;
  const metricsToken = 'metrics-token-disk-full-test';
  const fillers: string[] = [];

  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, retryAfter: r.headers.get('retry-after'), text, json: () => JSON.parse(text) as any };
  };
  const positions = (n: number, at: number) => ({ positions: Array.from({ length: n }, (_, i) => ({ device_id: deviceId, recorded_at: new Date(at + i * 1000).toISOString(), lat: 52, lon: 5 })) });
  let deviceId: string;
  let shipmentId: string;
  let slug: string;

  before(async () => {
    recordSecret(metricsToken);
    const env = { DATABASE_URL: `sqlite:${path.join(mnt, 'tl.db')}`, DATA_DIR: path.join(dir, 'files') };
    const created = runCli(['org', 'create', '--name', 'Full Disk Co', '--country', 'NL', '--owner-email', 'o@full.example'], env);
    assert.equal(created.status, 0, created.stderr);
    key = (JSON.parse(created.stdout) as { api_key: string }).api_key;
    recordSecret(key);
    server = await startServerProcess({ ...env, LOG_LEVEL: 'info', METRICS_TOKEN: metricsToken });
    shipmentId = (await call('POST', '/api/v1/shipments', consignmentBody())).json().id;
    deviceId = (await call('POST', '/api/v1/devices', { name: 'Truck' })).json().id;
    await call('POST', `/api/v1/shipments/${shipmentId}/sources`, { device_id: deviceId, layer: 'driver', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    slug = (await call('POST', `/api/v1/shipments/${shipmentId}/links`, {})).json().slug;
    recordSecret(slug);
  });

  after(async () => {
    await server?.kill('SIGKILL');
    spawnSync('umount', [mnt]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses writes with 503 and Retry-After, keeps reads, reports it in /readyz and /metrics and logs SQLITE_FULL once; writes work again once space is freed', async () => {
    // Fill the disk: files of 64 KB, then smaller, until nothing more fits.
    for (const size of [65536, 4096, 512]) {
      for (;;) {
        const f = path.join(mnt, `filler-${fillers.length}`);
        try {
          writeFileSync(f, Buffer.alloc(size));
          fillers.push(f);
        } catch {
          rmSync(f, { force: true });
          break;
        }
      }
    }
    const writes = [];
    for (let i = 0; i < 10; i++) writes.push(await call('POST', '/api/v1/positions', positions(200, Date.parse('2026-01-01T00:00:00Z') + i * 1e6)));
    writes.push(await call('POST', '/api/v1/shipments', consignmentBody()));
    for (const w of writes) {
      assert.equal(w.status, 503, w.text);
      assert.equal(w.json().error.code, 'unavailable');
      assert.ok(Number(w.retryAfter) > 0, 'Retry-After');
      assert.match(w.json().error.message, /disk is full/);
    }

    assert.equal((await call('GET', `/api/v1/shipments/${shipmentId}`)).status, 200, 'API reads go on');
    assert.equal((await call('GET', `/t/${slug}/data`)).status, 200, 'public pages go on');
    const ready = await call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.json().status, 'degraded');
    assert.equal(ready.json().reason, 'disk_full');
    const metrics = await call('GET', '/metrics', undefined, { authorization: `Bearer ${metricsToken}` });
    assert.match(metrics.text, /tracklink_store_problem\{problem="disk_full"\} 1/);
    assert.match(metrics.text, /tracklink_store_failures_total\{problem="disk_full"\} [1-9]/);

    for (const f of fillers) rmSync(f);
    await waitFor(async () => (await call('POST', '/api/v1/positions', positions(1, Date.parse('2026-02-01T00:00:00Z') + Math.random() * 1e9))).status === 200, 'writes succeed again');
    await waitFor(async () => (await call('GET', '/readyz')).json().status === 'ready', '/readyz is ready again');
    assert.equal((await call('POST', '/api/v1/shipments', consignmentBody())).status, 201);
    assert.match((await call('GET', '/metrics', undefined, { authorization: `Bearer ${metricsToken}` })).text, /tracklink_store_problem\{problem="disk_full"\} 0/);

    // Log lines are written in batches, the last of them within 100 ms (http/log-output.ts).
    await waitFor(async () => /the database is usable again/.test(server.output()), 'the recovery is logged');
    const log = server.output();
    const full = log.split('\n').filter((l) => l.includes('the database disk is full'));
    assert.equal(full.length, 1, `the full disk is logged once:\n${full.join('\n')}`);
    assert.match(full[0], /SQLITE_FULL/);
    assert.doesNotMatch(log, /cannot rollback/);
    assert.match(log, /the database is usable again/);
  });
});
