// Every API reply says Cache-Control: no-store: behind a caching proxy, one tenant's reply (or a
// signed-in user's session reply) must never be stored and served to another. A file download that
// chose its own caching (a photo: private, so never a shared cache) keeps it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody, PNG } from '../helpers/fixtures.js';

describeStores('API cache control', (ctx) => {
  it('sends no-store with API successes, errors, sign-in and the router’s own errors', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body as { id: string };
    const inject = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      ctx().app.inject({ method, url, ...(payload ? { payload: payload as object } : {}), headers: { authorization: `Bearer ${org.api_key}` } });
    const replies = {
      list: await inject('GET', '/api/v1/shipments'),
      one: await inject('GET', `/api/v1/shipments/${s.id}`),
      created: await inject('POST', '/api/v1/shipments', consignmentBody()),
      invalid: await inject('POST', '/api/v1/shipments', { reference: 'X' }),
      unknownShipment: await inject('GET', '/api/v1/shipments/00000000-0000-4000-8000-000000000000'),
      unknownRoute: await inject('GET', '/api/v1/no-such-thing'),
      unauthenticated: await ctx().app.inject({ method: 'GET', url: '/api/v1/shipments' }),
      login: await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.owner_email, password: org.owner_password } }),
      badLogin: await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.owner_email, password: 'wrong password' } }),
      me: await inject('GET', '/api/v1/auth/me'),
      // The route decides, not the spelling: this reaches the shipments list.
      respelled: await inject('GET', '/%61pi/v1/shipments'),
      // A broken %-escape: answered by the router, no hook runs.
      routerError: await inject('GET', `/api/v1/shipments/${s.id}%zz`),
    };
    const statuses = Object.fromEntries(Object.entries(replies).map(([k, r]) => [k, r.statusCode]));
    assert.deepEqual(statuses, { list: 200, one: 200, respelled: 200, created: 201, invalid: 400, unknownShipment: 404, unknownRoute: 404, unauthenticated: 401, login: 200, badLogin: 401, me: 200, routerError: 400 });
    for (const [name, r] of Object.entries(replies)) {
      assert.equal(r.headers['cache-control'], 'no-store', `${name} (old code: no Cache-Control)`);
      // Still the security headers: no-store is added to them, not instead of them.
      assert.equal(r.headers['x-content-type-options'], 'nosniff', name);
    }
  });

  it('keeps a photo download’s own private caching, and adds nothing to non-API replies', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body as { id: string };
    const photo = await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png');
    assert.equal(photo.status, 201, photo.text);
    const file = await org.api.get(`/api/v1/shipments/${s.id}/photos/${photo.body.id}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers['cache-control'], 'private, max-age=3600');
    const health = await ctx().app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.headers['cache-control'], undefined);
  });
});
