// examples/create-and-track.ts, run as an integrator would (npx tsx, its own process) against a
// listening server with an API key, on both stores: its output and what it created must agree.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { it } from 'node:test';
import { describeStores, recordSecret } from '../helpers/context.js';
import { ROOT } from '../helpers/server.js';

const SCRIPT = path.join(ROOT, 'examples/create-and-track.ts');

async function runExample(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describeStores('the example client', (ctx) => {
  it('creates a tracked shipment, prints its public URL and reads the driver position back from /t/<slug>/data', async () => {
    const org = await ctx().newOrg();
    const address = await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    // The least the script needs: a dispatcher key.
    const created = await org.api.post('/api/v1/api-keys', { name: 'example', role: 'dispatcher' });
    assert.equal(created.status, 201, created.text);
    const apiKey = created.body.api_key as string;

    const run = await runExample({ TRACKLINK_URL: address, TRACKLINK_API_KEY: apiKey });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 5, run.stdout);
    const reference = /^Shipment created: (EXAMPLE-[A-Z0-9]+) \(([\w-]+)\)$/.exec(lines[0]);
    assert.ok(reference, lines[0]);
    assert.match(lines[1], /^Device attached as driver: Truck 7 \([\w-]+\)$/);
    assert.equal(lines[2], 'Positions sent: 3 accepted, 0 duplicates');
    const link = /^Tracking link: (\S+)\/t\/([\w-]+)$/.exec(lines[3]);
    assert.ok(link, lines[3]);
    recordSecret(link[2]);
    assert.equal(link[1], ctx().config.publicBaseUrl, 'the link is on the public base URL');
    assert.match(lines[4], /^Public view: status in_transit, driver at 52\.02460, 4\.94730 \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/);

    // What it printed is what the server holds.
    const shipment = await org.api.get(`/api/v1/shipments/${reference[2]}`);
    assert.equal(shipment.status, 200, shipment.text);
    assert.equal(shipment.body.reference, reference[1]);
    assert.equal(shipment.body.stops.length, 2);
    const data = await ctx().anon.get(`/t/${link[2]}/data`);
    assert.equal(data.status, 200);
    const driver = data.body.positions.find((p: { layer: string }) => p.layer === 'driver');
    assert.deepEqual([driver.lat, driver.lon], [52.0246, 4.9473]);
  });

  it('stops with the API’s error and a non-zero exit when the key is wrong', async () => {
    const address = ctx().app.server.listening ? `http://127.0.0.1:${(ctx().app.server.address() as { port: number }).port}` : await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    const run = await runExample({ TRACKLINK_URL: address, TRACKLINK_API_KEY: 'tlk_not-a-key-of-anyone-000000' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /POST \/api\/v1\/shipments: 401 unauthorized/);
    assert.equal(run.stdout, '');
  });
});
