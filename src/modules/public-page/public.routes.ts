// The public, no-login side: /t/:slug (page), /data (JSON), photos and proof of delivery through
// the link, static assets and /robots.txt. Every /t/* request is rate-limited per client IP and
// marked noindex; what is shown comes only from the link's policy (publicLinks.resolve, visibility.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { AppError } from '../../shared/errors.js';
import { LinkUnavailable, type ResolvedLink } from '../links/links.service.js';
import { publicOrg, publicShipment } from '../links/public-view.js';
import { photoIsPublic } from '../links/visibility.js';
import { BASEMAP_PREFIX, baseMapTilesVersion, IMMUTABLE, pickEncoding, publicAssets } from './assets.js';
import { encodedBaseTile, isTile } from './basemap-tiles.js';
import { pickLocale } from './i18n.js';
import { AssetParams, BaseTileParams, BrandQuery, PhotoParams, PublicDataSchema, publicErrors, SlugParams } from './public.schema.js';
import { fileReply, IMAGE_TYPES, readyJson } from '../../shared/schema.js';
import { Type } from '@sinclair/typebox';
import { dataBody, dataHead } from './data-json.js';
import { htmlVariant, PageCache } from './page-cache.js';
import { pageParts, renderState } from './render.js';
import { TILE_PATH } from '../tiles/tiles.schema.js';
import { nowMs } from '../../shared/time.js';
import { extensionOf } from '../../shared/files.js';
import { LAYERS } from '../positions/positions.contract.js';

const NO_STORE = 'private, no-store';
/** A route template of the public side (the tracking page and everything below it). */
export const isPublicPath = (template: string) => template.startsWith('/t/');
const NO_POSITIONS: readonly never[] = Object.freeze([]);
const REFRESH_HEADER = 'x-tracklink-refresh';

