// Every list of the API pages the same way (API.md, "Lists"): ?limit= and ?cursor=, answered
// with {items, next_cursor}; walking the pages one item at a time yields every item once.
// The OpenAPI document states the same for every list, so a new list cannot quietly differ.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeStores, type TestOrg } from '../helpers/context.js';
import { connectPartners, uniqueHandle } from '../helpers/partners.js';

interface Page {
  items: { id?: string; name?: string; org_id?: string; partner_org_id?: string }[];
  next_cursor: string | null;
}

const keyOf = (item: Page['items'][number]) => item.id ?? item.partner_org_id ?? item.org_id ?? item.name ?? JSON.stringify(item);

/** Track reads: a window of time (from/to), not a list of things; answered {items, from, to}. */
const NOT_LISTS = new Set(['/api/v1/shipments/{id}/positions']);

describeStores('lists', (ctx) => {
  let org: TestOrg;
  const lists: string[] = [];
  /** The ids in `lists`, and the path parameter each stands for in the document. */
  let ids: Record<string, string> = {};

  before(async () => {
    org = await ctx().newOrg();
    const ok = async (r: Promise<{ status: number; text: string; body: any }>, status = 201) => {
      const res = await r;
      assert.equal(res.status, status, res.text);
      return res.body;
    };
    const template = await ok(org.api.post('/api/v1/email-templates', { name: 'T1', subject: '{{shipment.reference}}', html: '<p>x</p>', text: 'x' }));
    await ok(org.api.post('/api/v1/email-templates', { name: 'T2', subject: 's', html: '<p>y</p>', text: 'y' }));
    for (const name of ['A', 'B']) {
      await ok(org.api.post('/api/v1/tasks', { name, trigger: 'shipment_created', level: 'shipment', recipients: [`${name.toLowerCase()}@example.test`], template_id: template.id, enabled: true }));
    }
    const hook = await ok(org.api.post('/api/v1/webhooks', { url: 'https://hooks.example.test/in', events: ['link.created'] }));
    await ok(org.api.post('/api/v1/webhooks', { url: 'https://hooks.example.test/other', events: ['link.revoked'] }));
    const s = await ok(org.api.post('/api/v1/shipments', { kind: 'order', reference: 'L-1', stops: [{ type: 'pickup' }, { type: 'delivery' }] }));
    await ok(org.api.post('/api/v1/shipments', { kind: 'order', reference: 'L-2' }));
    await ok(org.api.post(`/api/v1/shipments/${s.id}/events`, { type: 'status_changed', status: 'in_transit' }), 200);
    for (const name of ['Phone 1', 'Phone 2']) {
      const d = await ok(org.api.post('/api/v1/devices', { name }));
      await ok(org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: d.id, layer: 'driver' }));
    }
    await ok(org.api.post(`/api/v1/shipments/${s.id}/links`, {}));
    await ok(org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { email: 'r@example.test' } }));
    await ok(org.api.post('/api/v1/api-keys', { name: 'second' }));
    await ok(org.api.post('/api/v1/users', { email: `u${Date.now()}@example.test`, role: 'viewer' }));
    const users = await ok(org.api.get('/api/v1/users'), 200);
    const owner = users.items.find((u: { role: string }) => u.role === 'owner');
    for (let i = 0; i < 2; i++) {
      const r = await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.owner_email, password: org.owner_password } });
      assert.equal(r.statusCode, 200, r.body);
    }
    for (const partner of [await ctx().newOrg(), await ctx().newOrg()]) {
      await connectPartners(org, partner);
      await ok(org.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: partner.org_id }));
    }
    // Two invitations to this org left unanswered, for the received list.
    const handle = uniqueHandle('lists');
    await ok(org.api.patch('/api/v1/org', { handle }), 200);
    for (const inviter of [await ctx().newOrg(), await ctx().newOrg()]) await ok(inviter.api.post('/api/v1/partner-invitations', { handle }));
    for (const name of ['Traccar 1', 'Traccar 2']) await ok(org.api.post('/api/v1/ingest-tokens', { name }));
    lists.push(
      '/api/v1/shipments',
      `/api/v1/shipments/${s.id}/events`,
      `/api/v1/shipments/${s.id}/sources`,
      `/api/v1/shipments/${s.id}/links`,
      `/api/v1/shipments/${s.id}/partners`,
      '/api/v1/devices',
      '/api/v1/links',
      '/api/v1/api-keys',
      '/api/v1/users',
      `/api/v1/users/${owner.id}/sessions`,
      '/api/v1/audit-log',
      '/api/v1/email-templates',
      '/api/v1/email-templates/variables',
      '/api/v1/tasks',
      '/api/v1/outbox',
      '/api/v1/webhooks',
      `/api/v1/webhooks/${hook.id}/deliveries`,
      '/api/v1/partners',
      '/api/v1/partner-invitations',
      '/api/v1/partner-invitations/received',
      '/api/v1/ingest-tokens',
    );
    ids = { [s.id]: '{id}', [owner.id]: '{id}', [hook.id]: '{id}' };
  });

  it('walks every list one item at a time: each item once, the same items as one big page, and next_cursor null at the end', async () => {
    for (const path of lists) {
      const whole = await org.api.get<Page>(`${path}?limit=500`);
      assert.equal(whole.status, 200, `${path}: ${whole.text}`);
      assert.deepEqual(Object.keys(whole.body).sort(), ['items', 'next_cursor'], path);
      assert.equal(whole.body.next_cursor, null, path);
      assert.ok(whole.body.items.length >= 2, `${path} has ${whole.body.items.length} items: the walk would prove nothing`);
      const walked: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages <= whole.body.items.length; pages++) {
        const r: { status: number; text: string; body: Page } = await org.api.get<Page>(`${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        assert.ok(r.body.items.length <= 1, `${path}?limit=1 answered ${r.body.items.length} items`);
        walked.push(...r.body.items.map(keyOf));
        cursor = r.body.next_cursor;
        if (!cursor) break;
      }
      assert.equal(cursor, null, `${path}: still a next page after as many pages as items`);
      assert.deepEqual(walked, whole.body.items.map(keyOf), `${path}: the pages, in order, are the whole list`);
    }
  });

  it('refuses a cursor it did not issue and a limit out of range with 400', async () => {
    for (const path of ['/api/v1/devices', '/api/v1/api-keys', '/api/v1/users', '/api/v1/email-templates/variables']) {
      assert.equal((await org.api.get(`${path}?cursor=not-a-cursor`)).status, 400, path);
      assert.equal((await org.api.get(`${path}?limit=0`)).status, 400, path);
      assert.equal((await org.api.get(`${path}?limit=501`)).status, 400, path);
    }
  });

  it('answers a forged cursor (a time that is no whole millisecond count, an id with NUL) with 400 on every list, never 5xx', async () => {
    // A cursor is base64url JSON anyone can write; PostgreSQL refuses such values outright.
    const forged = ['[1.5,"x"]', '[1e20,"x"]', '[1e400,"x"]', '[-1e400,"x"]', '[1,"\\u0000"]'].map((j) => Buffer.from(j).toString('base64url'));
    for (const path of lists) {
      for (const cursor of forged) {
        const r = await org.api.get(`${path}?cursor=${cursor}`);
        assert.equal(r.status, 400, `${path} with ${Buffer.from(cursor, 'base64url').toString()}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.body.error.code, 'validation_failed', path);
      }
    }
  });

  it('documents every list alike: limit and cursor in, items and next_cursor out', async () => {
    const doc = (await ctx().anon.get('/api/docs/json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> }>>;
    };
    const found: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = ops.get;
      const props = get?.responses?.['200']?.content?.['application/json']?.schema?.properties;
      if (!get || !props?.items || NOT_LISTS.has(path)) continue;
      found.push(path);
      const query = (get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      assert.ok(query.includes('limit') && query.includes('cursor'), `${path} takes ${query.join(', ') || 'no query'}`);
      assert.ok(props.next_cursor, `${path} answers no next_cursor`);
    }
    for (const path of ['/api/v1/devices', '/api/v1/api-keys', '/api/v1/users', '/api/v1/shipments/{id}/events', '/api/v1/shipments/{id}/sources', '/api/v1/shipments/{id}/links']) {
      assert.ok(found.includes(path), `${path} is documented as a list`);
    }
    // Every documented list is among those walked page by page above, so none is only documented.
    const walked = lists.map((p) => p.replace(/[^/]+/g, (seg) => ids[seg] ?? seg));
    assert.deepEqual(found.filter((p) => p.startsWith('/api/') && !walked.includes(p)), [], 'documented lists the walk does not cover');
  });
});
