import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { connectPartners, shareWithPartner, uniqueHandle } from '../../../test/helpers/partners.js';
import { connectExistingShares } from '../../db/migrations/20261203_0020_partner_invitations.js';
import { MAX_INVITATIONS_PER_DAY, MAX_PENDING_INVITATIONS } from './partners.service.js';

/** A reply with what differs per request (ids, times, the typed address) taken out. */
const shapeOf = (body: Record<string, unknown>) => ({ ...body, id: '-', address: '-', created_at: '-', expires_at: '-' });

await describeStores('partner organizations', (ctx) => {
  async function withHandle(org: TestOrg) {
    const handle = uniqueHandle();
    assert.equal((await org.api.patch('/api/v1/org', { handle })).status, 200);
    return handle;
  }
  const received = async (org: TestOrg) => (await org.api.get('/api/v1/partner-invitations/received')).body.items as { id: string; from: { org_id: string; name: string } }[];
  const sent = async (org: TestOrg) => (await org.api.get('/api/v1/partner-invitations')).body.items as { id: string; address: string; state: string; partner: { org_id: string; name: string } | null }[];

  it('an owner picks a unique, case-insensitive handle; a taken or malformed one is refused', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const handle = uniqueHandle('Acme');
    const r = await a.api.patch('/api/v1/org', { handle });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.handle, handle.toLowerCase());
    const taken = await b.api.patch('/api/v1/org', { handle: handle.toUpperCase() });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.details[0].path, 'body/handle');
    for (const bad of ['-acme', 'a', 'acme_haulage', 'acme haulage', 'x'.repeat(40)]) {
      assert.equal((await b.api.patch('/api/v1/org', { handle: bad })).status, 400, bad);
    }
    const admin = await a.withRole('admin');
    assert.equal((await admin.patch('/api/v1/org', { handle: uniqueHandle() })).status, 403, 'only the owner sets it');
    assert.equal((await a.api.patch('/api/v1/org', { handle: null })).body.handle, null);
  });

  it('answers an invitation the same whether or not the handle or email names an organization', async () => {
    const a = await ctx().newOrg({ name: 'Inviter BV' });
    const b = await ctx().newOrg({ name: 'Courier BV' });
    const handle = await withHandle(b);
    const dispatcher = `dispatch.${Date.now().toString(36)}@example.test`;
    await ctx().services.auth.createUser(b.actor, { email: dispatcher, name: 'D', role: 'dispatcher' });

    const replies = [
      await a.api.post('/api/v1/partner-invitations', { handle: `@${handle.toUpperCase()}` }),
      await a.api.post('/api/v1/partner-invitations', { handle: 'no-such-org-handle' }),
      await a.api.post('/api/v1/partner-invitations', { email: b.owner_email.toUpperCase() }),
      await a.api.post('/api/v1/partner-invitations', { email: 'nobody@nowhere.example' }),
      // A dispatcher's email names no org: only owners and admins stand for theirs.
      await a.api.post('/api/v1/partner-invitations', { email: dispatcher }),
    ];
    for (const r of replies) assert.equal(r.status, 201, r.text);
    for (const r of replies) assert.deepEqual(shapeOf(r.body), shapeOf(replies[0].body));
    assert.equal(replies[0].body.state, 'pending');
    assert.equal(replies[0].body.partner, null);
    assert.match(replies[0].body.message, /if such an organization exists/);
    assert.equal(replies[0].body.address, `@${handle}`);

    // The inviter's list is just as silent: five pending invitations, none naming an org.
    const mine = await sent(a);
    assert.deepEqual(mine.map((i) => i.state), ['pending', 'pending', 'pending', 'pending', 'pending']);
    assert.ok(mine.every((i) => i.partner === null));
    assert.ok(!JSON.stringify(mine).includes('Courier BV'));

    // The invited org sees the two that named it, with who sent them.
    const inbox = await received(b);
    assert.equal(inbox.length, 2);
    assert.ok(inbox.every((i) => i.from.org_id === a.org_id && i.from.name === 'Inviter BV'));
    assert.deepEqual(await received(await ctx().newOrg()), [], 'nobody else receives anything');
  });

  it('answers an email of one’s own admins alike whether or not another org’s admin has it too', async () => {
    // Emails are unique per org only, so any owner can give its org an admin with a stranger's
    // address; inviting that address must not then tell whether another org has such an admin.
    const victim = await ctx().newOrg({ name: 'Victim BV' });
    const attacker = await ctx().newOrg({ name: 'Prober BV' });
    const unused = `unused.${Date.now().toString(36)}@example.test`;
    for (const email of [victim.owner_email, unused]) {
      assert.equal((await attacker.api.post('/api/v1/users', { email, role: 'admin' })).status, 201);
    }
    const taken = await attacker.api.post('/api/v1/partner-invitations', { email: victim.owner_email });
    const free = await attacker.api.post('/api/v1/partner-invitations', { email: unused });
    assert.equal(free.status, 400, free.text);
    assert.equal(taken.status, free.status, `an address another org's owner has answered ${taken.status}: ${taken.text}`);
    assert.deepEqual(taken.body, free.body);
    assert.deepEqual(await received(victim), [], 'and it invites nobody');
  });

  it('connects both orgs when the invited org accepts; the inviter then sees who it is', async () => {
    const a = await ctx().newOrg({ name: 'Forwarder A' });
    const b = await ctx().newOrg({ name: 'Courier B' });
    const handle = await withHandle(b);
    await a.api.post('/api/v1/partner-invitations', { handle });
    const [inv] = await received(b);
    const viewer = await b.withRole('dispatcher');
    assert.equal((await viewer.post(`/api/v1/partner-invitations/${inv.id}/accept`)).status, 403, 'admins accept');
    assert.equal((await a.api.post(`/api/v1/partner-invitations/${inv.id}/accept`)).status, 404, 'the inviter cannot accept for them');
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${inv.id}/accept`)).status, 204);
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${inv.id}/accept`)).status, 404, 'answered once');

    const [s] = await sent(a);
    assert.equal(s.state, 'accepted');
    assert.deepEqual(s.partner, { org_id: b.org_id, name: 'Courier B', handle });
    const ofA = (await a.api.get('/api/v1/partners')).body.items;
    const ofB = (await b.api.get('/api/v1/partners')).body.items;
    assert.deepEqual(ofA.map((p: { org_id: string }) => p.org_id), [b.org_id]);
    assert.deepEqual(ofB.map((p: { org_id: string; name: string }) => [p.org_id, p.name]), [[a.org_id, 'Forwarder A']]);
    assert.deepEqual(await received(b), []);
  });

  it('a declined or expired invitation connects nobody; the inviter may withdraw its own', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const handle = await withHandle(b);
    await a.api.post('/api/v1/partner-invitations', { handle });
    const nowhere = (await a.api.post('/api/v1/partner-invitations', { handle: 'nobody-answers-this' })).body;
    const [first] = await received(b);
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${first.id}/decline`)).status, 204);
    assert.deepEqual(await received(b), [], 'answered');
    // To the inviter, a declined invitation is one nobody answered: declining tells a prober nothing.
    const listed = (await a.api.get('/api/v1/partner-invitations')).body.items as Record<string, unknown>[];
    const declined = listed.find((i) => i.id === first.id);
    const unanswered = listed.find((i) => i.id === nowhere.id);
    assert.equal(declined?.state, 'pending');
    assert.deepEqual(shapeOf(declined ?? {}), shapeOf(unanswered ?? {}));
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${first.id}/accept`)).status, 404, 'a declined invitation cannot be accepted later');
    assert.equal((await a.api.delete(`/api/v1/partner-invitations/${first.id}`)).status, 204, 'withdrawn like a pending one');
    assert.equal((await a.api.delete(`/api/v1/partner-invitations/${nowhere.id}`)).status, 204);

    const again = (await a.api.post('/api/v1/partner-invitations', { handle })).body;
    await ctx().store.db.updateTable('partner_invitations').set({ expires_at: Date.now() - 1 }).where('id', '=', again.id).execute();
    assert.equal((await sent(a)).find((i) => i.id === again.id)?.state, 'expired');
    assert.deepEqual(await received(b), [], 'an expired invitation is no longer offered');
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${again.id}/accept`)).status, 404);
    assert.deepEqual((await a.api.get('/api/v1/partners')).body.items, []);

    const third = (await a.api.post('/api/v1/partner-invitations', { handle })).body;
    assert.equal((await b.api.delete(`/api/v1/partner-invitations/${third.id}`)).status, 404, 'only the inviter withdraws');
    assert.equal((await a.api.delete(`/api/v1/partner-invitations/${third.id}`)).status, 204);
    assert.equal((await sent(a)).find((i) => i.id === third.id)?.state, 'withdrawn');
    assert.deepEqual(await received(b), []);
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${third.id}/accept`)).status, 404, 'a withdrawn invitation cannot be accepted');
    assert.equal((await a.api.delete(`/api/v1/partner-invitations/${third.id}`)).status, 404, 'only a pending one is withdrawn');
  });

  it('lists sent and received invitations to owners and admins only; dispatchers and viewers get the 403 of any role refusal', async () => {
    const a = await ctx().newOrg({ name: 'Sender BV' });
    const b = await ctx().newOrg();
    const handle = await withHandle(b);
    assert.equal((await a.api.post('/api/v1/partner-invitations', { handle })).status, 201);
    const lists = { sent: [a, '/api/v1/partner-invitations'], received: [b, '/api/v1/partner-invitations/received'] } as const;
    for (const [which, [org, url]] of Object.entries(lists)) {
      const owner = await org.api.get(url);
      assert.equal(owner.status, 200, `${which}, owner: ${owner.text}`);
      assert.equal(owner.body.items.length, 1);
      const admin = await (await org.withRole('admin')).get(url);
      assert.equal(admin.status, 200, `${which}, admin: ${admin.text}`);
      assert.deepEqual(admin.body, owner.body);
      for (const role of ['dispatcher', 'viewer'] as const) {
        const api = await org.withRole(role);
        const refused = await api.get(url);
        assert.equal(refused.status, 403, `${which}, ${role}: ${refused.text}`);
        assert.deepEqual(Object.keys(refused.body), ['error']);
        assert.equal(refused.body.error.code, 'forbidden');
        assert.match(refused.body.error.message, /^Only admin or higher may /);
        assert.ok(!refused.text.includes(handle) && !refused.text.includes('Sender BV'), `${which}, ${role}: nothing of the invitation`);
        // The same shape as the refusal of inviting, a write these roles were always refused.
        const invite = await api.post('/api/v1/partner-invitations', { handle: 'someone' });
        assert.equal(invite.status, 403);
        assert.deepEqual(Object.keys(refused.body.error).sort(), Object.keys(invite.body.error).sort());
      }
    }
  });

  it('refuses inviting one’s own org, lets only admins invite, and bounds pending invitations', async () => {
    const a = await ctx().newOrg();
    const own = await withHandle(a);
    const self = await a.api.post('/api/v1/partner-invitations', { handle: own });
    assert.equal(self.status, 400);
    assert.equal((await a.api.post('/api/v1/partner-invitations', { email: a.owner_email })).status, 400);
    assert.equal((await (await a.withRole('dispatcher')).post('/api/v1/partner-invitations', { handle: 'someone' })).status, 403);
    assert.equal((await ctx().anon.post('/api/v1/partner-invitations', { handle: 'someone' })).status, 401);
    assert.equal((await a.api.post('/api/v1/partner-invitations', { handle: 'a', email: 'x@example.test' })).status, 400);
    for (let i = 0; i < MAX_PENDING_INVITATIONS; i++) {
      assert.equal((await a.api.post('/api/v1/partner-invitations', { handle: `nobody-${i}` })).status, 201);
    }
    const over = await a.api.post('/api/v1/partner-invitations', { handle: 'one-too-many' });
    assert.equal(over.status, 429);
    assert.match(over.body.error.message, /pending/);
    // When the first pending one expires (14 days), not a minute from now.
    const pendingRetry = Number(over.headers['retry-after']);
    assert.ok(pendingRetry > 13 * 86_400 && pendingRetry <= 14 * 86_400, `Retry-After ${pendingRetry}`);
    // Withdrawing frees pending places, but not the day's allowance.
    const withdrawAll = async () => {
      for (const inv of (await a.api.get('/api/v1/partner-invitations?limit=100')).body.items) if (inv.state === 'pending') await a.api.delete(`/api/v1/partner-invitations/${inv.id}`);
    };
    await withdrawAll();
    for (let i = MAX_PENDING_INVITATIONS; i < MAX_INVITATIONS_PER_DAY; i++) {
      assert.equal((await a.api.post('/api/v1/partner-invitations', { handle: `nobody-${i}` })).status, 201);
    }
    await withdrawAll();
    const daily = await a.api.post('/api/v1/partner-invitations', { handle: 'one-too-many' });
    assert.equal(daily.status, 429);
    assert.match(daily.body.error.message, /a day/);
    // When the day's first invitation turns a day old.
    const dailyRetry = Number(daily.headers['retry-after']);
    assert.ok(dailyRetry > 23 * 3600 && dailyRetry <= 86_400, `Retry-After ${dailyRetry}`);
  });

  it('shares a shipment only with a connected partner, who lists it beside its own and reads it', async () => {
    const a = await ctx().newOrg({ name: 'Shipper' });
    const b = await ctx().newOrg();
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    const unconnected = await a.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: b.org_id });
    const unknown = await a.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: 'no-such-org' });
    assert.equal(unconnected.status, 400);
    assert.deepEqual(unknown.body, unconnected.body, 'an unknown id and an unconnected org answer alike');

    await connectPartners(a, b);
    const shared = await a.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: b.org_id });
    assert.equal(shared.status, 201, shared.text);
    assert.equal(shared.body.items[0].name, (await b.api.get('/api/v1/org')).body.name);
    const bOwn = (await b.api.post('/api/v1/shipments', consignmentBody())).body;

    const all = (await b.api.get('/api/v1/shipments?include_shared=true')).body.items;
    assert.deepEqual(new Set(all.map((x: { id: string }) => x.id)), new Set([s.id, bOwn.id]));
    const fromA = all.find((x: { id: string }) => x.id === s.id);
    assert.deepEqual(fromA.shared_by, { org_id: a.org_id, name: 'Shipper' });
    assert.deepEqual((await b.api.get('/api/v1/shipments')).body.items.map((x: { id: string }) => x.id), [bOwn.id], 'the default list stays one’s own');
    assert.deepEqual((await b.api.get('/api/v1/shipments?shared=true')).body.items.map((x: { id: string }) => x.id), [s.id]);
    // Filters on the owner's data never match a partner's rows.
    assert.deepEqual((await b.api.get('/api/v1/shipments?include_shared=true&tracked=false')).body.items.map((x: { id: string }) => x.id), [bOwn.id]);
    assert.equal((await b.api.get(`/api/v1/shipments/${s.id}`)).status, 200);
  });

  it('ending a partnership from either side stops every share between the two', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    const t = (await b.api.post('/api/v1/shipments', consignmentBody())).body;
    await shareWithPartner(a, b, s.id);
    await shareWithPartner(b, a, t.id);
    assert.equal((await b.api.get(`/api/v1/shipments/${s.id}`)).status, 200);
    assert.equal((await (await b.withRole('dispatcher')).delete(`/api/v1/partners/${a.org_id}`)).status, 403);
    assert.equal((await b.api.delete(`/api/v1/partners/${a.org_id}`)).status, 204);
    assert.equal((await b.api.delete(`/api/v1/partners/${a.org_id}`)).status, 404);
    assert.equal((await b.api.get(`/api/v1/shipments/${s.id}`)).status, 404);
    assert.equal((await a.api.get(`/api/v1/shipments/${t.id}`)).status, 404);
    assert.deepEqual((await b.api.get('/api/v1/shipments?shared=true')).body.items, []);
    assert.deepEqual((await a.api.get(`/api/v1/shipments/${s.id}/partners`)).body.items, []);
    assert.deepEqual((await a.api.get('/api/v1/partners')).body.items, []);
    assert.equal((await a.api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: b.org_id })).status, 400);
  });

  it('audits every step in the log of the org that took it, the inviter’s naming only what it typed', async () => {
    const a = await ctx().newOrg({ name: 'Audited Shipper' });
    const b = await ctx().newOrg({ name: 'Audited Courier' });
    const handle = await withHandle(b);
    const sentOne = (await a.api.post('/api/v1/partner-invitations', { handle })).body;
    const toDecline = (await a.api.post('/api/v1/partner-invitations', { email: b.owner_email })).body;
    const withdrawn = (await a.api.post('/api/v1/partner-invitations', { handle: 'nobody-audited' })).body;
    assert.equal((await a.api.delete(`/api/v1/partner-invitations/${withdrawn.id}`)).status, 204);
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${toDecline.id}/decline`)).status, 204);
    assert.equal((await b.api.post(`/api/v1/partner-invitations/${sentOne.id}/accept`)).status, 204);
    type Entry = { action: string; target_id?: string | null; data?: Record<string, unknown> | null };
    const log = async (org: TestOrg) => ((await org.api.get('/api/v1/audit-log?limit=100')).body.items as Entry[]).filter((e) => e.action.startsWith('partner.'));
    const ofA = await log(a);
    const ofB = await log(b);
    assert.deepEqual(ofA.map((e) => e.action).sort(), ['partner.connected', 'partner.invitation_cancelled', 'partner.invited', 'partner.invited', 'partner.invited'].sort());
    assert.deepEqual(ofB.map((e) => e.action).sort(), ['partner.connected', 'partner.invitation_declined'].sort());
    const invited = ofA.filter((e) => e.action === 'partner.invited').map((e) => e.data?.address).sort();
    assert.deepEqual(invited, [`@${handle}`, '@nobody-audited', b.owner_email.toLowerCase()].sort());
    // Before B accepted, nothing in A's log named B; the decline is B's alone.
    assert.ok(!JSON.stringify(ofA.filter((e) => e.action !== 'partner.connected')).includes(b.org_id));
  });

  it('upgrading connects the orgs of shipments shared before partnerships existed, so they stay shared', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const s = (await a.api.post('/api/v1/shipments', consignmentBody())).body;
    // A share as the previous version stored it: no connection behind it.
    await ctx().store.db.insertInto('shipment_partners').values({ org_id: a.org_id, shipment_id: s.id, partner_org_id: b.org_id, created_at: Date.now() }).execute();
    await connectExistingShares(ctx().store.db);
    assert.deepEqual((await b.api.get('/api/v1/partners')).body.items.map((p: { org_id: string }) => p.org_id), [a.org_id]);
    assert.deepEqual((await a.api.get('/api/v1/partners')).body.items.map((p: { org_id: string }) => p.org_id), [b.org_id]);
    assert.equal((await b.api.get(`/api/v1/shipments/${s.id}`)).status, 200);
  });
});
