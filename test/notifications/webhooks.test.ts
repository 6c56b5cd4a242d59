// Link-event webhooks reach an independent HTTP receiver, which checks the signature itself.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/smtp.js';
import { loadConfig } from '../../src/config.js';
import { isPrivateAddress } from '../../src/modules/notifications/webhook-target.js';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; data: { link_id: string; shipment_id: string } };
  verified: boolean;
}

/** Written from the documented header format only, as an integrator would. */
function verify(secret: string, header: string | undefined, body: string): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const secrets = new Map<string, string>();
const received: Delivery[] = [];
let failNext = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end('busy');
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const hookKey = req.url ?? '';
    received.push({ headers: req.headers, body, json: JSON.parse(body), verified: verify(secrets.get(hookKey) ?? '', req.headers['tracklink-signature'] as string, body) });
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

await describeStores(
  'link webhooks',
  (ctx) => {
    it('delivers link.created and link.revoked once each, signed so that an independent receiver verifies them', async () => {
      const org = await ctx().newOrg();
      const path = `/hook/${org.org_id}`;
      const hook = await org.api.post('/api/v1/webhooks', { url: `${base}${path}`, events: ['link.created', 'link.revoked'] });
      assert.equal(hook.status, 201, hook.text);
      assert.match(hook.body.secret, /^whsec_/);
      secrets.set(path, hook.body.secret);
      assert.equal((await org.api.get(`/api/v1/webhooks/${hook.body.id}`)).body.secret, undefined, 'the secret is shown once');

      const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
      const link = await org.api.post(`/api/v1/shipments/${s.id}/links`, {});
      assert.equal(link.status, 201, link.text);
      await org.api.post(`/api/v1/links/${link.body.id}/revoke`, {});
      const mine = () => received.filter((d) => d.json.data.link_id === link.body.id);
      await waitFor(async () => {
        await ctx().services.notifications.worker.runOnce();
        return mine().length >= 2;
      }, 'two deliveries');
      for (let i = 0; i < 3; i++) await ctx().services.notifications.worker.runOnce();
      const got = mine();
      assert.deepEqual(got.map((d) => d.json.type).sort(), ['link.created', 'link.revoked']);
      for (const d of got) {
        assert.equal(d.verified, true, 'signature verifies with the secret');
        assert.equal(d.json.data.shipment_id, s.id);
        assert.equal(d.headers['tracklink-event'], d.json.type);
        assert.equal(verify(hook.body.secret, d.headers['tracklink-signature'] as string, d.body.replace(s.id, 'tampered')), false, 'a changed body fails verification');
        assert.equal(verify('whsec_wrong', d.headers['tracklink-signature'] as string, d.body), false, 'another secret fails verification');
      }
      const deliveries = await org.api.get(`/api/v1/webhooks/${hook.body.id}/deliveries`);
      assert.deepEqual(deliveries.body.items.map((o: { status: string }) => o.status), ['sent', 'sent']);
    });

    it('announces the first view of a link once, however often it is opened', async () => {
      const org = await ctx().newOrg();
      const path = `/hook/${org.org_id}`;
      const hook = (await org.api.post('/api/v1/webhooks', { url: `${base}${path}`, events: ['link.first_viewed'] })).body;
      secrets.set(path, hook.secret);
      const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
      const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
      const pathname = new URL(link.url).pathname;
      assert.equal((await ctx().anon.get(pathname)).status, 200);
      assert.equal((await ctx().anon.get(pathname)).status, 200);
      const mine = () => received.filter((d) => d.json.data.link_id === link.id);
      await waitFor(async () => {
        await ctx().services.notifications.worker.runOnce();
        return mine().length >= 1;
      }, 'first view delivered');
      for (let i = 0; i < 3; i++) await ctx().services.notifications.worker.runOnce();
      assert.deepEqual(mine().map((d) => [d.json.type, d.verified]), [['link.first_viewed', true]], 'created is not subscribed; the second view is not news');
    });

    it('retries a delivery the receiver refused and delivers it once; unsubscribed events are not sent', async () => {
      const org = await ctx().newOrg();
      const path = `/hook/${org.org_id}`;
      const hook = (await org.api.post('/api/v1/webhooks', { url: `${base}${path}`, events: ['link.revoked'] })).body;
      secrets.set(path, hook.secret);
      const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
      const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
      failNext = 2;
      await org.api.post(`/api/v1/links/${link.id}/revoke`, {});
      const mine = () => received.filter((d) => d.json.data.link_id === link.id);
      await waitFor(async () => {
        await ctx().services.notifications.worker.runOnce();
        return mine().length >= 1;
      }, 'delivered after retries');
      for (let i = 0; i < 3; i++) await ctx().services.notifications.worker.runOnce();
      assert.deepEqual(mine().map((d) => d.json.type), ['link.revoked']);
      assert.equal(mine()[0].verified, true);
      const [row] = (await org.api.get(`/api/v1/webhooks/${hook.id}/deliveries`)).body.items;
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 3);
    });

    it('rotating the secret signs later deliveries with the new one', async () => {
      const org = await ctx().newOrg();
      const path = `/hook/${org.org_id}`;
      const hook = (await org.api.post('/api/v1/webhooks', { url: `${base}${path}`, events: ['link.created'] })).body;
      const rotated = await org.api.post(`/api/v1/webhooks/${hook.id}/rotate`, {});
      assert.equal(rotated.status, 200, rotated.text);
      assert.notEqual(rotated.body.secret, hook.secret);
      secrets.set(path, rotated.body.secret);
      const ping = await org.api.post(`/api/v1/webhooks/${hook.id}/test`, {});
      assert.equal(ping.status, 202);
      await waitFor(async () => {
        await ctx().services.notifications.worker.runOnce();
        return received.find((d) => d.json.id === ping.body.delivery_id);
      }, 'ping delivered');
      const d = received.find((x) => x.json.id === ping.body.delivery_id);
      assert.equal(d?.json.type, 'ping');
      assert.equal(d?.verified, true);
    });
  },
  { OUTBOX_RETRY_BASE_MS: '10' },
);

it('tells private from public addresses, including IPv4 mapped into IPv6', () => {
  for (const a of ['127.0.0.1', '10.2.3.4', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0']) assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPrivateAddress(a), false, a);
  assert.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'maybe' }), /WEBHOOK_ALLOW_PRIVATE/);
});

await describeStores(
  'webhooks on a server that forbids private targets',
  (ctx) => {
    it('refuses webhooks to this machine or private networks with 400, and accepts a public address', async () => {
      const org = await ctx().newOrg();
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:8080/', 'http://[::1]/x', 'http://10.0.0.7/hook', 'http://169.254.169.254/latest/meta-data']) {
        const r = await org.api.post('/api/v1/webhooks', { url, events: ['link.created'] });
        assert.equal(r.status, 400, url);
        assert.equal(r.body.error.details[0].path, 'body/url');
      }
      const ok = await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] });
      assert.equal(ok.status, 201, ok.text);
      const moved = await org.api.patch(`/api/v1/webhooks/${ok.body.id}`, { url: 'http://192.168.0.10/hook' });
      assert.equal(moved.status, 400);
      assert.equal((await org.api.get(`/api/v1/webhooks/${ok.body.id}`)).body.url, 'https://93.184.216.34/hook');
    });
  },
  { WEBHOOK_ALLOW_PRIVATE: 'false' },
);
