import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { describeStores, type TestOrg } from '../../../test/helpers/context.js';
import { consignmentBody, PNG } from '../../../test/helpers/fixtures.js';
import { attachTrack } from '../../../test/helpers/tracks.js';
import { cityMinZoom } from './basemap.js';

async function linkFor(org: TestOrg, body: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
  const s = (await org.api.post('/api/v1/shipments', consignmentBody(body))).body;
  const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options })).body;
  return { s, link, path: new URL(link.url).pathname };
}

await describeStores(
  'public tracking page',
  (ctx) => {
    it('serves the page with strict privacy headers and no inline script, style or third-party URL', async () => {
      const org = await ctx().newOrg();
      const { s, path } = await linkFor(org, { segments: [] });
      // A position, so the page has its map (a link without one shows a note instead).
      await attachTrack(ctx(), org, s.id, 'tracker', [[52.0, 4.7, Date.now() - 60_000]]);
      const r = await ctx().anon.get(path);
      assert.equal(r.status, 200);
      assert.equal(r.headers['referrer-policy'], 'no-referrer');
      assert.equal(r.headers['x-robots-tag'], 'noindex, nofollow');
      assert.equal(r.headers['cache-control'], 'private, no-store');
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
      // The per-IP budget is not advertised on ordinary replies (only Retry-After on a 429).
      assert.equal(r.headers['x-ratelimit-remaining'], undefined);
      assert.doesNotMatch(r.text, /<script(?![^>]*(src="\/assets\/public\/|type="application\/json"))/);
      assert.doesNotMatch(r.text, /style=|<style/);
      assert.doesNotMatch(r.text, /(src|href)="https?:/);
      assert.doesNotMatch(r.text, /data-tiles/, 'TILE_URL=off: no tile layer');
      assert.match(r.text, /<p class="map-credit">GeoNames<\/p>/, 'the base map\'s place names credited');
      assert.match(r.text, /<script defer src="\/assets\/public\/basemap\.[0-9a-f]{12}\.js"><\/script>/);
      assert.match(r.text, /<main id="main"/);
      assert.match(r.text, /<header class="org" role="banner">/);
      for (const h of ['/data', '/history']) {
        const x = await ctx().anon.get(`${path}${h}`);
        assert.equal(x.headers['x-robots-tag'], 'noindex, nofollow', h);
        assert.equal(x.headers['cache-control'], 'private, no-store', h);
      }
    });

    it('shows the shipment reference for the recipient to quote, unless the link switches it off', async () => {
      const org = await ctx().newOrg({ country: 'GB' });
      const shown = await linkFor(org, { reference: 'ORD-QUOTE-1' });
      const html = (await ctx().anon.get(shown.path)).text;
      assert.match(html, /<p class="reference">Reference: <strong>ORD-QUOTE-1<\/strong><\/p>/);
      assert.equal((await ctx().anon.get(`${shown.path}/data`)).body.reference, 'ORD-QUOTE-1');
      const hidden = await linkFor(org, { reference: 'ORD-QUOTE-2' }, { reference: false });
      assert.doesNotMatch((await ctx().anon.get(hidden.path)).text, /ORD-QUOTE-2/);
      assert.doesNotMatch((await ctx().anon.get(`${hidden.path}/data`)).text, /ORD-QUOTE-2/);
    });

    it('works without JavaScript: title, status, ETA, stops and cargo are in the HTML', async () => {
      const org = await ctx().newOrg({ country: 'GB' });
      const { path } = await linkFor(org, { title: 'Tiles for the new shop' }, { stop_references: true });
      const html = (await ctx().anon.get(path, { 'accept-language': 'en-GB' })).text;
      assert.match(html, /Tiles for the new shop/);
      assert.match(html, /Planned/);
      assert.match(html, /Estimated arrival/);
      assert.match(html, /PU-1/);
      assert.match(html, /Pallets of tiles/);
      assert.match(html, /Booked/);
      assert.match(html, /aria-current="step"/);
    });

    it('says "Live tracking" only over a shipment under way with a position on its map, else "Shipment tracking"', async () => {
      const org = await ctx().newOrg({ country: 'GB' });
      const kicker = async (path: string) => /<p class="kicker">([^<]*)<\/p>/.exec((await ctx().anon.get(path)).text)?.[1];
      // attachTrack writes rows directly (no live bus): each link's positions go in before its first visit.
      const withPosition = async (body: Record<string, unknown>) => {
        const l = await linkFor(org, body);
        await attachTrack(ctx(), org, l.s.id, 'tracker', [[52.0, 4.7, Date.now() - 60_000]]);
        return l;
      };
      assert.equal(await kicker((await linkFor(org)).path), 'Shipment tracking', 'planned, no position');
      assert.equal(await kicker((await withPosition({})).path), 'Shipment tracking', 'planned, with a position');
      assert.equal(await kicker((await linkFor(org, { status: 'in_transit' })).path), 'Shipment tracking', 'under way, no position yet');
      const moving = await withPosition({ status: 'in_transit' });
      assert.equal(await kicker(moving.path), 'Live tracking', 'under way, with a position');
      assert.equal((await org.api.patch(`/api/v1/shipments/${moving.s.id}`, { status: 'delivered' })).status, 200);
      assert.equal(await kicker(moving.path), 'Shipment tracking', 'delivered');
    });

    it('speaks the visitor language when we have it, else the org language, with the org time zone', async () => {
      const org = await ctx().newOrg({ country: 'DE' });
      const { path } = await linkFor(org);
      const de = (await ctx().anon.get(path)).text;
      assert.match(de, /<html lang="de">/);
      assert.match(de, /Voraussichtliche Ankunft/);
      assert.match(de, /MEZ|GMT\+1|CET/, 'times are shown in Berlin time');
      const fr = (await ctx().anon.get(path, { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' })).text;
      assert.match(fr, /<html lang="fr">/);
      assert.match(fr, /Arrivée estimée/);
      const es = (await ctx().anon.get(path, { 'accept-language': 'es' })).text;
      assert.match(es, /Llegada estimada/);
      const nl = (await ctx().anon.get(path, { 'accept-language': 'nl-BE' })).text;
      assert.match(nl, /Verwachte aankomst/);
      const ja = (await ctx().anon.get(path, { 'accept-language': 'ja' })).text;
      assert.match(ja, /<html lang="de">/, 'a language we lack falls back to the org language');
    });

    it('gives /data the same content as the page, from the same visibility', async () => {
      const org = await ctx().newOrg();
      const { path } = await linkFor(org, {}, { cargo: false, customer_reference: true });
      const d = await ctx().anon.get(`${path}/data`);
      assert.equal(d.status, 200);
      assert.equal(d.body.cargo, undefined);
      assert.equal(d.body.customer_reference, 'PO-88');
      assert.equal(d.body.internal, undefined);
      assert.ok(Array.isArray(d.body.positions));
      assert.deepEqual(d.body.map.layers, ['driver', 'cargo', 'tracker']);
      const html = (await ctx().anon.get(path)).text;
      assert.doesNotMatch(html, /Pallets of tiles/);
      assert.match(html, /PO-88/);
    });

    it('answers a 150-character slug with the same 404 on the page, its JSON, history, live stream and proof of delivery', async () => {
      const slug = 'a'.repeat(150);
      const page = await ctx().anon.get(`/t/${slug}`);
      assert.equal(page.status, 404);
      const unknown = await ctx().anon.get(`/t/${'b'.repeat(24)}/data`);
      for (const tail of ['/data', '/history', '/events', '/pod.pdf']) {
        const r = await ctx().anon.get(`/t/${slug}${tail}`);
        assert.equal(r.status, 404, `${tail}: ${r.text}`);
        assert.equal(r.text, unknown.text, tail);
      }
    });

    it('answers /t/<150 chars> and /t/<150 chars>/history exactly as an unknown link: the one 404 page, the one 404 body, the same headers', async () => {
      const long = 'a'.repeat(150);
      const unknown = randomBytes(18).toString('base64url');
      // Headers a client sees, minus those that differ per request.
      const stable = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !/^(date|x-request-id|x-ratelimit-.*|connection|keep-alive)$/.test(k)));
      for (const tail of ['', '/history']) {
        const a = await ctx().anon.get(`/t/${long}${tail}`);
        const b = await ctx().anon.get(`/t/${unknown}${tail}`);
        assert.equal(a.status, 404, `${tail}: ${a.text}`);
        assert.equal(b.status, 404, `${tail}: ${b.text}`);
        assert.equal(a.text, b.text, tail);
        assert.deepEqual(stable(a.headers), stable(b.headers), tail);
      }
      const page = await ctx().anon.get(`/t/${long}`);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.equal(page.headers.vary, 'accept-language');
      assert.equal(page.headers['cache-control'], 'private, no-store');
      assert.match(page.text, /Link not available/);
      const history = await ctx().anon.get(`/t/${long}/history`);
      assert.deepEqual(history.body, { error: { code: 'not_found', message: 'Link not available' } });
    });

    it('answers 10,000 random slugs and every unavailable link (revoked, deleted shipment, sharing off, expired and revoked) with one and the same 404 body', async () => {
      const org = await ctx().newOrg({ name: 'Unavailable Haulage' });
      const { link } = await linkFor(org);
      await org.api.post(`/api/v1/links/${link.id}/revoke`);
      const deleted = await linkFor(org);
      assert.equal((await org.api.delete(`/api/v1/shipments/${deleted.s.id}`)).status, 204);
      const expiredRevoked = await linkFor(org);
      await org.api.patch(`/api/v1/links/${expiredRevoked.link.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
      await org.api.post(`/api/v1/links/${expiredRevoked.link.id}/revoke`);
      const unshared = await ctx().newOrg({ name: 'Unshared Haulage' });
      const off = await linkFor(unshared);
      const expiredOff = await linkFor(unshared);
      await unshared.api.patch(`/api/v1/links/${expiredOff.link.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
      assert.equal((await unshared.api.patch('/api/v1/org', { sharing_enabled: false })).status, 200);
      const bodies = new Set<string>();
      const statuses = new Set<number>();
      const slugs = [link.slug, deleted.link.slug, expiredRevoked.link.slug, off.link.slug, expiredOff.link.slug];
      for (let i = 0; i < 10_000; i++) {
        const len = [24, 24, 24, 22, 32, 8, 64][i % 7];
        slugs.push(randomBytes(48).toString('base64url').slice(0, len));
      }
      for (let i = 0; i < slugs.length; i += 50) {
        const rs = await Promise.all(slugs.slice(i, i + 50).map((s) => ctx().anon.get(`/t/${s}`)));
        for (const r of rs) {
          bodies.add(r.text);
          statuses.add(r.status);
        }
      }
      assert.deepEqual([...statuses], [404]);
      assert.equal(bodies.size, 1);
      assert.match([...bodies][0], /Link not available/);
      assert.doesNotMatch([...bodies][0], /Haulage/, 'nothing of the org');
    });

    it("brands the expired (410) page with the org's name, logo and colour, in its language", async () => {
      const org = await ctx().newOrg({ name: 'Expired & Sons Logistics', country: 'DE' });
      assert.equal((await org.api.patch('/api/v1/org', { brand_color: '#7b1fa2' })).status, 200);
      const plain = await linkFor(org, {}, {});
      await org.api.patch(`/api/v1/links/${plain.link.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
      const before = await ctx().anon.get(plain.path, { 'accept-language': 'en' });
      assert.equal(before.status, 410);
      assert.match(before.text, /<span class="org-name">Expired &amp; Sons Logistics<\/span>/);
      assert.match(before.text, /This link has expired/);
      assert.match(before.text, /brand\.css\?c=7b1fa2/);
      assert.doesNotMatch(before.text, /<img class="logo"/, 'no logo uploaded yet');
      assert.match((await ctx().anon.get(plain.path)).text, /Dieser Link ist abgelaufen/, "the org's language without Accept-Language");
      const logo = await org.api.send('PUT', '/api/v1/org/logo', PNG, 'image/png');
      assert.equal(logo.status, 200, logo.text);
      const logoPath = new URL(logo.body.logo_url).pathname + new URL(logo.body.logo_url).search;
      const after = await ctx().anon.get(plain.path, { 'accept-language': 'en' });
      assert.equal(after.status, 410);
      assert.ok(after.text.includes(`<img class="logo" src="${logoPath.replace(/&/g, '&amp;')}" alt="">`), after.text);
      assert.equal((await ctx().anon.get(`${plain.path}/data`)).status, 410, 'the JSON answers stay unbranded 410s');
    });

    it('disallows /t/ in robots.txt and has no tile route with TILE_URL=off', async () => {
      const r = await ctx().anon.get('/robots.txt');
      assert.equal(r.status, 200);
      assert.match(r.text, /User-agent: \*\nDisallow: \/t\//);
      // TILE_URL=off (the test default): the bundled base map only, no tile route.
      assert.equal((await ctx().anon.get('/tiles/1/1/1.png')).status, 404);
    });
  },
  { PUBLIC_RATE_LIMIT: '1000000' },
);

describe('base map rules', () => {
  it('labels megacities on the world view, capitals at country zoom, towns of 100,000 at regional zoom', () => {
    assert.equal(cityMinZoom(20_000_000, false), 2);
    assert.equal(cityMinZoom(1_200_000, false), 5);
    assert.equal(cityMinZoom(120_000, false), 8);
    assert.equal(cityMinZoom(120_000, true), 4);
  });
});

await describeStores(
  'public page rate limit and tiles',
  (ctx) => {
    it('rate-limits a burst from one IP on /t/* with 429 and Retry-After, other IPs unaffected', async () => {
      const org = await ctx().newOrg();
      const { path } = await linkFor(org);
      const codes: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 30; i++) {
        const r = await ctx().app.inject({ method: 'GET', url: i % 2 ? `${path}/data` : `/t/unknown-slug-${i}`, remoteAddress: '203.0.113.7' });
        codes.push(r.statusCode);
        if (r.statusCode === 429) retryAfter = r.headers['retry-after'];
      }
      assert.ok(codes.slice(0, 20).every((c) => c !== 429), 'the first 20 pass');
      assert.ok(codes.slice(20).every((c) => c === 429), 'the rest are limited');
      assert.ok(Number(retryAfter) > 0);
      const other = await ctx().app.inject({ method: 'GET', url: path, remoteAddress: '203.0.113.8' });
      assert.equal(other.statusCode, 200);
      const api = await ctx().app.inject({ method: 'GET', url: '/robots.txt', remoteAddress: '203.0.113.7' });
      assert.equal(api.statusCode, 200, 'only /t/* is limited');
    });

    it('counts one IPv6 /64 as one client: a burst spread over its addresses is limited, the next /64 is not', async () => {
      const org = await ctx().newOrg();
      const { path } = await linkFor(org);
      const codes: number[] = [];
      for (let i = 1; i <= 22; i++) {
        const r = await ctx().app.inject({ method: 'GET', url: path, remoteAddress: `2001:db8:7:1:${i.toString(16)}::${i}` });
        codes.push(r.statusCode);
      }
      assert.deepEqual([...new Set(codes.slice(0, 20))], [200], 'the first 20 pass');
      assert.deepEqual(codes.slice(20), [429, 429], 'the /64 shares one budget');
      const next = await ctx().app.inject({ method: 'GET', url: path, remoteAddress: '2001:db8:7:2::1' });
      assert.equal(next.statusCode, 200, 'another /64 is another client');
    });

    it('gives percent-encoded spellings of public URLs (/%74/<slug>) the same headers and the same per-IP budget', async () => {
      const org = await ctx().newOrg();
      const { path } = await linkFor(org);
      const slug = path.slice('/t/'.length);
      const spellings = [`/%74/${slug}`, `/%74/${slug}/%64ata`, `/t/${slug}/dat%61`, `/%74/${slug}/history`];
      const codes: number[] = [];
      for (let i = 0; i < 24; i++) {
        const url = spellings[i % spellings.length];
        const r = await ctx().app.inject({ method: 'GET', url, remoteAddress: '203.0.113.9' });
        codes.push(r.statusCode);
        if (r.statusCode === 429) continue;
        assert.equal(r.statusCode, 200, url);
        assert.equal(r.headers['x-robots-tag'], 'noindex, nofollow', url);
        assert.equal(r.headers['cache-control'], 'private, no-store', url);
      }
      assert.deepEqual([codes.slice(0, 20).includes(429), [...new Set(codes.slice(20))]], [false, [429]], 'limited after 20, like the plain path');
      const plain = await ctx().app.inject({ method: 'GET', url: path, remoteAddress: '203.0.113.9' });
      assert.equal(plain.statusCode, 429, 'one budget for every spelling');
    });

    it('points the map at tiles on this server, credits the provider, and never names the upstream or its key', async () => {
      const org = await ctx().newOrg();
      const { s, path } = await linkFor(org, { segments: [] });
      await attachTrack(ctx(), org, s.id, 'tracker', [[52.0, 4.7, Date.now() - 60_000]]);
      const r = await ctx().anon.get(path);
      assert.match(r.text, /data-tiles="\/tiles\/\{z\}\/\{x\}\/\{y\}\.png" data-max-zoom="19"/);
      assert.match(r.text, /<p class="map-credit"><a href="https:\/\/example\.test\/copyright" target="_blank" rel="noopener noreferrer">© Example contributors<\/a> · GeoNames<\/p>/);
      assert.doesNotMatch(r.text, /tiles\.example\.test|UpstreamKey123/);
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /img-src 'self' data: blob:;/);
      assert.doesNotMatch(csp, /tiles\.example\.test/);
    });
  },
  {
    PUBLIC_RATE_LIMIT: '20',
    // Never fetched here: the page is rendered, no tile is requested.
    TILE_URL: 'https://tiles.example.test/{z}/{x}/{y}.png?key=UpstreamKey123',
    TILE_ATTRIBUTION: '© Example contributors',
    TILE_ATTRIBUTION_URL: 'https://example.test/copyright',
  },
);
