// The compose topology in miniature: two `tracklink serve` processes on one PostgreSQL database
// and one data directory. Either instance answers for what the other wrote.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { consignmentBody } from '../helpers/fixtures.js';
import { recordSecret } from '../helpers/context.js';
import { runCli, startServerProcess } from '../helpers/server.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';

if ((await storeKinds()).includes('postgres')) {
  describe('two instances on one PostgreSQL database [postgres]', () => {
    it('are both ready, and a shipment and tracking link created through one are served by the other', async () => {
      const pg = await createPgDatabase();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-two-'));
      const env = { DATABASE_URL: pg.url, DATA_DIR: dir, TRUST_PROXY: '1' };
      try {
        const migrated = runCli(['migrate'], env);
        assert.equal(migrated.status, 0, migrated.stderr);
        const org = JSON.parse(runCli(['org', 'create', '--name', 'Two Up', '--country', 'BE', '--owner-email', 't@u.example'], env).stdout) as { api_key: string };
        recordSecret(org.api_key);
        const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
        try {
          for (const s of [a, b]) {
            const ready = await fetch(`${s.url}/readyz`);
            assert.equal(ready.status, 200);
            assert.equal(((await ready.json()) as { store: string }).store, 'postgres');
          }
          const auth = { authorization: `Bearer ${org.api_key}`, 'content-type': 'application/json' };
          const body = consignmentBody();
          const made = await fetch(`${a.url}/api/v1/shipments`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
          assert.equal(made.status, 201);
          const { id } = (await made.json()) as { id: string };

          const read = await fetch(`${b.url}/api/v1/shipments/${id}`, { headers: auth });
          assert.equal(read.status, 200);
          assert.equal(((await read.json()) as { reference: string }).reference, body.reference);

          const link = await fetch(`${a.url}/api/v1/shipments/${id}/links`, { method: 'POST', headers: auth, body: '{}' });
          assert.equal(link.status, 201);
          const slug = /\/t\/([^/?#]+)/.exec(((await link.json()) as { url: string }).url)?.[1];
          assert.ok(slug);
          recordSecret(slug);
          const page = await fetch(`${b.url}/t/${slug}/data`);
          assert.equal(page.status, 200, 'the other instance serves the public page data');
          const links = await fetch(`${b.url}/api/v1/shipments/${id}/links`, { headers: auth });
          assert.equal(((await links.json()) as { items: unknown[] }).items.length, 1, 'the link made on one instance is listed by the other');
        } finally {
          await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
        }
      } finally {
        await pg.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
