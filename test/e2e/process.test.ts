// Tracklink as a real process: the CLI bootstrap, kill -9 durability on both stores, and `npm start`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';
import { ROOT, freePort, runCli, startServerProcess, waitForHealthy } from '../helpers/server.js';
import { consignmentBody } from '../helpers/fixtures.js';

const kinds = await storeKinds();

async function storeEnv(kind: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-proc-'));
  if (kind === 'postgres') {
    const pg = await createPgDatabase();
    return { env: { DATABASE_URL: pg.url, DATA_DIR: dir }, cleanup: async () => { await pg.drop(); rmSync(dir, { recursive: true, force: true }); } };
  }
  return { env: { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

for (const kind of kinds) {
  describe(`tracklink process [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups) await c();
    });

    it('bootstraps an org from the CLI whose printed API key works, then adds a key and a user', async () => {
      const { env, cleanup } = await storeEnv(kind);
      cleanups.push(cleanup);
      const created = runCli(['org', 'create', '--name', 'Acme Haulage', '--country', 'NL', '--owner-email', 'a@b.example'], env);
      assert.equal(created.status, 0, created.stderr);
      const out = JSON.parse(created.stdout) as { org_id: string; api_key: string; owner_password: string };
      assert.ok(out.org_id && out.api_key.startsWith('tlk_') && out.owner_password.length >= 10);
      const key2 = runCli(['apikey', 'create', '--org', out.org_id], env);
      assert.equal(key2.status, 0, key2.stderr);
      assert.match(JSON.parse(key2.stdout).api_key, /^tlk_/);
      const user = runCli(['user', 'create', '--org', out.org_id, '--email', 'd@b.example', '--role', 'dispatcher'], env);
      assert.equal(user.status, 0, user.stderr);
      assert.equal(JSON.parse(user.stdout).role, 'dispatcher');
      const bad = runCli(['org', 'create', '--name', 'X', '--country', 'Netherlands', '--owner-email', 'x@y.z'], env);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--country/);

      const server = await startServerProcess(env);
      try {
        const me = await fetch(`${server.url}/api/v1/org`, { headers: { authorization: `Bearer ${out.api_key}` } });
        assert.equal(me.status, 200);
        assert.equal(((await me.json()) as { name: string }).name, 'Acme Haulage');
        const ready = await fetch(`${server.url}/readyz`);
        assert.equal(((await ready.json()) as { store: string }).store, kind);
      } finally {
        await server.kill('SIGTERM');
      }
    });

    it('keeps every acknowledged shipment after kill -9 of the server', async () => {
      const { env, cleanup } = await storeEnv(kind);
      cleanups.push(cleanup);
      const org = JSON.parse(runCli(['org', 'create', '--name', 'Durable', '--country', 'DE', '--owner-email', 'o@d.example'], env).stdout) as { api_key: string };
      const server = await startServerProcess(env);
      const acknowledged: string[] = [];
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          const body = consignmentBody();
          try {
            const r = await fetch(`${server.url}/api/v1/shipments`, {
              method: 'POST',
              headers: { authorization: `Bearer ${org.api_key}`, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            if (r.status === 201) acknowledged.push(((await r.json()) as { id: string }).id);
          } catch {
            return; // the server died mid-request: that one was never acknowledged
          }
        }
      })();
      while (acknowledged.length < 15) await new Promise((r) => setTimeout(r, 20));
      await server.kill('SIGKILL');
      stop = true;
      await writer;

      const again = await startServerProcess({ ...env, PORT: String(await freePort()) });
      try {
        for (const id of acknowledged) {
          const r = await fetch(`${again.url}/api/v1/shipments/${id}`, { headers: { authorization: `Bearer ${org.api_key}` } });
          assert.equal(r.status, 200, `acknowledged shipment ${id} lost`);
        }
      } finally {
        await again.kill('SIGTERM');
      }
    });
  });
}

describe('npm start', () => {
  it('answers /healthz within 30 s and prints the demo login and API key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-start-'));
    const port = await freePort();
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const proc = spawn(npm, ['start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', TILE_URL: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitForHealthy(`http://127.0.0.1:${port}`, 30_000, proc);
      const deadline = Date.now() + 30_000;
      while (!/API key:\s+tlk_/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /sign in as owner@acme\.example \/ \S{10,}/, out);
      // A partner org the demo connected, with a shipment shared with it.
      assert.match(out, /Partner: .* sees ORD-2041 .*sign in as owner@rijn-couriers\.example \/ \S{10,}/, out);
      const key = /API key:\s+(tlk_\S+)/.exec(out)?.[1];
      assert.ok(key, out);
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/shipments`, { headers: { authorization: `Bearer ${key}` } });
      const refs = ((await r.json()) as { items: { reference: string; kind: string }[] }).items.map((s) => s.kind).sort();
      assert.deepEqual(refs, ['consignment', 'order', 'tracker_session', 'vehicle']);
    } finally {
      // npm start runs node under a shell: end the whole process group.
      try {
        process.kill(-(proc.pid as number), 'SIGTERM');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
