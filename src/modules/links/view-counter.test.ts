import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import type { KyselyPlugin } from 'kysely';
import { LinksRepository } from './links.repository.js';

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

  it('writes a flush of many links with two compiled updates, not one built per link, with the same result', async () => {
    // A rotation of links makes every flush thousands of first views: building each update with
    // Kysely cost more than running it.
    const kinds: string[] = [];
    const counting: KyselyPlugin = { transformQuery: (args) => (kinds.push(args.node.kind), args.node), transformResult: async (args) => args.result };
    const repo = new LinksRepository(ctx().store.db.withPlugin(counting), ctx().store.dialect);
    const links = [];
    for (let i = 0; i < 4; i++) links.push((await linkOf()).link);
    const at = Date.now() - 60_000;
    const firsts = await repo.addViews(links.map((l, i) => ({ id: l.id, count: i + 1, first: at + i, last: at + 10 + i, maybeFirst: true })));
    assert.deepEqual(firsts, links.map((l) => l.id));
    // Again: not first any more (the conditional update misses, the general one writes), and a
    // last view older than the stored one leaves it.
    const again = await repo.addViews(links.map((l, i) => ({ id: l.id, count: 2, first: at + 100, last: i === 0 ? at : at + 100, maybeFirst: i < 2 })));
    assert.deepEqual(again, []);
    const built = kinds.filter((k) => k === 'UpdateQueryNode').length;
    assert.equal(built, 2, `updates built (old code: one per link and call): ${kinds.join(', ')}`);
    assert.equal(kinds.filter((k) => k === 'RawNode').length, 4 + 6, 'each update still runs through the plugins');
    const rows = await Promise.all(links.map((l) => row(l.id)));
    assert.deepEqual(
      rows.map((r) => [Number(r.view_count), Number(r.first_viewed_at), Number(r.last_viewed_at)]),
      [
        [3, at, at + 10],
        [4, at + 1, at + 100],
        [5, at + 2, at + 100],
        [6, at + 3, at + 100],
      ],
    );
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
