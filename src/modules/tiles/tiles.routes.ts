// GET /tiles/{z}/{x}/{y}.png: the public map's tiles, through this server (tiles.service.ts).
// Registered only when TILE_URL is set; rate-limited per client IP like the rest of the public side.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TileParams } from './tiles.schema.js';

export const tilesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { tiles, config } = app.services;
  if (!tiles) return;
  tiles.setLog((msg, details) => app.log.warn(details, msg));
  const limiter = app.rateLimit({ max: config.tileRateLimit, timeWindow: 60_000 });

  app.get('/tiles/:z/:x/:y.png', { schema: { hide: true, params: TileParams }, onRequest: limiter }, async (req, reply) => {
    const t = await tiles.tile(Number(req.params.z), Number(req.params.x), Number(req.params.y));
    // Tiles hold no visitor or shipment data: browsers and shared caches may keep them. An expired
    // copy served while the upstream fails is kept briefly, so the fresh one replaces it soon.
    return reply
      .type(t.contentType)
      .header('cache-control', t.fresh ? 'public, max-age=86400' : 'public, max-age=300')
      .send(t.body);
  });
};
