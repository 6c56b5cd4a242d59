import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';

await describeStores('tracking link view counting', (ctx) => {
  async function linkOf() {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
    return { org, link, path: new URL(link.url).pathname };
  }
  const row = (id: string) => ctx().store.db.selectFrom('tracking_links').select(['view_count', 'first_viewed_at', 'last_viewed_at']).where('id', '=', id).executeTakeFirstOrThrow();

  it('announces the first of many concurrent views exactly once and stores every view after a flush', async () => {
    const { link, path } = await linkOf();
    const seen: string[] = [];
    ctx().services.links.onChange((e) => {
      if (e.linkId === link.id) seen.push(e.type);
    });
    const replies = await Promise.all(Array.from({ length: 20 }, () => ctx().anon.get(path)));
    assert.ok(replies.every((r) => r.status === 200));
    await ctx().services.publicLinks.flushViews();
    const r = await row(link.id);
    assert.equal(Number(r.view_count), 20);
    assert.ok(r.first_viewed_at !== null && r.last_viewed_at !== null);
    assert.ok(Number(r.last_viewed_at) >= Number(r.first_viewed_at));
    assert.deepEqual(seen, ['first_viewed']);
  });

  it('writes counted views by itself within seconds, without an admin read', async () => {
    const { link, path } = await linkOf();
    await ctx().anon.get(path);
    await ctx().anon.get(path);
    await ctx().anon.get(path);
    const deadline = Date.now() + 10_000;
    while (Number((await row(link.id)).view_count) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(Number((await row(link.id)).view_count), 3);
  });

  it('shows the admin every view so far, and a later view moves last_viewed_at forward', async () => {
    const { org, link, path } = await linkOf();
    await ctx().anon.get(path);
    await ctx().anon.get(path);
    const a = (await org.api.get(`/api/v1/links/${link.id}`)).body;
    assert.equal(a.view_count, 2);
    await new Promise((r) => setTimeout(r, 5));
    await ctx().anon.get(path);
    const b = (await org.api.get(`/api/v1/links/${link.id}`)).body;
    assert.equal(b.view_count, 3);
    assert.equal(b.first_viewed_at, a.first_viewed_at);
    assert.ok(Date.parse(b.last_viewed_at) > Date.parse(a.last_viewed_at));
  });
});