const publicPlugin: FastifyPluginAsyncTypebox = async (app) => {
  const { publicLinks, shipments, config } = app.services;
  const limiter = app.rateLimit({ max: config.publicRateLimit, timeWindow: 60_000 });
  const pages = new PageCache();
  const tiles = config.tileUrl
    ? { url: TILE_PATH, maxZoom: config.tileMaxZoom, attribution: config.tileAttribution, attributionUrl: config.tileAttributionUrl }
    : null;

  // A listening server lists its assets (compressing them in the background) and builds the base
  // map's data before the first visitor's map asks for it.
  app.addHook('onListen', async () => {
    for (const a of publicAssets().byName.values()) void a.body().catch((err: unknown) => app.log.error({ err }, 'preparing a public asset failed'));
  });

  // Every route under /t/ is public: rate-limited per IP, never indexed, never cached. Decided on
  // the route as it is registered, not on the URL a request spells: the router sends '/%74/<slug>'
  // to /t/:slug too, and it must get the same. Global (fastify-plugin) so it also covers the
  // /t/:slug/history and /events routes of live, registered later; no cost on any other route.
  const publicRoute = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    reply.header('x-robots-tag', 'noindex, nofollow');
    reply.header('cache-control', NO_STORE);
    limiter.call(app, req, reply).then(() => done(), done);
  };
  app.addHook('onRoute', (route) => {
    if (!isPublicPath(route.url)) return;
    const own = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
    route.onRequest = [publicRoute, ...own];
  });

  /**
   * The page's LinkUnavailable as HTML (the error handler sends it with the error's status): the
   * same 404 page for every unavailable link, in the visitor's language; an expired link's 410
   * page is the org's. Any other error is the JSON body.
   */
  const unavailablePage = (err: AppError, req: FastifyRequest, reply: FastifyReply): string | null => {
    if (!(err instanceof LinkUnavailable)) return null;
    reply.header('vary', 'accept-language');
    return err.org
      ? renderState('expired', pickLocale(req.headers['accept-language'], err.org.country), publicOrg(err.org))
      : renderState('not_found', pickLocale(req.headers['accept-language'], null));
  };

  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send('User-agent: *\nDisallow: /t/\n'),
  );

  app.get('/assets/public/brand.css', { schema: { hide: true, querystring: BrandQuery } }, async (req, reply) => {
    // The URL is the content (the colour is in it): as immutable as a hashed name.
    const valid = req.query.c && /^[0-9a-fA-F]{6}$/.test(req.query.c);
    const c = valid ? req.query.c! : '146eb4';
    return reply.type('text/css; charset=utf-8').header('cache-control', valid ? IMMUTABLE : 'public, max-age=86400').send(`:root{--brand:#${c.toLowerCase()}}\n`);
  });

  // Content-hashed names only (assets.ts): a year in any cache, never revalidated; an old or
  // unknown name is a 404. Sent pre-compressed as the browser accepts.
  app.get('/assets/public/:file', { schema: { hide: true, params: AssetParams } }, async (req, reply) => {
    const asset = publicAssets().byHashed.get(req.params.file);
    if (!asset) throw new AppError('not_found', 'Not found');
    const body = await asset.body();
    const encoding = pickEncoding(req.headers['accept-encoding']);
    if (encoding) reply.header('content-encoding', encoding);
    const bytes = encoding ? body[encoding] : body.identity;
    return reply.type(asset.type).header('cache-control', IMMUTABLE).header('vary', 'accept-encoding').header('content-length', bytes.length).send(bytes);
  });

  // The bundled base map's tiles (basemap-tiles.ts): the version in the path decides the bytes,
  // so they are immutable too; another version, or z/x/y off the grid, is a 404.
  app.get(`${BASEMAP_PREFIX}/:version/:z/:x/:file`, { schema: { hide: true, params: BaseTileParams } }, async (req, reply) => {
    const { version, z, x, file } = req.params;
    const y = /^\d{1,7}\.json$/.test(file) ? Number(file.slice(0, -5)) : NaN;
    if (version !== baseMapTilesVersion() || !/^\d{1,2}$/.test(z) || !/^\d{1,7}$/.test(x) || !isTile(Number(z), Number(x), y)) {
      throw new AppError('not_found', 'Not found');
    }
    const body = await encodedBaseTile(Number(z), Number(x), y);
    const encoding = pickEncoding(req.headers['accept-encoding']);
    if (encoding) reply.header('content-encoding', encoding);
    const bytes = encoding ? body[encoding] : body.identity;
    return reply.type('application/json; charset=utf-8').header('cache-control', IMMUTABLE).header('vary', 'accept-encoding').header('content-length', bytes.length).send(bytes);
  });

  /** The latest visible position of each layer the link shows (cached until a device moves). */
  const currentPositions = async (r: ResolvedLink) =>
    r.policy.positions.layers.length ? app.services.positions.currentPositionsCached(await app.services.positions.visibleWindows(r.policy.positions, r.shape)) : NO_POSITIONS;

  app.get('/t/:slug', { schema: { hide: true, params: SlugParams }, config: { htmlError: unavailablePage } }, async (req, reply) => {
    const r = await publicLinks.require(req.params.slug);
    const base = `/t/${req.params.slug}`;
    // Link previews (HEAD) and the page's own refreshes are not visits.
    if (req.method === 'GET' && req.headers[REFRESH_HEADER] !== '1') publicLinks.recordView(r.link);
    const locale = pages.locale(req.headers['accept-language'], r.org.country);
    // An ETA reads "arriving in 1 hr 50 min": the cached page is remade once a minute for it.
    const now = nowMs();
    const positionsNow = await currentPositions(r);
    // The map shows only layers that have reported (none: a one-line note instead of a map).
    const reported = LAYERS.filter((l) => r.policy.positions.layers.includes(l) && positionsNow.some((p) => p.layer === l));
    // Each layer's "last seen" is rendered with its time: the page is remade when one moves.
    const seen = Object.fromEntries(positionsNow.map((p) => [p.layer, p.recorded_at]));
    const variant = `${r.policy.sections.eta ? `${htmlVariant(locale)}|${Math.floor(now / 60_000)}` : htmlVariant(locale)}|${reported.map((l) => `${l}@${seen[l]}`).join(',')}`;
    const html = pages.body(r.link, variant, () =>
      pages.page(r.link, locale, { now, reported, seen }, () => pageParts(pages.view(r.link, () => publicShipment(r.shipment, r.org, r.policy, base, r.changes)), locale, { base, tiles })),
    );
    return reply.type('text/html; charset=utf-8').header('vary', 'accept-language').send(html);
  });

  app.get('/t/:slug/data', { schema: { operationId: 'getPublicData', summary: 'What a tracking link shows, as JSON', tags: ['public'], response: { 200: Type.Ref(PublicDataSchema), ...publicErrors }, params: SlugParams } }, async (req, reply) => {
    const r = await publicLinks.require(req.params.slug);
    const head = pages.body(r.link, 'json', () => dataHead(pages.view(r.link, () => publicShipment(r.shipment, r.org, r.policy, `/t/${req.params.slug}`, r.changes))));
    const positions = await currentPositions(r);
    const body = pages.withPositions(head, positions, () => dataBody(head, positions));
    return reply.type('application/json; charset=utf-8').send(readyJson(body));
  });

  app.get('/t/:slug/photos/:photoId', { schema: { operationId: 'getPublicPhoto', summary: 'A photo shown on a tracking link', tags: ['public'], response: { 200: fileReply('The photo', IMAGE_TYPES), ...publicErrors }, params: PhotoParams } }, async (req, reply) => {
    const r = await publicLinks.require(req.params.slug);
    if (!photoIsPublic(r.policy, req.params.photoId)) throw LinkUnavailable.notFound();
    const f = await shipments.photos.findFile(r.org.id, r.shipment.id, req.params.photoId);
    if (!f) throw LinkUnavailable.notFound();
    return reply.type(f.contentType).header('content-length', f.size).send(f.stream);
  });

  app.get('/t/:slug/pod.pdf', { schema: { operationId: 'getPublicProofOfDelivery', summary: 'The proof of delivery shown on a tracking link', tags: ['public'], response: { 200: fileReply('The proof of delivery', [...IMAGE_TYPES, 'application/pdf']), ...publicErrors }, params: SlugParams } }, async (req, reply) => {
    const r = await publicLinks.require(req.params.slug);
    if (!r.policy.proofOfDelivery) throw LinkUnavailable.notFound();
    const f = await shipments.findProofOfDeliveryFile(r.org.id, r.shipment.id);
    if (!f) throw LinkUnavailable.notFound();
    return reply.type(f.contentType).header('content-disposition', `attachment; filename="proof-of-delivery.${extensionOf(f.contentType)}"`).send(f.stream);
  });
};

export const publicPageRoutes = fp(publicPlugin, { name: 'public-page' });
