// A link's first visit (issue 19 item 1): the link, its shipment with everything the page shows and
// the positions within the link's windows, in at most two queries, counted by /metrics' own
// counter of a cold visit's queries. Twelve and more before (one per table, one per window).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { describeStores, type TestContext } from '../../../test/helpers/context.js';
import { consignmentBody, PNG } from '../../../test/helpers/fixtures.js';
import { parsePrometheusText, sumOf } from '../../../test/helpers/prom-text.js';
import type { KyselyPlugin, RawNode } from 'kysely';
import { LinksRepository, linkVersion, sourcesVersion } from './links.repository.js';
import { LinkEvents } from './link-events.js';
import { PublicLinkResolver } from './public-link-resolver.js';
import { MAX_LOAD_BATCH, PUBLIC_CHANGES, PublicLinkRepository } from './public-link.repository.js';

const TOKEN = 'metrics-token-for-cold-visits-0123456789';

/** A plugin recording the kind of every query run: one Kysely built is a SelectQueryNode, raw SQL a RawNode. */
function builtQueries() {
  const built: string[] = [];
  const counting: KyselyPlugin = {
    transformQuery: (args) => (built.push(args.node.kind), args.node),
    transformResult: async (args) => args.result,
  };
  return { built, counting };
}

/** The public link repository on this store, recording the SQL of each raw statement it runs. */
function recordingRepository(c: TestContext): { repo: PublicLinkRepository; sqls: string[] } {
  const sqls: string[] = [];
  const recording: KyselyPlugin = {
    transformQuery: (args) => (args.node.kind === 'RawNode' && sqls.push((args.node as RawNode).sqlFragments.join('?')), args.node),
    transformResult: async (args) => args.result,
  };
  return { repo: new PublicLinkRepository(c.store.db.withPlugin(recording), c.store.dialect), sqls };
}

