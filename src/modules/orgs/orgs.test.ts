import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { PNG } from '../../../test/helpers/fixtures.js';
import { pendingMigrations } from '../../db/migrate.js';

await describeStores('organization settings', (ctx) => {
  it('reads the org with its defaults: sharing on, 30-day inactivity, active billing', async () => {
    const { api } = await ctx().newOrg({ name: 'Defaults BV', country: 'BE' });
    const r = await api.get('/api/v1/org');
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'Defaults BV');
    assert.equal(r.body.country, 'BE');
    assert.equal(r.body.sharing_enabled, true);
    assert.equal(r.body.auto_create_links, false);
    assert.equal(r.body.link_inactivity_days, 30);
    assert.equal(r.body.billing_state, 'active');
    assert.equal(r.body.logo_url, null);
  });

  it('validates settings: country code, colour, ranges, unknown fields', async () => {
    const { api } = await ctx().newOrg();
    for (const body of [{ country: 'Netherlands' }, { brand_color: 'red' }, { link_inactivity_days: 0 }, { billing_state: 'frozen' }, { plan: 'gold' }]) {
      const r = await api.patch('/api/v1/org', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'validation_failed');
    }
  });

  it('uploads a logo (images only) and serves it publicly', async () => {
    const { api } = await ctx().newOrg();
    const r = await api.send('PUT', '/api/v1/org/logo', PNG, 'image/png');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.logo_url);
    const path = new URL(r.body.logo_url).pathname;
    const img = await ctx().anon.get(path);
    assert.equal(img.status, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    const bad = await api.send('PUT', '/api/v1/org/logo', Buffer.from('%PDF-1.4 not an image'), 'application/pdf');
    assert.equal(bad.status, 415);
  });

  it('rejects a template with an unknown key or a wrong driver_position', async () => {
    const { api } = await ctx().newOrg();
    assert.equal((await api.put('/api/v1/org/link-template', { internal_notes: true })).status, 400);
    assert.equal((await api.put('/api/v1/org/link-template', { driver_position: 'sometimes' })).status, 400);
    const tpl = (await api.get('/api/v1/org/link-template')).body;
    assert.equal(tpl.customer_reference, false);
    assert.equal(tpl.driver_position, 'en_route_to_delivery');
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    assert.equal((await ctx().anon.get('/healthz')).status, 200);
    const ready = await ctx().anon.get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.store, ctx().kind);
    const doc = await ctx().anon.get('/api/docs/json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi.startsWith('3.'), true);
    assert.ok(doc.body.paths['/api/v1/shipments']);
    assert.ok(doc.body.paths['/api/v1/shipments/{id}'].patch);
    const ui = await ctx().app.inject({ method: 'GET', url: '/api/docs/' });
    assert.ok(ui.statusCode === 200 || ui.statusCode === 302);
  });

  it('has applied every migration', async () => {
    assert.deepEqual(await pendingMigrations(ctx().store), []);
  });
});
