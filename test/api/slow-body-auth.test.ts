// A request is authenticated when its headers arrive, and its body may come slowly (up to
// REQUEST_TIMEOUT_MS). A leaked key revoked while its request's body was on the way must act no
// more once the body is in: here it would have made a webhook, a feed of every shipment event to
// an address of the attacker's choosing, that outlived the key.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, it } from 'node:test';
import { describeStores } from '../helpers/context.js';

await describeStores('a write whose key is revoked while its body is sent', (ctx) => {
  let port = 0;
  before(async () => {
    await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx().app.server.address() as net.AddressInfo).port;
  });
  after(() => ctx().app.server.closeAllConnections());

  /** Sends the headers and the first half of the body, then waits for `between` before the rest; the reply's status. */
  async function slowPost(path: string, key: string, body: string, between: () => Promise<void>): Promise<number> {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (reply += d));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    const half = Math.floor(body.length / 2);
    socket.write(head + body.slice(0, half));
    await between();
    socket.write(body.slice(half));
    await ended;
    const status = /^HTTP\/1\.1 (\d{3})/.exec(reply);
    assert.ok(status, reply);
    return Number(status[1]);
  }

  it('is refused (401), and makes nothing, when the key was revoked meanwhile', async () => {
    const org = await ctx().newOrg();
    const leaked = await org.api.post('/api/v1/api-keys', { name: 'leaked', role: 'admin' });
    assert.equal(leaked.status, 201, leaked.text);
    const body = JSON.stringify({ url: 'https://hooks.example.test/attacker', events: ['link.created'] });
    const status = await slowPost('/api/v1/webhooks', leaked.body.api_key, body, async () => {
      // The headers were read and the key checked: its first use is recorded as it is.
      for (let i = 0; ; i++) {
        const keys = (await org.api.get('/api/v1/api-keys')).body.items as { id: string; last_used_at: string | null }[];
        if (keys.find((k) => k.id === leaked.body.id)?.last_used_at) break;
        assert.ok(i < 500, 'the key was never checked');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal((await org.api.post(`/api/v1/api-keys/${leaked.body.id}/revoke`)).status, 204);
    });
    assert.equal(status, 401);
    assert.deepEqual((await org.api.get('/api/v1/webhooks')).body.items, []);
  });

  it('still works for a key that stays live', async () => {
    const org = await ctx().newOrg();
    const key = await org.api.post('/api/v1/api-keys', { name: 'kept', role: 'admin' });
    const body = JSON.stringify({ url: 'https://hooks.example.test/partner', events: ['link.created'] });
    assert.equal(await slowPost('/api/v1/webhooks', key.body.api_key, body, async () => {}), 201);
    assert.equal((await org.api.get('/api/v1/webhooks')).body.items.length, 1);
  });
});
