// kill -9 of the server while a client streams position batches: after restart, every
// position the server acknowledged is in the store (both stores).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';
import { runCli, startServerProcess } from '../helpers/server.js';

const kinds = await storeKinds();

async function storeEnv(kind: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-pos-'));
  if (kind === 'postgres') {
    const pg = await createPgDatabase();
    return { env: { DATABASE_URL: pg.url, DATA_DIR: dir }, cleanup: async () => { await pg.drop(); rmSync(dir, { recursive: true, force: true }); } };
  }
  return { env: { DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`, DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

for (const kind of kinds) {
  describe(`position durability [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups) await c();
    });

    it('keeps every acknowledged position after kill -9 of the server', async () => {
      const { env, cleanup } = await storeEnv(kind);
      cleanups.push(cleanup);
      const org = JSON.parse(runCli(['org', 'create', '--name', 'Durable', '--country', 'NL', '--owner-email', 'o@pos.example'], env).stdout) as { api_key: string };
      let server = await startServerProcess(env);
      const call = async (base: string, method: string, url: string, body?: unknown) => {
        const r = await fetch(`${base}${url}`, {
          method,
          headers: { authorization: `Bearer ${org.api_key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: r.status, body: (await r.json()) as any };
      };
      const device = (await call(server.url, 'POST', '/api/v1/devices', { name: 'Truck' })).body as { id: string; token: string };
      const shipment = (await call(server.url, 'POST', '/api/v1/shipments', { kind: 'vehicle', reference: 'VEH-1', status: 'in_transit' })).body as { id: string };
      await call(server.url, 'POST', `/api/v1/shipments/${shipment.id}/sources`, { device_id: device.id, layer: 'tracker', from: new Date(Date.now() - 2 * 86_400_000).toISOString() });

      const base = Date.now() - 3600_000;
      const acknowledged: number[] = [];
      let seq = 0;
      const writer = (async () => {
        for (;;) {
          const times = Array.from({ length: 100 }, () => base + ++seq * 1000);
          try {
            // The device's own token, as a tracker would send.
            const r = await fetch(`${server.url}/api/v1/positions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ positions: times.map((t, i) => ({ recorded_at: new Date(t).toISOString(), lat: 52 + i / 1e4, lon: 5 })) }),
            });
            const body = (await r.json()) as { accepted: number };
            if (r.status === 200 && body.accepted === times.length) acknowledged.push(...times);
          } catch {
            return; // died mid-request: never acknowledged
          }
        }
      })();
      while (acknowledged.length < 1500) await new Promise((r) => setTimeout(r, 10));
      await server.kill('SIGKILL');
      await writer;

      server = await startServerProcess(env);
      try {
        const stored = await call(server.url, 'GET', `/api/v1/shipments/${shipment.id}/positions?from=${new Date(base).toISOString()}&to=${new Date(base + (seq + 1) * 1000).toISOString()}&limit=20000`);
        assert.equal(stored.status, 200);
        const have = new Set((stored.body.items as { recorded_at: string }[]).map((p) => Date.parse(p.recorded_at)));
        const missing = acknowledged.filter((t) => !have.has(t));
        assert.equal(missing.length, 0, `${missing.length} of ${acknowledged.length} acknowledged positions lost`);
        assert.ok(acknowledged.length >= 1500);
      } finally {
        await server.kill('SIGTERM');
      }
    });
  });
}
