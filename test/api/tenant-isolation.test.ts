// Route by route: every /api/v1 route that takes an id answers another org's key with 404
// not_found and changes nothing. Routes are read from the OpenAPI document, so a new route
// without an entry below fails this test until someone decides how to probe it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestContext, type TestOrg } from '../helpers/context.js';
import { consignmentBody, PDF, PNG } from '../helpers/fixtures.js';
import { shareWithPartner } from '../helpers/partners.js';

type Ids = Record<string, string>;

/** Builds one of everything in org A and returns the ids a route may take. */
async function fixture(ctx: TestContext, a: TestOrg, partner: TestOrg): Promise<Ids> {
  const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
  const photo = (await a.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png')).body;
  await a.api.put(`/api/v1/shipments/${s.id}/hero-photo`, { photo_id: photo.id });
  await a.api.send('PUT', `/api/v1/shipments/${s.id}/proof-of-delivery`, PDF, 'application/pdf');
  const note = (await a.api.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'internal', body: 'secret' })).body;
  const contact = (await a.api.post(`/api/v1/shipments/${s.id}/contacts`, { email: 'c@example.test' })).body;
  await shareWithPartner(a, partner, s.id);
  // An invitation A sent (to an address that names no org: it looks the same to everyone).
  const invitation = (await a.api.post('/api/v1/partner-invitations', { handle: 'nobody-has-this-handle' })).body;
  const user = (await a.api.post('/api/v1/users', { email: `u${Date.now()}@example.test`, role: 'viewer' })).body;
  const key = (await a.api.post('/api/v1/api-keys', { name: 'k' })).body;
  const ids: Ids = {
    shipment: s.id,
    photo: photo.id,
    note: note.id,
    contact: contact.id,
    partnerOrg: partner.org_id,
    invitation: invitation.id,
    user: user.id,
    apiKey: key.id,
  };
  // Later modules' resources, created through their own API when the routes exist.
  const tryCreate = async (name: string, url: string, body: unknown) => {
    const r = await a.api.post(url, body);
    if (r.status === 201 || r.status === 200) ids[name] = r.body.id;
  };
  await tryCreate('link', `/api/v1/shipments/${s.id}/links`, {});
  await tryCreate('device', '/api/v1/devices', { name: 'Truck 1', external_id: `dev-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  if (ids.device) await tryCreate('source', `/api/v1/shipments/${s.id}/sources`, { device_id: ids.device, layer: 'driver' });
  const tpl = await a.api.post('/api/v1/email-templates', { name: 't', subject: 'Hi {{recipient.name}}', html: '<p>{{shipment.tracking_link}}</p>', text: '{{shipment.tracking_link}}' });
  if (tpl.status === 201 || tpl.status === 200) {
    ids.template = tpl.body.id;
    await tryCreate('task', '/api/v1/tasks', { name: 'n', trigger: 'shipment_created', level: 'shipment', recipients: ['a@example.test'], template_id: tpl.body.id, enabled: false });
  }
  await tryCreate('ingestToken', '/api/v1/ingest-tokens', { name: 'traccar' });
  await tryCreate('webhook', '/api/v1/webhooks', { url: 'https://hooks.example.test/hook', events: ['link.created'] });
  void ctx;
  return ids;
}

/** Which fixture id fills `{param}` in a path. */
function idFor(path: string, param: string, ids: Ids): string | undefined {
  const named: Record<string, string> = { photoId: 'photo', noteId: 'note', contactId: 'contact', partnerOrgId: 'partnerOrg', sourceId: 'source', userId: 'user', deviceId: 'device', linkId: 'link' };
  // A stop is addressed by its position in the shipment's route: the fixture's first stop.
  if (param === 'index') return '0';
  if (param !== 'id') return ids[named[param] ?? param];
  const prefix: [RegExp, string][] = [
    [/^\/api\/v1\/shipments\//, 'shipment'],
    [/^\/api\/v1\/partners\//, 'partnerOrg'],
    [/^\/api\/v1\/partner-invitations\//, 'invitation'],
    [/^\/api\/v1\/links\//, 'link'],
    [/^\/api\/v1\/users\//, 'user'],
    [/^\/api\/v1\/api-keys\//, 'apiKey'],
    [/^\/api\/v1\/ingest-tokens\//, 'ingestToken'],
    [/^\/api\/v1\/devices\//, 'device'],
    [/^\/api\/v1\/email-templates\//, 'template'],
    [/^\/api\/v1\/tasks\//, 'task'],
    [/^\/api\/v1\/webhooks\//, 'webhook'],
    [/^\/api\/v1\/outbox\//, 'outbox'],
  ];
  const hit = prefix.find(([re]) => re.test(path));
  return hit ? ids[hit[1]] : undefined;
}

/** A body that passes validation for each write route, so the answer shows the org check, not the schema. */
function bodyFor(method: string, path: string, ids: Ids): { body?: unknown; raw?: { payload: Buffer; type: string } } {
  const key = `${method} ${path}`;
  const bodies: Record<string, unknown> = {
    'PATCH /api/v1/shipments/{id}': { title: 'hijacked' },
    'POST /api/v1/shipments/{id}/events': { type: 'status_changed', status: 'cancelled' },
    'POST /api/v1/shipments/{id}/stops': { type: 'waypoint', name: 'hijacked' },
    'PATCH /api/v1/shipments/{id}/stops/{index}': { name: 'hijacked' },
    'POST /api/v1/shipments/{id}/stops/{index}/events': { type: 'departed' },
    'POST /api/v1/shipments/{id}/notes': { scope: 'customer', body: 'hijacked' },
    'PUT /api/v1/shipments/{id}/hero-photo': { photo_id: null },
    'POST /api/v1/shipments/{id}/pallet-scans': { event: 'loaded' },
    'POST /api/v1/shipments/{id}/contacts': { email: 'evil@example.test' },
    'POST /api/v1/shipments/{id}/partners': { partner_org_id: ids.partnerOrg },
    'PATCH /api/v1/users/{id}': { name: 'hijacked' },
    'POST /api/v1/shipments/{id}/links': {},
    'PATCH /api/v1/links/{id}': { options: { status: false } },
    'POST /api/v1/shipments/{id}/sources': { device_id: ids.device ?? 'x', layer: 'tracker' },
    'PATCH /api/v1/devices/{id}': { name: 'hijacked' },
    'POST /api/v1/shipments/{id}/positions': { positions: [{ recorded_at: new Date().toISOString(), lat: 1, lon: 1 }] },
    'PUT /api/v1/email-templates/{id}': { name: 't', subject: 's', html: 'h', text: 't' },
    'PATCH /api/v1/email-templates/{id}': { name: 'hijacked' },
    'POST /api/v1/email-templates/{id}/preview': { shipment_id: ids.shipment },
    'PATCH /api/v1/tasks/{id}': { enabled: true },
    'PUT /api/v1/tasks/{id}': { name: 'n', trigger: 'shipment_created', level: 'shipment', recipients: ['a@example.test'], template_id: ids.template ?? 'x', enabled: true },
    'PATCH /api/v1/webhooks/{id}': { enabled: false },
  };
  if (key === 'POST /api/v1/shipments/{id}/photos') return { raw: { payload: PNG, type: 'image/png' } };
  if (key === 'PUT /api/v1/shipments/{id}/proof-of-delivery') return { raw: { payload: PDF, type: 'application/pdf' } };
  if (key in bodies) return { body: bodies[key] };
  if (method === 'GET' || method === 'DELETE') return {};
  // Action routes without a body (revoke, regenerate, rotate, …).
  if (/\/(revoke|regenerate|rotate|retry|test|recalculate|resend|accept|decline)$/.test(path)) return { body: {} };
  throw new Error(`tenant-isolation: no probe body for ${key}; add one to bodyFor()`);
}

/** Every row of org A, in every table that has an org_id column. */
async function snapshot(ctx: TestContext, orgId: string): Promise<string> {
  const tables = (await ctx.store.db.introspection.getTables()).filter((t) => t.columns.some((c) => c.name === 'org_id')).map((t) => t.name).sort();
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    // Table names come from introspection, so the builder cannot know their columns.
    const rows = await ctx.store.db.selectFrom(t as 'shipments').selectAll().where('org_id', '=', orgId).execute();
    out[t] = rows.map((r) => ({ ...(r as Record<string, unknown>), last_used_at: undefined, last_seen_at: undefined })).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  return JSON.stringify(out);
}

await describeStores('tenant isolation', (ctx) => {
  it('answers 404 not_found on every /api/v1 route with an id when called with another org’s key, and changes nothing', async () => {
    const a = await ctx().newOrg({ name: 'Victim' });
    const b = await ctx().newOrg({ name: 'Attacker' });
    const partner = await ctx().newOrg({ name: 'Partner' });
    const ids = await fixture(ctx(), a, partner);
    const spec = ctx().app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const before = await snapshot(ctx(), a.org_id);
    const probed: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/v1/') || !path.includes('{')) continue;
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        let url = path;
        for (const [, param] of path.matchAll(/\{(\w+)\}/g)) {
          const id = idFor(path, param, ids);
          assert.ok(id, `tenant-isolation: no fixture id for {${param}} in ${method} ${path}; extend fixture()/idFor()`);
          url = url.replace(`{${param}}`, id);
        }
        const probe = bodyFor(method, path, ids);
        const r = probe.raw
          ? await b.api.send(method as 'POST', url, probe.raw.payload, probe.raw.type)
          : method === 'GET'
            ? await b.api.get(url)
            : method === 'DELETE'
              ? await b.api.delete(url)
              : await (b.api[method.toLowerCase() as 'post' | 'put' | 'patch'])(url, probe.body);
        assert.equal(r.status, 404, `${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
        assert.equal(r.body?.error?.code, 'not_found', `${method} ${path}`);
        probed.push(`${method} ${path}`);
      }
    }
    assert.ok(probed.length >= 20, `probed only ${probed.length} routes`);
    assert.equal(await snapshot(ctx(), a.org_id), before, 'org A data changed');
    // The victim still sees its own data.
    assert.equal((await a.api.get(`/api/v1/shipments/${ids.shipment}`)).status, 200);
  });

  it('never lists another org’s shipments, and a partner sees only what was shared with it', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    const other = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    assert.equal((await b.api.get('/api/v1/shipments')).body.items.length, 0);
    assert.equal((await b.api.get(`/api/v1/shipments?reference=${s.reference}`)).body.items.length, 0);
    await shareWithPartner(a, b, s.id);
    const shared = await b.api.get('/api/v1/shipments?shared=true');
    assert.deepEqual(shared.body.items.map((x: { id: string }) => x.id), [s.id]);
    const seen = await b.api.get(`/api/v1/shipments/${s.id}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.internal, undefined, 'partners never see internal fields');
    assert.ok(!JSON.stringify(seen.body).includes('VIN123'));
    assert.equal((await b.api.get(`/api/v1/shipments/${other.id}`)).status, 404);
    // Partners read; they never change the shipment or its links (403: they know it exists).
    assert.equal((await b.api.patch(`/api/v1/shipments/${s.id}`, { title: 'x' })).status, 403);
    assert.equal((await b.api.delete(`/api/v1/shipments/${s.id}`)).status, 403);
    const link = await b.api.post(`/api/v1/shipments/${s.id}/links`, {});
    assert.equal(link.status, 403);
    // A shipment A did not share stays unknown, also on the write routes.
    assert.equal((await b.api.post(`/api/v1/shipments/${other.id}/links`, {})).status, 404);
  });
});

/** What a partner may do with a shipment shared with it; every other route of that shipment is its owner's. */
const PARTNER_ALLOWED = new Set([
  'GET /api/v1/shipments/{id}',
  'GET /api/v1/shipments/{id}/positions',
  'GET /api/v1/shipments/{id}/photos/{photoId}',
  // Partners push positions to a shipment shared with them (README, Partner organizations).
  'POST /api/v1/shipments/{id}/positions',
]);

await describeStores('partner write guard', (ctx) => {
  it('answers 403 forbidden on every owner-only route of a shipment shared with the caller, 404 on one not shared, and changes nothing', async () => {
    const a = await ctx().newOrg({ name: 'Owner' });
    const partner = await ctx().newOrg({ name: 'Partner' });
    const ids = await fixture(ctx(), a, partner);
    const notShared = (await a.api.post('/api/v1/shipments', consignmentBody())).body.id as string;
    const spec = ctx().app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const before = await snapshot(ctx(), a.org_id);
    const refused: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/v1/shipments/{id}')) continue;
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method) || PARTNER_ALLOWED.has(`${method} ${path}`)) continue;
        const call = (shipmentId: string) => {
          let url = path.replace('{id}', shipmentId);
          for (const [, param] of path.matchAll(/\{(\w+)\}/g)) if (param !== 'id') url = url.replace(`{${param}}`, idFor(path, param, ids) ?? 'x');
          const probe = bodyFor(method, path, ids);
          if (probe.raw) return partner.api.send(method as 'POST', url, probe.raw.payload, probe.raw.type);
          if (method === 'GET') return partner.api.get(url);
          if (method === 'DELETE') return partner.api.delete(url);
          return partner.api[method.toLowerCase() as 'post' | 'put' | 'patch'](url, probe.body);
        };
        const shared = await call(ids.shipment);
        assert.equal(shared.status, 403, `${method} ${path} on a shared shipment answered ${shared.status}: ${shared.text.slice(0, 300)}`);
        assert.equal(shared.body?.error?.code, 'forbidden', `${method} ${path}`);
        const hidden = await call(notShared);
        assert.equal(hidden.status, 404, `${method} ${path} on a shipment not shared answered ${hidden.status}`);
        assert.equal(hidden.body?.error?.code, 'not_found', `${method} ${path}`);
        refused.push(`${method} ${path}`);
      }
    }
    // The share action above all: creating or listing tracking links, sharing on with partners.
    for (const op of ['POST /api/v1/shipments/{id}/links', 'GET /api/v1/shipments/{id}/tracking', 'POST /api/v1/shipments/{id}/partners', 'PATCH /api/v1/shipments/{id}']) {
      assert.ok(refused.includes(op), `${op} was not probed`);
    }
    assert.ok(refused.length >= 15, `probed only ${refused.length} routes`);
    assert.equal(await snapshot(ctx(), a.org_id), before, 'the owner’s data changed');
    // What it may do still works.
    assert.equal((await partner.api.get(`/api/v1/shipments/${ids.shipment}`)).status, 200);
    assert.equal((await partner.api.get(`/api/v1/shipments/${ids.shipment}/positions`)).status, 200);
  });
});
