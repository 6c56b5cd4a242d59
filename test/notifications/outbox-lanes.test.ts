// A tenant's webhook receiver that never answers must not hold other tenants' deliveries: emails
// and webhooks are drained by separate workers (OutboxLanes), and one org's webhooks take at most a
// few of the webhook worker's places, none waiting for the slowest of a claim.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody, uniqueRef } from '../helpers/fixtures.js';
import { startSmtpSink, waitFor } from '../helpers/smtp.js';

const smtp = await startSmtpSink();
after(() => smtp.close());

// Accepts connections and never answers (a slowloris receiver): each delivery to it lasts the
// whole webhook timeout, until the test lets go of its sockets.
const held = new Set<net.Socket>();
const tarpit = net.createServer((socket) => {
  held.add(socket);
  socket.on('error', () => {});
  socket.on('close', () => held.delete(socket));
});
await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
const tarpitUrl = `http://127.0.0.1:${(tarpit.address() as AddressInfo).port}/hook`;
after(() => new Promise<void>((resolve) => tarpit.close(() => resolve())));

await describeStores(
  'outbox lanes',
  (ctx) => {
    /**
     * Queues `n` deliveries to the org's link.created webhooks, as that many new links would (test
     * deliveries are limited to 10 an organization a minute, webhooks.service.ts).
     */
    async function queueDeliveries(orgId: string, n: number): Promise<void> {
      for (let i = 0; i < n; i++) await ctx().services.notifications.webhooks.onLinkChange({ type: 'created', linkId: `lane-${uniqueRef('l')}`, orgId, shipmentId: 'lane-shipment' });
    }

    it("sends another tenant's email while a tenant's queued webhook pings hang on a receiver that never answers", async () => {
      const hostile = await ctx().newOrg();
      const hook = await hostile.api.post('/api/v1/webhooks', { url: tarpitUrl, events: ['link.created'] });
      assert.equal(hook.status, 201, hook.text);
      // More deliveries than one round claims, all queued before the other tenant's email.
      await queueDeliveries(hostile.org_id, 25);

      const victim = await ctx().newOrg();
      const to = `victim.${uniqueRef('v').toLowerCase()}@example.test`;
      const tpl = await victim.api.post('/api/v1/email-templates', { name: 'Created', subject: 'On its way', html: '<p>{{shipment.tracking_link}}</p>', text: '{{shipment.tracking_link}}' });
      assert.equal(tpl.status, 201, tpl.text);
      const task = await victim.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients: [to], template_id: tpl.body.id, enabled: true });
      assert.equal(task.status, 201, task.text);
      assert.equal((await victim.api.post('/api/v1/shipments', consignmentBody())).status, 201);

      const round = ctx().services.notifications.worker.runOnce();
      try {
        await waitFor(() => smtp.to(to).length === 1, 'the email is sent while the webhook round waits', 4000);
        assert.ok(held.size > 0, 'the webhook deliveries were still waiting on the receiver');
      } finally {
        for (const s of held) s.destroy();
        await round;
        // Its pings left in the queue fail at once now, and are gone before the next test.
        await hostile.api.delete(`/api/v1/webhooks/${hook.body.id}`);
        while ((await ctx().services.notifications.worker.runOnce()) > 0);
      }
    });

    it("delivers another tenant's webhook while a tenant's receiver hangs: that org takes 5 places, not all 20", async () => {
      let got = 0;
      const receiver = http.createServer((_req, res) => {
        got++;
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const hostile = await ctx().newOrg();
      const hook = (await hostile.api.post('/api/v1/webhooks', { url: tarpitUrl, events: ['link.created'] })).body;
      await queueDeliveries(hostile.org_id, 25);
      const victim = await ctx().newOrg();
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const theirs = (await victim.api.post('/api/v1/webhooks', { url, events: ['link.created'] })).body;
      assert.equal((await victim.api.post(`/api/v1/webhooks/${theirs.id}/test`, {})).status, 202);

      const worker = ctx().services.notifications.worker;
      const first = worker.runOnce();
      let second: Promise<number> | undefined;
      try {
        await waitFor(() => held.size >= 5, 'the first deliveries hang on the receiver', 4000);
        second = worker.runOnce();
        await waitFor(() => got === 1, "the other tenant's ping is delivered while they hang", 4000);
        assert.equal(held.size, 5, 'the hanging org holds 5 places');
      } finally {
        for (const s of held) s.destroy();
        await first;
        await second;
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
    });
  },
  { SMTP_URL: smtp.url, WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_MAX_ATTEMPTS: '1' },
);
