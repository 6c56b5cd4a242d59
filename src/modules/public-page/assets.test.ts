// The public page's static assets (issue 18 item 6): content-hashed names only, cached a year as
// immutable, pre-compressed brotli and gzip chosen by Accept-Encoding. Assets do not depend on the
// store, so one store is enough here (the page itself is tested on both in public-page.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestContext, type TestContext } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { attachTrack } from '../../../test/helpers/tracks.js';
import { pickEncoding } from './assets.js';
import type { BaseTile } from './basemap-tiles.js';

const HASHED = /^\/assets\/public\/[a-z][a-z0-9-]*\.[0-9a-f]{12}\.(js|css|json)$/;

describe('public page assets', () => {
  let ctx: TestContext;
  let html = '';
  before(async () => {
    ctx = await createTestContext('sqlite');
    const org = await ctx.newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody({ status: 'in_transit' }))).body;
    // A page draws its map (and names the base map's data) only once the link has a position.
    await attachTrack(ctx, org, s.id, 'tracker', [[51.9, 4.5, Date.now() - 60_000]]);
    const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: {} })).body;
    const page = await ctx.anon.get(new URL(link.url).pathname);
    assert.equal(page.status, 200);
    html = page.text;
  });
  after(async () => {
    await ctx?.close();
  });

  const referenced = () => [...html.matchAll(/(?:src|href)="(\/assets\/public\/[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const baseMapTemplate = () => /data-basemap="([^"]*)"/.exec(html)?.[1] ?? '';
  const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });

  it('the page references only content-hashed names, and loads its scripts without blocking rendering', () => {
    const urls = referenced();
    for (const name of ['page', 'page-map', 'leaflet', 'basemap']) {
      assert.ok(urls.some((u) => u.startsWith(`/assets/public/${name}.`)), `${name} referenced: ${urls.join(' ')}`);
    }
    // brand.css?c=<colour> is addressed by its content too: the colour is the whole file.
    for (const u of urls) assert.ok(HASHED.test(u) || /^\/assets\/public\/brand\.css\?c=[0-9a-f]{6}$/.test(u), `not a hashed name: ${u}`);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length >= 3);
    for (const tag of scripts) assert.ok(/type="application\/json"/.test(tag) || /\sdefer\b|type="module"/.test(tag), `render-blocking: ${tag}`);
  });

  it('answers brotli when asked, gzip when asked, identity otherwise, with identical bytes, immutable for a year', async () => {
    const urls = referenced().filter((u) => HASHED.test(u));
    assert.ok(urls.length >= 5, urls.join(' '));
    for (const url of urls) {
      const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
      const gz = await get(url, { 'accept-encoding': 'gzip' });
      const plain = await get(url);
      const refused = await get(url, { 'accept-encoding': 'br;q=0, gzip;q=0' });
      for (const r of [br, gz, plain, refused]) {
        assert.equal(r.statusCode, 200, url);
        assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', url);
        assert.equal(r.headers.vary, 'accept-encoding', url);
        assert.equal(Number(r.headers['content-length']), r.rawPayload.length, `${url}: Content-Length is the sent body's`);
        assert.match(String(r.headers['content-type']), /^(text\/javascript|text\/css|application\/json); charset=utf-8$/);
      }
      assert.equal(br.headers['content-encoding'], 'br', url);
      assert.equal(gz.headers['content-encoding'], 'gzip', url);
      assert.equal(plain.headers['content-encoding'], undefined, url);
      assert.equal(refused.headers['content-encoding'], undefined, url);
      const bytes = plain.rawPayload;
      assert.ok(brotliDecompressSync(br.rawPayload).equals(bytes), `${url}: brotli decodes to the same bytes`);
      assert.ok(gunzipSync(gz.rawPayload).equals(bytes), `${url}: gzip decodes to the same bytes`);
      assert.ok(refused.rawPayload.equals(bytes));
      // An ES module imports its siblings by their hashed names too (a stale import would be a 404).
      for (const m of bytes.toString().matchAll(/\bfrom\s*['"]([^'"]+)['"]/g)) assert.match(m[1], /^\.\/[a-z][a-z0-9-]*\.[0-9a-f]{12}\.js$/, `${url} imports ${m[1]}`);
      if (bytes.length > 10_000) assert.ok(br.rawPayload.length * 3 < bytes.length, `${url}: ${br.rawPayload.length} of ${bytes.length} bytes`);
    }
  });

  it('an unhashed, old or unknown name is a 404', async () => {
    const page = referenced().find((u) => u.startsWith('/assets/public/page.'))!;
    const stale = page.replace(/\.[0-9a-f]{12}\./, '.000000000000.');
    for (const url of ['/assets/public/page.js', '/assets/public/leaflet.js', '/assets/public/basemap.json', '/assets/public/basemap.js', stale, '/assets/public/nope.js', '/assets/public/..%2fassets.ts']) {
      const r = await get(url, { 'accept-encoding': 'br' });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().error.code, 'not_found', url);
    }
  });

  it('the base map comes as tiles of data: Natural Earth land and borders, the cities of the demo route, by zoom, immutable', async () => {
    const template = baseMapTemplate();
    assert.match(template, /^\/assets\/public\/basemap\/[0-9a-f]{12}\/\{z\}\/\{x\}\/\{y\}\.json$/);
    const tile = async (z: number, x: number, y: number) => {
      const url = template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
      const br = await get(url, { 'accept-encoding': 'br' });
      const gz = await get(url, { 'accept-encoding': 'gzip' });
      const plain = await get(url);
      for (const r of [br, gz, plain]) {
        assert.equal(r.statusCode, 200, url);
        assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      }
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload) && gunzipSync(gz.rawPayload).equals(plain.rawPayload));
      return plain.json() as BaseTile;
    };
    // The Netherlands at regional zoom (z8 131/84 holds Rotterdam, Utrecht and Amsterdam).
    const nl = await tile(8, 131, 84);
    const names = nl.cities.map((c) => c[2]);
    for (const city of ['Rotterdam', 'Utrecht', 'Amsterdam']) assert.ok(names.includes(city), names.join(', '));
    assert.ok(nl.land.length >= 1, 'land');
    // Every point within the tile and its few pixels of margin: the cut edges are off the canvas.
    for (const ring of [...nl.land, ...nl.borders]) for (const v of ring) assert.ok(v >= -4 && v <= 260, `point ${v} in the tile`);
    // Western Europe at country zoom: coasts and borders, capitals labelled, not every town.
    const europe = await tile(4, 8, 5);
    assert.ok(europe.land.length > 5 && europe.borders.length > 5, `${europe.land.length} rings, ${europe.borders.length} borders`);
    assert.ok(europe.cities.some((c) => c[2] === 'Paris') && !europe.cities.some((c) => c[2] === 'Utrecht'));
    // The world in one tile stays small.
    const world = await get(template.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0'), { 'accept-encoding': 'br' });
    assert.ok(world.rawPayload.length < 30_000, `world tile: ${world.rawPayload.length} bytes`);
    // Off the grid, or another version of the data: 404.
    const version = /basemap\/([0-9a-f]{12})\//.exec(template)![1];
    for (const url of ['/assets/public/basemap/' + version + '/2/4/0.json', '/assets/public/basemap/' + version + '/20/0/0.json', '/assets/public/basemap/' + version + '/1/0/x.json', '/assets/public/basemap/000000000000/1/0/0.json']) {
      const r = await get(url);
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().error.code, 'not_found', url);
    }
  });

  it('brand.css is addressed by its colour, immutable too', async () => {
    const r = await get('/assets/public/brand.css?c=FF0000');
    assert.equal(r.body, ':root{--brand:#ff0000}\n');
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('sends brotli, else gzip, else nothing, honouring q=0', () => {
    assert.equal(pickEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(pickEncoding('gzip;q=1.0, br;q=0'), 'gzip');
    assert.equal(pickEncoding('deflate'), null);
    assert.equal(pickEncoding(undefined), null);
  });
});
