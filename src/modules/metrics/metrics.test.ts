import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestContext, describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { parsePrometheusText, sumOf } from '../../../test/helpers/prom-text.js';
import { Metrics } from './metrics.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

describeStores(
  'metrics',
  (ctx) => {
    const scrape = async () => {
      const r = await ctx().anon.get('/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.equal(r.status, 200, r.text);
      assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return parsePrometheusText(r.text);
    };

    it('refuses /metrics without the token or with a wrong one', async () => {
      assert.equal((await ctx().anon.get('/metrics')).status, 401);
      const wrong = await ctx().anon.get('/metrics', { authorization: 'Bearer nope' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'unauthorized');
    });

    it('serves every instrument in valid exposition format with its type', async () => {
      const families = await scrape();
      const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
      assert.equal(types.tracklink_http_requests_total, 'counter');
      assert.equal(types.tracklink_http_request_duration_seconds, 'histogram');
      assert.equal(types.tracklink_store_query_duration_seconds, 'histogram');
      assert.equal(types.tracklink_positions_ingested_total, 'counter');
      assert.equal(types.tracklink_sse_viewers, 'gauge');
      assert.equal(types.tracklink_outbox_backlog, 'gauge');
      assert.ok(families.has('tracklink_process_resident_memory_bytes'));
    });

    it('moves request and store counters with traffic, labelled by route template', async () => {
      const org = await ctx().newOrg();
      const labels = { method: 'GET', route: '/api/v1/shipments', status: '200' };
      const before = await scrape();
      for (let i = 0; i < 3; i++) assert.equal((await org.api.get('/api/v1/shipments')).status, 200);
      const after = await scrape();
      assert.equal(sumOf(after, 'tracklink_http_requests_total', labels) - sumOf(before, 'tracklink_http_requests_total', labels), 3);
      assert.equal(
        sumOf(after, 'tracklink_http_request_duration_seconds_count', { route: '/api/v1/shipments' }) -
          sumOf(before, 'tracklink_http_request_duration_seconds_count', { route: '/api/v1/shipments' }),
        3,
      );
      assert.ok(sumOf(after, 'tracklink_store_query_duration_seconds_count', { op: 'select' }) > sumOf(before, 'tracklink_store_query_duration_seconds_count', { op: 'select' }));
      // A histogram Prometheus can use: cumulative buckets, +Inf equal to the count.
      const route = { method: 'GET', route: '/api/v1/shipments' };
      const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
      const cumulative = bounds.map((le) => sumOf(after, 'tracklink_http_request_duration_seconds_bucket', { ...route, le }));
      for (let i = 1; i < cumulative.length; i++) assert.ok(cumulative[i] >= cumulative[i - 1], `bucket le=${bounds[i]} below the one before`);
      assert.equal(cumulative.at(-1), sumOf(after, 'tracklink_http_request_duration_seconds_count', route));
      assert.ok(sumOf(after, 'tracklink_http_request_duration_seconds_sum', route) > 0);
    });

    it('never puts a requested URL in a label, so slugs stay out of /metrics', async () => {
      await ctx().anon.get('/t/secretslugvalue0123456789');
      const r = await ctx().anon.get('/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.doesNotMatch(r.text, /secretslugvalue/);
    });

    it('reports what modules feed through the hooks: SSE viewers, outbox backlog, ingested positions', async () => {
      const m = ctx().services.metrics;
      m.setSseViewersSource(() => 7);
      m.setOutboxBacklogSource(async () => 4);
      const before = sumOf(await scrape(), 'tracklink_positions_ingested_total', { source: 'osmand' });
      m.countIngested(5, 'osmand');
      const families = await scrape();
      assert.equal(sumOf(families, 'tracklink_sse_viewers'), 7);
      assert.equal(sumOf(families, 'tracklink_outbox_backlog'), 4);
      assert.equal(sumOf(families, 'tracklink_positions_ingested_total', { source: 'osmand' }) - before, 5);
    });

    it('counts the queries of a link\'s first visit, the link cache\'s hits and misses, and reports the live bus', async () => {
      const org = await ctx().newOrg();
      const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
      const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
      const page = new URL(link.url).pathname;
      // On PostgreSQL the link's creation comes back through NOTIFY and drops the cached link: let
      // it arrive first (a message published now arrives after it).
      const bus = ctx().services.bus;
      const probe = `test-${Math.random()}`;
      await new Promise<void>((resolve) => {
        bus.subscribe((m) => m.type === 'ping' && m.instance === probe && resolve());
        void bus.publish({ type: 'ping', instance: probe, sentAt: 0 });
      });
      const before = await scrape();
      assert.equal((await ctx().anon.get(page)).status, 200);
      const cold = await scrape();
      const visits = (f: typeof before) => sumOf(f, 'tracklink_public_cold_visit_queries_count');
      const queries = (f: typeof before) => sumOf(f, 'tracklink_public_cold_visit_queries_sum');
      assert.equal(visits(cold) - visits(before), 1, 'the first visit is a cold visit');
      assert.ok(queries(cold) - queries(before) >= 1, 'a cold visit reads the link from the database');
      assert.equal(sumOf(cold, 'tracklink_link_cache_lookups_total', { result: 'miss' }) - sumOf(before, 'tracklink_link_cache_lookups_total', { result: 'miss' }), 1);

      assert.equal((await ctx().anon.get(`${page}/data`)).status, 200);
      const hot = await scrape();
      assert.equal(visits(hot), visits(cold), 'the second visit found the link cached');
      assert.equal(sumOf(hot, 'tracklink_link_cache_lookups_total', { result: 'hit' }) - sumOf(cold, 'tracklink_link_cache_lookups_total', { result: 'hit' }), 1);
      const ratio = sumOf(hot, 'tracklink_link_cache_hit_ratio');
      assert.ok(ratio > 0 && ratio < 1, `hit ratio ${ratio}`);

      assert.equal(sumOf(hot, 'tracklink_live_bus_connected', { bus: ctx().kind === 'postgres' ? 'postgres' : 'local' }), 1);
      assert.ok(hot.has('tracklink_live_bus_lag_seconds'));
    });

    it('answers every request with a request id, keeping a well-formed one the caller sent', async () => {
      const a = await ctx().anon.get('/healthz');
      const b = await ctx().anon.get('/healthz');
      assert.match(String(a.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
      const kept = await ctx().anon.get('/healthz', { 'x-request-id': 'lb-trace-12345678' });
      assert.equal(kept.headers['x-request-id'], 'lb-trace-12345678');
      const replaced = await ctx().anon.get('/healthz', { 'x-request-id': 'bad id with spaces\n' });
      assert.notEqual(replaced.headers['x-request-id'], 'bad id with spaces\n');
    });
  },
  { METRICS_TOKEN: TOKEN },
);

describe('metrics without METRICS_TOKEN', () => {
  it('does not expose /metrics at all', async () => {
    const ctx = await createTestContext('sqlite');
    try {
      assert.equal((await ctx.anon.get('/metrics')).status, 404);
    } finally {
      await ctx.close();
    }
  });
});

describe('cold visit queries', () => {
  /** A Metrics whose link cache reports `loads`; the histogram's count and sum read back after. */
  const setup = () => {
    const m = new Metrics({ defaultMetrics: false });
    const stats = { hits: 0, misses: 0, loads: 0 };
    m.setLinkCacheSource(() => stats);
    const observed = async () => {
      const f = parsePrometheusText((await m.render()).body);
      return [sumOf(f, 'tracklink_public_cold_visit_queries_count'), sumOf(f, 'tracklink_public_cold_visit_queries_sum')];
    };
    /** A visit that loads its link with `queries` queries. */
    const load = (queries: number) => {
      stats.loads++;
      for (let i = 0; i < queries; i++) m.observeQuery('select', 0.001);
    };
    return { m, observed, load };
  };

  it('counts the queries of a visit that loaded its link and had the process to itself', async () => {
    const { m, observed, load } = setup();
    const visit = {};
    m.requestStarted(visit, '/t/:slug/data');
    load(2);
    m.requestEnded(visit);
    assert.deepEqual(await observed(), [1, 2]);
    const hot = {};
    m.requestStarted(hot, '/t/:slug');
    m.requestEnded(hot);
    assert.deepEqual(await observed(), [1, 2], 'a visit that loaded nothing is not a cold visit');
  });

  it('leaves out a visit during which another request began, and counts the one that began last', async () => {
    const { m, observed, load } = setup();
    const [a, b, c] = [{}, {}, {}];
    m.requestStarted(a, '/t/:slug');
    m.requestStarted(b, '/t/:slug/data');
    load(3);
    m.requestEnded(a);
    m.requestEnded(b);
    assert.deepEqual(await observed(), [1, 3], 'only b had no request begin after it');
    m.requestStarted(c, '/t/:slug');
    m.requestStarted({}, '/api/v1/shipments');
    load(1);
    m.requestEnded(c);
    assert.deepEqual(await observed(), [1, 3], 'an API request began during c');
  });
});