await describeStores(
  'cold link visits',
  (ctx) => {
    const scrape = async () => {
      const r = await ctx().anon.get('/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.equal(r.status, 200, r.text);
      return parsePrometheusText(r.text);
    };

    /** A consignment on its way with every kind of row a page shows, two tracked devices, and one link per visit to make. */
    async function richShipment() {
      const org = await ctx().newOrg();
      const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit', current_stage: 1 }))).body;
      await org.api.post(`/api/v1/shipments/${s.id}/notes`, { scope: 'customer', body: 'Ring twice' });
      assert.equal((await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png')).status, 201);
      const at = Date.now() - 60_000;
      for (const [layer, name] of [['driver', 'Phone'], ['tracker', 'Tag']] as const) {
        const device = (await org.api.post('/api/v1/devices', { name })).body;
        assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device.id, layer, from: new Date(at - 60_000).toISOString() })).status, 201);
        const sent = await org.api.post('/api/v1/positions', {
          positions: [0, 1, 2].map((i) => ({ device_id: device.id, recorded_at: new Date(at + i * 10_000).toISOString(), lat: 52 + i / 100, lon: 5 })),
        });
        assert.equal(sent.status, 200, sent.text);
      }
      const link = async () => new URL((await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { name: 'R', email: `r${Math.random()}@example.test` } })).body.url).pathname;
      return { page: await link(), data: `${await link()}/data` };
    }

    /** On PostgreSQL changes come back through NOTIFY and drop cached links: let them arrive first. */
    async function settle() {
      const bus = ctx().services.bus;
      const probe = `test-${Math.random()}`;
      await new Promise<void>((resolve) => {
        bus.subscribe((m) => m.type === 'ping' && m.instance === probe && resolve());
        void bus.publish({ type: 'ping', instance: probe, sentAt: 0 });
      });
      // Listeners' batched reads (webhooks of a new link) wait for the end of a turn of the event
      // loop; a first visit's load does too now, and would count them as its own.
      await new Promise((resolve) => setImmediate(resolve));
    }

    async function coldVisitQueries(path: string, marker: string) {
      const before = await scrape();
      const r = await ctx().anon.get(path);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.text.includes(marker), `${path} shows ${marker}`);
      const after = await scrape();
      const visits = (f: typeof before) => sumOf(f, 'tracklink_public_cold_visit_queries_count');
      assert.equal(visits(after) - visits(before), 1, 'the first visit is a cold visit');
      return sumOf(after, 'tracklink_public_cold_visit_queries_sum') - sumOf(before, 'tracklink_public_cold_visit_queries_sum');
    }

    it('reads the link, the shipment and the positions of a first visit in at most 2 queries (page and /data)', async () => {
      const { page, data } = await richShipment();
      await settle();
      const pageQueries = await coldVisitQueries(page, 'Tiles, 12 pallets');
      assert.ok(pageQueries >= 1 && pageQueries <= 2, `GET /t/{slug} cold: ${pageQueries} queries`);
      const json = await coldVisitQueries(data, '"positions":[{');
      assert.ok(json >= 1 && json <= 2, `GET /t/{slug}/data cold: ${json} queries`);
    });

    it('builds the first-visit query once, not once per visit, and loads the same link each time', async () => {
      // Building and compiling the load's ~900 operation nodes with Kysely cost twice what the
      // store takes to run it; only the slug differs between visits.
      const { built, counting } = builtQueries();
      const repo = new PublicLinkRepository(ctx().store.db.withPlugin(counting), ctx().store.dialect);
      const { page, data } = await richShipment();
      const slugs = [page.split('/')[2], data.split('/')[2]];
      const loads = [];
      for (const slug of [...slugs, ...slugs]) loads.push(await repo.loadBySlug(slug));
      assert.equal(built.filter((k) => k === 'SelectQueryNode').length, 1, `query kinds built: ${built.join(', ')}`);
      assert.equal(built.length, 5, 'each load still runs through the plugins (the /metrics query timing sees it)');
      assert.deepEqual(loads.map((l) => l?.link.slug), [...slugs, ...slugs]);
      assert.deepEqual(loads[2], loads[0]);
      assert.equal(loads[0]?.shipment.id, loads[1]?.shipment.id);
      assert.ok(loads[0] && loads[0].children.stops.length > 0 && loads[0].children.photos.length === 1 && loads[0].sources.length === 2);
      assert.equal(await repo.loadBySlug('A'.repeat(24)), undefined);
    });

    it('reads nothing of a link no one may see (revoked, unshared, its org locked or not sharing), as of an unknown slug', async () => {
      // Old code read each with its whole shipment before deciding: its 404 took ten times an
      // unknown slug's with a few thousand pallet scans, and a deleted shipment's took no longer.
      const repo = new PublicLinkRepository(ctx().store.db, ctx().store.dialect);
      const org = await ctx().newOrg();
      const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit' }))).body;
      const link = async (options = {}) => {
        const r = await org.api.post(`/api/v1/shipments/${s.id}/links`, { recipient: { name: 'R', email: `r${randomUUID()}@example.test` }, options });
        assert.equal(r.status, 201, r.text);
        return r.body as { id: string; slug: string };
      };
      const shown = await link();
      const revoked = await link();
      assert.equal((await org.api.post(`/api/v1/links/${revoked.id}/revoke`, {})).status, 200);
      const unshared = { revoked, 'every layer off': await link({ layers: [] }), 'every segment off': await link({ segments: [] }) };
      assert.ok(await repo.loadBySlug(shown.slug), 'a link that shows something is read');
      for (const [what, l] of Object.entries(unshared)) {
        assert.equal(await repo.loadBySlug(l.slug), undefined, `${what}: read`);
        assert.equal((await ctx().anon.get(`/t/${l.slug}/data`)).status, 404, what);
      }
      for (const patch of [{ sharing_enabled: false }, { billing_state: 'locked' }]) {
        assert.equal((await org.api.patch('/api/v1/org', patch)).status, 200);
        assert.equal(await repo.loadBySlug(shown.slug), undefined, `${JSON.stringify(patch)}: read`);
        assert.equal((await ctx().anon.get(`/t/${shown.slug}/data`)).status, 404);
        assert.equal((await org.api.patch('/api/v1/org', { sharing_enabled: true, billing_state: 'active' })).status, 200);
      }
      // An expired link is still read: its 410 page is the org's.
      assert.equal((await org.api.patch(`/api/v1/links/${shown.id}`, { expires_at: new Date(Date.now() - 60_000).toISOString() })).status, 200);
      assert.ok(await repo.loadBySlug(shown.slug));
      assert.equal((await ctx().anon.get(`/t/${shown.slug}/data`)).status, 410);
    });

    it('reads the org and the shipment once each, from the joins, as their rows are stored', async () => {
      // Each was read a second time by a subquery and carried as a JSON object: a third of the
      // load's time on SQLite.
      const { repo, sqls } = recordingRepository(ctx());
      // Two links of two orgs, one load after the other: where each column goes is worked out once
      // (loadedOf), and the link, the org and the shipment all have an id, a created_at…
      const links = [(await richShipment()).page, (await richShipment()).data];
      const db = ctx().store.db;
      for (const url of links) {
        const loaded = await repo.loadBySlug(url.split('/')[2]);
        assert.ok(loaded);
        const storedLink = await db.selectFrom('tracking_links').selectAll().where('id', '=', loaded.link.id).executeTakeFirstOrThrow();
        assert.deepEqual(loaded.org, await db.selectFrom('orgs').selectAll().where('id', '=', loaded.link.org_id).executeTakeFirstOrThrow());
        assert.deepEqual(loaded.shipment, await db.selectFrom('shipments').selectAll().where('id', '=', loaded.link.shipment_id).executeTakeFirstOrThrow());
        assert.deepEqual(loaded.link, storedLink);
        assert.deepEqual(Object.keys(loaded.link), Object.keys(storedLink), 'the link row keeps its columns in the table order');
      }
      assert.equal(sqls.length, 2);
      assert.equal(sqls[0].match(/"orgs"/g)?.length, 1, 'orgs appears once in the load');
      assert.equal(sqls[0].match(/"shipments"/g)?.length, 1, 'shipments appears once in the load');
    });

    it("writes the links' state into the load's SQL, not as a parameter", async () => {
      // Partial indexes of tracking_links are on state = 'active': bound, that value made SQLite
      // plan the ~900-node load again at every run (one link's load took 5-9 times as long).
      const { repo, sqls } = recordingRepository(ctx());
      const { page } = await richShipment();
      assert.ok(await repo.loadBySlug(page.split('/')[2]));
      assert.equal(sqls.length, 1);
      assert.match(sqls[0], /"l"\."state" = 'active'/);
    });

    it('loads the newest PUBLIC_CHANGES stage and status changes, with the LIMIT written into the SQL', async () => {
      // Bound as a parameter, the LIMIT of this correlated subquery made SQLite run the whole load
      // about 9x slower (652 us against 72 us per load of the bench's shape).
      const { repo, sqls } = recordingRepository(ctx());
      const { page } = await richShipment();
      const slug = page.split('/')[2];
      const link = await ctx().store.db.selectFrom('tracking_links').select(['org_id', 'shipment_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
      const start = Date.now() - 10 * 86_400_000;
      const rows = Array.from({ length: PUBLIC_CHANGES + 5 }, (_, i) => ({
        id: randomUUID(),
        org_id: link.org_id,
        shipment_id: link.shipment_id,
        type: i % 2 ? ('status_changed' as const) : ('stage_changed' as const),
        data: JSON.stringify(i % 2 ? { from: 'planned', to: 'in_transit' } : { from: 0, to: 1 }),
        occurred_at: start + i * 60_000,
        created_at: start + i * 60_000,
      }));
      await ctx().store.db.insertInto('shipment_events').values(rows).execute();
      const loaded = await repo.loadBySlug(slug);
      assert.ok(loaded);
      assert.equal(loaded.changes.length, PUBLIC_CHANGES);
      assert.equal(loaded.changes[0].occurred_at, start + (PUBLIC_CHANGES + 4) * 60_000, 'the newest first');
      assert.equal(loaded.changes.at(-1)?.occurred_at, start + 5 * 60_000, 'the oldest five left out');
      assert.match(sqls[0], new RegExp(`limit ${PUBLIC_CHANGES}\\)`), 'the LIMIT is in the SQL');
      assert.doesNotMatch(sqls[0], /limit \?/i, 'no LIMIT is bound');
    });

    it('builds the re-check query once per batch shape, and reads the versions the loads carry', async () => {
      // Every batch of 2 s re-checks runs it; building it with Kysely cost more than running it.
      const { built, counting } = builtQueries();
      const repo = new LinksRepository(ctx().store.db.withPlugin(counting), ctx().store.dialect);
      const publicRepo = new PublicLinkRepository(ctx().store.db, ctx().store.dialect);
      const loaded = [];
      for (let i = 0; i < 3; i++) {
        const org = await ctx().newOrg();
        const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
        const slug = new URL((await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body.url).pathname.split('/')[2];
        if (i === 0) {
          // Sources are part of the version (one attached, one detached): SQL and the load agree on them.
          for (const name of ['Phone', 'Tracker']) {
            const device = (await org.api.post('/api/v1/devices', { name })).body.id as string;
            const source = await org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device, layer: 'tracker' });
            assert.equal(source.status, 201, source.text);
            if (name === 'Tracker') assert.equal((await org.api.delete(`/api/v1/shipments/${s.id}/sources/${source.body.id}`)).status, 204);
          }
        }
        const l = await publicRepo.loadBySlug(slug);
        assert.ok(l);
        loaded.push(l);
      }
      const keys = loaded.map((l) => ({ orgId: l.org.id, linkId: l.link.id, shipmentId: l.shipment.id }));
      const expected = loaded.map((l) => linkVersion(l.link, l.shipment, l.org, sourcesVersion(l.sources)));
      assert.match(expected[0], /\|2:1:\d+:\d+$/, 'two sources, one detached');
      // Another org's key for a real link reads nothing.
      const foreign = { ...keys[0], orgId: keys[1].orgId };
      assert.deepEqual(await repo.versionsOf(keys), expected);
      assert.deepEqual(await repo.versionsOf([keys[2], foreign, keys[0]]), [expected[2], null, expected[0]]);
      assert.deepEqual(await repo.versionsOf([...keys, foreign]), [...expected, null]);
      assert.deepEqual(await repo.versionsOf([keys[1]]), [expected[1]]);
      assert.deepEqual(await repo.versionsOf([keys[1], keys[0]]), [expected[1], expected[0]]);
      // Batches of 3, 3 and 4 share one shape (4), then 1 and 2: three builds (old code: five).
      assert.equal(built.filter((k) => k === 'SelectQueryNode').length, 3, `query kinds built: ${built.join(', ')}`);
      assert.equal(built.length, 3 + 5, 'each batch still runs through the plugins');
    });

    it('loads the first visits of different links arriving together in one query, each link its own', async () => {
      // A rotation over thousands of links is mostly first visits: one query each, with its run
      // through Kysely and the store's wrappers, was most of what a first visit cost beyond the render.
      const { repo, sqls } = recordingRepository(ctx());
      const resolver = new PublicLinkResolver(ctx().repos.links, repo, new LinkEvents());
      const links = [];
      for (let i = 0; i < 3; i++) {
        const org = await ctx().newOrg();
        const s = (await org.api.post('/api/v1/shipments', consignmentBody({ title: `Batch ${i}` }))).body;
        const slug = new URL((await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body.url).pathname.split('/')[2];
        links.push({ slug, shipmentId: s.id as string });
      }
      const unknown = 'B'.repeat(24);
      const resolved = await Promise.all([...links.map((l) => resolver.resolve(l.slug)), resolver.resolve(unknown), resolver.resolve(links[0].slug)]);
      assert.equal(sqls.length, 1, 'one load for the five first visits');
      assert.deepEqual(
        resolved.map((r) => (r.state === 'ok' ? [r.link.slug, r.shipment.id, r.shipment.title] : r.state)),
        [...links.map((l, i) => [l.slug, l.shipmentId, `Batch ${i}`]), 'not_found', [links[0].slug, links[0].shipmentId, 'Batch 0']],
      );
      assert.deepEqual(resolver.cacheStats, { hits: 0, misses: 5, loads: 4 }, 'the same link asked twice is loaded once');
      // Another turn is another query; what the first cached is not loaded again.
      await Promise.all(links.map((l) => resolver.resolve(l.slug)));
      assert.equal(sqls.length, 1);
      // A batch past the limit is split, each part one query.
      const many = Array.from({ length: MAX_LOAD_BATCH + 1 }, (_, i) => `${'C'.repeat(20)}${String(i).padStart(4, '0')}`);
      assert.deepEqual(await Promise.all(many.map((slug) => resolver.resolve(slug))), many.map(() => ({ state: 'not_found' })));
      assert.equal(sqls.length, 3);
    });

    it('shows a device attached after the link was cached at once, with its position', async () => {
      const org = await ctx().newOrg();
      const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit', stops: [], segments: [] }))).body;
      const path = new URL((await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body.url).pathname;
      await settle();
      assert.deepEqual((await ctx().anon.get(`${path}/data`)).body.positions, []);
      const device = (await org.api.post('/api/v1/devices', { name: 'Late tag' })).body;
      assert.equal((await org.api.post('/api/v1/positions', { positions: [{ device_id: device.id, recorded_at: new Date().toISOString(), lat: 51.5, lon: 4.5 }] })).status, 200);
      assert.equal((await org.api.post(`/api/v1/shipments/${s.id}/sources`, { device_id: device.id, layer: 'tracker', from: new Date(Date.now() - 60_000).toISOString() })).status, 201);
      const after = (await ctx().anon.get(`${path}/data`)).body.positions;
      assert.deepEqual(after.map((p: { layer: string; lat: number }) => [p.layer, p.lat]), [['tracker', 51.5]]);
    });
  },
  { METRICS_TOKEN: TOKEN },
);
