// Link-event webhooks reach an independent HTTP receiver, which checks the signature itself.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { apiClient, describeStores, type TestContext, type TestOrg } from '../helpers/context.js';
import { buildApp } from '../../src/app.js';
import { createServices } from '../../src/services.js';
import { consignmentBody } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/smtp.js';
import { loadConfig } from '../../src/config.js';
import { DELIVERY_FAILED, isPublicAddress } from '../../src/modules/notifications/webhook-target.js';
import { WebhooksService } from '../../src/modules/notifications/webhooks.service.js';
import { WEBHOOK_TESTS_PER_MINUTE } from '../../src/modules/notifications/notifications.routes.js';
import { NotificationsRepository } from '../../src/modules/notifications/notifications.repository.js';
import type { KyselyPlugin } from 'kysely';

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

    it('reads each org\'s webhooks once for the link events of one turn, and queues each org\'s events for its own hooks only', async () => {
      // A flush of page views announces every link first viewed in the last 2 s at once: on a
      // rotation of links, thousands, and each read its org's webhooks again (a query each).
      const orgA = await ctx().newOrg();
      const orgB = await ctx().newOrg();
      const hookA = (await orgA.api.post('/api/v1/webhooks', { url: `${base}/batch/a/${orgA.org_id}`, events: ['link.first_viewed'] })).body;
      const hookB = (await orgB.api.post('/api/v1/webhooks', { url: `${base}/batch/b/${orgB.org_id}`, events: ['link.first_viewed', 'link.created'] })).body;
      const selects: string[] = [];
      const counting: KyselyPlugin = {
        transformQuery: (args) => (args.node.kind === 'SelectQueryNode' && selects.push(args.node.kind), args.node),
        transformResult: async (args) => args.result,
      };
      const webhooks = new WebhooksService(new NotificationsRepository(ctx().store.db.withPlugin(counting), ctx().store.dialect), ctx().services.audit, () => {}, true);
      const event = (org: TestOrg, i: number) => ({ type: 'first_viewed', orgId: org.org_id, linkId: `link-${org.org_id}-${i}`, shipmentId: `ship-${i}` });
      const added = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => webhooks.onLinkChange(event(orgA, i))),
        ...Array.from({ length: 4 }, (_, i) => webhooks.onLinkChange(event(orgB, i))),
      ]);
      assert.deepEqual(added, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
      assert.equal(selects.length, 1, 'one read of the webhooks for both orgs (old code: one per event)');
      const queued = async (org: TestOrg, hook: { url: string }) =>
        (await ctx().store.db.selectFrom('outbox').select(['org_id', 'event_id']).where('recipient', '=', hook.url).execute()).map((r) => [r.org_id, r.event_id]).sort();
      assert.deepEqual(await queued(orgA, hookA), Array.from({ length: 6 }, (_, i) => [orgA.org_id, `link-${orgA.org_id}-${i}`]).sort());
      assert.deepEqual(await queued(orgB, hookB), Array.from({ length: 4 }, (_, i) => [orgB.org_id, `link-${orgB.org_id}-${i}`]).sort());
      // A later turn reads again: a webhook changed meanwhile is seen.
      await orgA.api.patch(`/api/v1/webhooks/${hookA.id}`, { enabled: false });
      assert.equal(await webhooks.onLinkChange(event(orgA, 9)), 0);
      assert.equal(selects.length, 2);
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
  // The receiver listens on loopback, which only a server allowing private targets may call.
  { OUTBOX_RETRY_BASE_MS: '10', WEBHOOK_ALLOW_PRIVATE: 'true' },
);

