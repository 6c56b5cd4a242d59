// The link template's live preview in the admin app: the real public page (same renderer, same
// visibility policy) for one of the org's own shipments, under the template as it is being edited
// (query: each section 1/0, driver_position), framed by the admin app. Signed-in users only, the
// shipment looked up in the caller's org, no slug: nothing here is reachable from outside. No
// script runs in it (the admin frames it sandboxed): the map shows as its frame and legend.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../auth/auth.plugin.js';
import { AppError } from '../../shared/errors.js';
import { Id } from '../../shared/schema.js';
import { DriverPosition, SECTION_KEYS } from '../links/template.js';
import { linkPolicy } from '../links/visibility.js';
import { publicShipment } from '../links/public-view.js';
import { pickLocale } from './i18n.js';
import { renderPage } from './render.js';
import { nowMs } from '../../shared/time.js';

const Flag = Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')]));
export const PreviewQuery = Type.Object({
  shipment_id: Id,
  driver_position: Type.Optional(DriverPosition),
  ...Object.fromEntries(SECTION_KEYS.map((k) => [k, Flag])),
});

export const templatePreviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { orgs, shipments } = app.services;
  app.get('/api/v1/org/link-template/preview', { schema: { hide: true, querystring: PreviewQuery } }, async (req, reply) => {
    const actor = actorOf(req);
    const q = req.query as Record<string, string | undefined>;
    const [org, shipment] = await Promise.all([orgs.require(actor.orgId), shipments.viewFor(actor.orgId, q.shipment_id as string)]);
    if (!shipment) throw AppError.notFound('Shipment');
    // The edited template, as overrides of the saved one: the policy every link goes through.
    const options: Record<string, unknown> = {};
    for (const k of SECTION_KEYS) if (q[k] !== undefined) options[k] = q[k] === '1';
    if (q.driver_position) options.driver_position = q.driver_position;
    const policy = linkPolicy(org, shipment, options);
    const base = '/t/preview';
    // Every layer the template shows counts as reported: the preview shows the map's place on the page.
    const html = renderPage(publicShipment(shipment, org, policy, base), pickLocale(req.headers['accept-language'], org.country), { base, tiles: null, now: nowMs(), scripts: false, reported: policy.positions.layers });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      // Framed by the admin app on this origin, and by nothing else.
      .header('content-security-policy', "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
      .header('x-frame-options', 'SAMEORIGIN')
      .send(html);
  });
};
