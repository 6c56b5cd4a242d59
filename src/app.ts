// buildApp: the Fastify app with every plugin and module, without listen (tests use inject()).
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import { clientKey } from './http/client-key.js';
import { clientErrorHandler, connectionsPlugin } from './http/connections.plugin.js';
import { bodyGuardPlugin } from './http/body-guard.plugin.js';
import { drainingPlugin } from './http/draining.plugin.js';
import { errorHandlerPlugin, frameworkErrorHandler, notFoundHandler } from './http/error-handler.js';
import { routeHooksPlugin } from './http/route-hooks.js';
import { COMPONENT_SCHEMAS, openapiOptions } from './http/openapi.js';
import { idempotencyPlugin } from './http/idempotency.plugin.js';
import { AccessLogController, serverLoggerOptions } from './http/log-output.js';
import { lazyChildLoggerFactory } from './http/request-logger.js';
import { replyHeaders, securityHeaders, securityHeadersPlugin, setReplyHeaders } from './http/security-headers.plugin.js';
import { validatorCompiler } from './http/validation.js';
import { AppError } from './shared/errors.js';
import { ErrorSchema } from './shared/schema.js';
import { authPlugin } from './modules/auth/auth.plugin.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { metricsPlugin } from './modules/metrics/metrics.plugin.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { orgsRoutes } from './modules/orgs/orgs.routes.js';
import { shipmentsRoutes } from './modules/shipments/shipments.routes.js';
import { linksRoutes } from './modules/links/links.routes.js';
import { adminAppRoutes } from './modules/admin-app/admin-app.routes.js';
import { publicPageRoutes } from './modules/public-page/public.routes.js';
import { templatePreviewRoutes } from './modules/public-page/preview.routes.js';
import { liveRoutes } from './modules/live/live.routes.js';
import { positionsRoutes } from './modules/positions/positions.routes.js';
import { traccarRoutes } from './modules/positions/traccar.routes.js';
import { partnersRoutes } from './modules/partners/partners.routes.js';
import { tilesRoutes } from './modules/tiles/tiles.routes.js';
import type { Services } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    config: Config;
  }
}

export interface BuildOptions {
  /** Fastify logger options or false; defaults to config.logLevel, JSON lines or readable on a terminal (LOG_FORMAT). */
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** Requests whose access line is written at debug instead of info (the demo's own simulated truck). */
  quietRequest?: (req: FastifyRequest) => boolean;
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

// Raw file bodies; only upload routes (a `consumes` list in their schema) take them (http/body-guard).
const BINARY_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf'];

/** The security headers of every reply (helmet's, for our fixed policy): worked out once per app. */
function securityHeadersOf(config: Services['config']): Record<string, string> {
  return securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Map tiles come through /tiles on this server: no image origin but our own.
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    hsts: config.publicBaseUrl.startsWith('https:'),
    // Headers only for browsers we do not support (IE's download prompt, Flash/Acrobat
    // cross-domain policies, the XSS auditor Chrome removed in version 78): each header is
    // serialized and validated on every reply, and these protect nobody today.
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}

export async function buildApp(services: Services, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const security = replyHeaders(securityHeadersOf(config));
  const serverOptions: FastifyHttpOptions<Server> = {
    ...(opts.loggerInstance
      ? { loggerInstance: opts.loggerInstance }
      : { logger: opts.logger ?? serverLoggerOptions(config.logLevel, config.logFormat) }),
    logController: new AccessLogController(opts.quietRequest, !opts.loggerInstance),
    // A request's child logger is made only when something logs with it (http/request-logger.ts).
    childLoggerFactory: lazyChildLoggerFactory,
    // Fastify 5 turns a bare hop count into "trust nothing", which silently keyed every rate limit
    // on the proxy's address; TRUST_PROXY=N means: the socket peer and the N-1 hops before it are
    // proxies, so the client is the address the Nth proxy appended to X-Forwarded-For.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    // A request must arrive whole in time or it gets 408 and its connection closes: half-sent
    // headers and trickled bodies no longer hold sockets. Node's timers cover receiving the
    // request only, so replies (live streams, downloads) run as long as they need.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Node checks the deadlines every 30 s by default, so a 10 s deadline could mean 40 s.
      connectionsCheckingInterval: Math.max(50, Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4),
    },
    clientErrorHandler: clientErrorHandler(services.metrics),
    // Ids are uuids; a route param longer than this is never valid and is cheaper to refuse early.
    routerOptions: { maxParamLength: 200 },
    // The router's own errors reach no hook: their replies get the security (and API no-store) headers and the request id here.
    frameworkErrors: (err, req, reply) => frameworkErrorHandler(err, req, setReplyHeaders(reply, security, req.url, req.id)),
    // A caller's X-Request-Id is kept only when harmless (it reaches the logs); else a fresh uuid,
    // unique across instances unlike Fastify's per-process counter.
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && /^[\w.:-]{8,128}$/.test(sent) ? sent : randomUUID();
    },
  };
  const app = Fastify(serverOptions).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.decorate('services', services);
  app.decorate('config', config);
  for (const schema of COMPONENT_SCHEMAS) app.addSchema(schema);