it('counts only public unicast addresses as public, in every IPv4 and IPv6 spelling of a private one', () => {
  const notPublic = [
    ...['127.0.0.1', '127.255.0.9', '10.2.3.4', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255'],
    ...['198.18.0.1', '198.19.255.1', '192.0.0.8', '192.0.2.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '240.0.0.1'],
    ...['::', '::1', 'fd00::1', 'fc00::1', 'fe80::1', 'fec0::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '::ffff:169.254.169.254'],
    ...['64:ff9b::7f00:1', '64:ff9b:1::a00:1', '2002:7f00:1::', '2001::1', '2001:db8::1', '3fff::1', '::7f00:1', '100::1', '5f00::1'],
  ];
  for (const a of notPublic) assert.equal(isPublicAddress(a), false, a);
  for (const a of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001:82b::200e']) assert.equal(isPublicAddress(a), true, a);
  assert.equal(isPublicAddress('not-an-address'), false);
  assert.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'maybe' }), /WEBHOOK_ALLOW_PRIVATE/);
  assert.equal(loadConfig({}).webhookAllowPrivate, false, 'private targets are refused unless an operator allows them');
});

/** A webhook row pointing at `url` as if its host name had resolved elsewhere when it was saved. */
async function repoint(ctx: TestContext, orgId: string, hookId: string, url: string): Promise<void> {
  await ctx.repos.notifications.updateWebhook(orgId, hookId, { url });
}

/** Queues a ping, runs one delivery round and returns that delivery as the API lists it. */
async function ping(ctx: TestContext, org: TestOrg, hookId: string): Promise<{ status: string; last_error: string | null }> {
  const queued = await org.api.post(`/api/v1/webhooks/${hookId}/test`, {});
  assert.equal(queued.status, 202, queued.text);
  await ctx.services.notifications.worker.runOnce();
  const items = (await org.api.get(`/api/v1/webhooks/${hookId}/deliveries`)).body.items as { id: string; status: string; last_error: string | null }[];
  const row = items.find((d) => d.id === queued.body.delivery_id);
  assert.ok(row, 'the ping is listed');
  return row;
}

// No WEBHOOK_ALLOW_PRIVATE here: the default a fresh install runs with.
await describeStores('webhooks with the default settings', (ctx) => {
  it('refuses with 400 a URL that names this machine, a private network or a reserved range, and accepts a public one', async () => {
    const org = await ctx().newOrg();
    const refused = [
      'http://127.0.0.1:9/hook',
      'http://localhost:8080/',
      'http://LOCALHOST/',
      'http://api.localhost/',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://[::ffff:7f00:1]/x',
      'http://0x7f.1/x',
      'http://2130706433/x',
      'http://0.0.0.0:3000/',
      'http://10.0.0.7/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.1.1/',
      'http://198.18.0.1/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:a9fe:a9fe::1]/',
      'http://[fec0::1]/',
      'http://[fd12:3456::1]/',
      'http://[fe80::1]/',
      'http://[2001:db8::1]/',
    ];
    for (const url of refused) {
      const r = await org.api.post('/api/v1/webhooks', { url, events: ['link.created'] });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.error.details[0].path, 'body/url');
      assert.doesNotMatch(JSON.stringify(r.body), /127\.|169\.254|resolves/, 'the answer does not echo addresses');
    }
    const ok = await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] });
    assert.equal(ok.status, 201, ok.text);
    const named = await org.api.post('/api/v1/webhooks', { url: 'https://hooks.example.test/hook', events: ['link.created'] });
    assert.equal(named.status, 201, 'a host name is checked when delivering, not by resolving it for the tenant now');
    const moved = await org.api.patch(`/api/v1/webhooks/${ok.body.id}`, { url: 'http://192.168.0.10/hook' });
    assert.equal(moved.status, 400);
    assert.equal((await org.api.get(`/api/v1/webhooks/${ok.body.id}`)).body.url, 'https://93.184.216.34/hook');
  });

  it('refuses with 400 an event name outside the documented enum, on create and on change, and stores nothing', async () => {
    const org = await ctx().newOrg();
    const bad = await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created', 'link.nope'] });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.match(bad.body.error.details[0].path, /^body\/events/);
    assert.equal((await org.api.get('/api/v1/webhooks')).body.items.length, 0, 'nothing stored');
    const ok = await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.revoked'] });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.body.events, ['link.revoked']);
    const changed = await org.api.patch(`/api/v1/webhooks/${ok.body.id}`, { events: ['shipment.created'] });
    assert.equal(changed.status, 400, changed.text);
    assert.deepEqual((await org.api.get(`/api/v1/webhooks/${ok.body.id}`)).body.events, ['link.revoked'], 'unchanged');
    // The reply documents the same enum the request takes, so generated clients type `events` as it.
    const doc = (await ctx().anon.get('/api/docs/json')).body;
    const reply = doc.paths['/api/v1/webhooks/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(reply.properties.events.items.enum, ['link.created', 'link.first_viewed', 'link.revoked', 'link.expired']);
  });

  it('never connects to a private address at delivery, whether the URL names it or a host name resolves to it, and says only "delivery failed"', async () => {
    let hits = 0;
    const trap = http.createServer((_req, res) => {
      hits++;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const port = (trap.address() as AddressInfo).port;
    try {
      const org = await ctx().newOrg();
      const hook = (await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] })).body;
      // Each as if a host name had resolved to a public address when the webhook was saved.
      const targets = [`http://localhost:${port}/hook`, `http://127.0.0.1:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`, `http://127.0.0.1:9/closed`];
      const errors = new Set<string | null>();
      for (const url of targets) {
        await repoint(ctx(), org.org_id, hook.id, url);
        const d = await ping(ctx(), org, hook.id);
        assert.equal(d.status, 'pending', `${url}: retried like any unreachable receiver`);
        errors.add(d.last_error);
      }
      assert.equal(hits, 0, 'the loopback receiver was never called');
      assert.deepEqual([...errors], [DELIVERY_FAILED], 'an open port, a closed one and a refused address read the same');
    } finally {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  });

  it(`answers 429 with the error body to an organization's ${WEBHOOK_TESTS_PER_MINUTE + 1}th test delivery in a minute, and other organizations are unaffected`, async () => {
    const [org, other] = [await ctx().newOrg(), await ctx().newOrg()];
    const hooks: string[] = [];
    for (const o of [org, other]) hooks.push((await o.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] })).body.id as string);
    const second = (await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/other', events: ['link.created'] })).body.id as string;
    for (let i = 0; i < WEBHOOK_TESTS_PER_MINUTE; i++) {
      const r = await org.api.post(`/api/v1/webhooks/${i % 2 ? second : hooks[0]}/test`, {});
      assert.equal(r.status, 202, `call ${i + 1}: ${r.text}`);
    }
    const over = await org.api.post(`/api/v1/webhooks/${second}/test`, {});
    assert.equal(over.status, 429, `old code: ${over.status}, no limit`);
    assert.equal(over.body.error.code, 'rate_limited');
    assert.match(over.body.error.message, /retry in \d+ s/);
    assert.match(String(over.headers['retry-after']), /^\d+$/);
    assert.equal((await other.api.post(`/api/v1/webhooks/${hooks[1]}/test`, {})).status, 202, 'the limit is per organization');
    // Deleted, so no later delivery round of this suite tries to reach them.
    for (const id of [hooks[0], second]) await org.api.delete(`/api/v1/webhooks/${id}`);
    await other.api.delete(`/api/v1/webhooks/${hooks[1]}`);
  });

  it(`shares the ${WEBHOOK_TESTS_PER_MINUTE} test deliveries a minute between instances: two servers over one store answer 429 to the ${WEBHOOK_TESTS_PER_MINUTE + 1}th alike`, async () => {
    const org = await ctx().newOrg();
    const hook = (await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] })).body.id as string;
    const second = await buildApp(createServices(ctx().config, ctx().store), { logger: false });
    try {
      await second.ready();
      const instances = [org.api, apiClient(second, org.api_key)];
      for (let i = 0; i < WEBHOOK_TESTS_PER_MINUTE; i++) {
        const r = await instances[i % 2].post(`/api/v1/webhooks/${hook}/test`, {});
        assert.equal(r.status, 202, `call ${i + 1}: ${r.text}`);
      }
      for (const api of instances) {
        const over = await api.post(`/api/v1/webhooks/${hook}/test`, {});
        assert.equal(over.status, 429, `old code: ${over.status}, each instance counted only its own ${WEBHOOK_TESTS_PER_MINUTE / 2}`);
        assert.match(String(over.headers['retry-after']), /^\d+$/);
      }
      // At once, on both: each test is counted and queued in turn, so exactly the limit gets through.
      const burst = await ctx().newOrg();
      const burstHook = (await burst.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] })).body.id as string;
      const both = [burst.api, apiClient(second, burst.api_key)];
      const answers = await Promise.all(Array.from({ length: WEBHOOK_TESTS_PER_MINUTE + 4 }, (_, i) => both[i % 2].post(`/api/v1/webhooks/${burstHook}/test`, {})));
      assert.deepEqual(answers.map((r) => r.status).sort(), [...Array(WEBHOOK_TESTS_PER_MINUTE).fill(202), ...Array(4).fill(429)], answers.map((r) => r.text).join('\n'));
      await burst.api.delete(`/api/v1/webhooks/${burstHook}`);
    } finally {
      await second.close();
      await org.api.delete(`/api/v1/webhooks/${hook}`);
    }
  });

  it("counts no refused caller's test toward the organization's limit: a dispatcher's or viewer's key cannot use up the admins' tests", async () => {
    const org = await ctx().newOrg();
    const hook = (await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] })).body.id as string;
    for (const role of ['dispatcher', 'viewer'] as const) {
      const below = await org.withRole(role);
      const answers: number[] = [];
      for (let i = 0; i < WEBHOOK_TESTS_PER_MINUTE + 2; i++) answers.push((await below.post(`/api/v1/webhooks/${hook}/test`, {})).status);
      assert.deepEqual(answers, Array(WEBHOOK_TESTS_PER_MINUTE + 2).fill(403), `a ${role}: old code 429 after ${WEBHOOK_TESTS_PER_MINUTE}`);
    }
    assert.equal((await org.api.post(`/api/v1/webhooks/${hook}/test`, {})).status, 202, "old code: 429, the admins' tests used up");
    await org.api.delete(`/api/v1/webhooks/${hook}`);
  });

  it('shows a dispatcher only the scheme and host of webhook URLs in the outbox, and no recipient filter confirms one', async () => {
    const org = await ctx().newOrg();
    const url = 'https://hooks.example.test/inbound/tok_5ecret?key=abc';
    const hook = (await org.api.post('/api/v1/webhooks', { url, events: ['link.created'] })).body;
    assert.equal((await org.api.post(`/api/v1/webhooks/${hook.id}/test`, {})).status, 202);
    const dispatcher = await org.withRole('dispatcher');
    const seen = await dispatcher.get('/api/v1/outbox?kind=webhook');
    assert.equal(seen.status, 200);
    assert.deepEqual(
      seen.body.items.map((o: { recipient: string }) => o.recipient),
      ['https://hooks.example.test/…'],
    );
    assert.ok(!seen.text.includes('tok_5ecret') && !seen.text.includes('key=abc'));
    for (const q of [`recipient=${encodeURIComponent(url)}`, `kind=webhook&recipient=${encodeURIComponent(url)}`]) {
      assert.deepEqual((await dispatcher.get(`/api/v1/outbox?${q}`)).body.items, [], q);
    }
    const admin = await org.withRole('admin');
    assert.equal((await admin.get('/api/v1/outbox?kind=webhook')).body.items[0].recipient, url, 'an admin, who manages webhooks, sees the URL');
    assert.equal((await admin.get(`/api/v1/outbox?recipient=${encodeURIComponent(url)}`)).body.items.length, 1);
  });
});