  await app.register(errorHandlerPlugin);
  // First of the onRequest hooks: the ones after it may answer at once (connection limit,
  // draining, the body guard's 415), and those replies need the headers too.
  await app.register(securityHeadersPlugin, { headers: security });
  await app.register(connectionsPlugin, { maxPerIp: config.maxConnectionsPerIp, metrics: services.metrics });
  await app.register(drainingPlugin);
  // Before the plugins that give only some routes a hook (the body guard's, idempotency's).
  await app.register(routeHooksPlugin);
  await app.register(bodyGuardPlugin);
  // Cookies are read only by the API (the admin app's session, auth.plugin.ts parses them there):
  // not parsed on every public page, asset and ingest request (an object and a Map each).
  await app.register(cookie, { hook: false });
  // OsmAnd / Traccar Client may send their parameters as a form body.
  await app.register(formbody);
  // Multipart forms: registered by the upload routes' own plugins (http/uploads.ts acceptMultipart).
  app.addContentTypeParser(BINARY_TYPES, { parseAs: 'buffer', bodyLimit: config.uploadMaxBytes }, (_req, body, done) => done(null, body));

  await app.register(rateLimit, {
    global: false,
    // Our one client key (IPv6 counts per /64), not the library's default, so every per-client
    // limit agrees on who a client is and a library upgrade cannot change it.
    keyGenerator: (req) => clientKey(req.ip),
    // Limit headers only on the 429 (with Retry-After): on the public page's every reply they
    // would tell a scraper its budget and cost three headers per request.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_req, ctx) => {
      const err = new AppError('rate_limited', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`);
      return err;
    },
  });

  await app.register(swagger, openapiOptions(config));
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  await app.register(authPlugin, { auth: services.auth });
  await app.register(idempotencyPlugin, { repo: services.idempotency });
  // Any method and URL can reach it, so it runs every route-only hook, as when they were global.
  app.setNotFoundHandler(app.routeHooks.all(), notFoundHandler);

  await app.register(metricsPlugin, { metrics: services.metrics, token: config.metricsToken });
  await app.register(healthRoutes);
  await app.register(orgsRoutes);
  await app.register(authRoutes);
  await app.register(shipmentsRoutes);
  await app.register(partnersRoutes);
  await app.register(notificationsRoutes);
  await app.register(linksRoutes);
  await app.register(adminAppRoutes);
  await app.register(publicPageRoutes);
  await app.register(templatePreviewRoutes);
  await app.register(tilesRoutes);
  await app.register(positionsRoutes);
  await app.register(traccarRoutes);
  await app.register(liveRoutes);

  app.addHook('onClose', async () => {
    await services.stop();
  });
  return app as unknown as FastifyInstance;
}
