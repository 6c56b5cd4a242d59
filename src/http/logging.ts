// Log serializers that never write a tracking slug, device token, device id or API key to the logs.
// What is secret is decided on the route the router matched (its template, e.g. /t/:slug/data),
// not by matching the raw URL: the router decodes '/%74/<slug>' to /t/:slug, and '?%69d=' is the
// query key 'id' to the app, so a pattern on the raw text misses both.

/** Route parameters that are credentials: a tracking link's slug, a device's token. */
const SECRET_PARAMS = new Set(['slug', 'token']);
/** Query keys that carry a credential somewhere (OsmAnd's device id, tokens, keys); compared decoded, in lower case. */
const SECRET_QUERY_KEYS = new Set(['id', 'deviceid', 'device_id', 'token', 'key', 'api_key', 'slug']);
const ROUTE_PARAM = /:([A-Za-z0-9_]+)/g;

// Only for requests no route matched (a 404 may still hold a real slug or token): patterns on
// the decoded path. The secret is the first segment that is not empty, '.' or '..': the router
// matches none of '/t//<slug>', '/t/./<slug>', so exactly those spellings reach this 404 whole.
const SKIPPED = String.raw`(?:\/+\.{1,2}(?=\/))*\/+`;
const SLUG_PATH = new RegExp(String.raw`\/t${SKIPPED}[^/?#]+`, 'gi');
// Dot segments may also stand between its two fixed segments: '/ingest/./osmand/<token>'.
const DEVICE_TOKEN_PATH = new RegExp(String.raw`\/ingest${SKIPPED}osmand${SKIPPED}[^/?#]+`, 'gi');

/** %XX sequences decoded byte by byte: never throws on malformed input, unlike decodeURIComponent. */
function decodeLoosely(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Back to printable ASCII, so a decoded %0a cannot start a forged line in a readable log. */
function printable(s: string): string {
  return s.replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A route whose path carries a credential: a tracking link's slug or a device's token. */
export function routeCarriesSecret(template: string): boolean {
  for (const m of template.matchAll(ROUTE_PARAM)) if (SECRET_PARAMS.has(m[1])) return true;
  return false;
}

/** The query with the value of every credential-like key (decoded: `%69d` is `id`) replaced. */
function redactQuery(query: string): string {
  if (!query) return '';
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq === -1) return part;
    const key = decodeLoosely(part.slice(0, eq).replace(/\+/g, ' ')).trim().toLowerCase();
    return SECRET_QUERY_KEYS.has(key) ? `${part.slice(0, eq)}=[redacted]` : part;
  });
  return `?${parts.join('&')}`;
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

/**
 * The URL as logged for a request the router matched `template` (with `params`): on a route that
 * carries a credential the path is rebuilt from the template, secret parameters redacted, so no
 * spelling of the slug or token survives; everywhere credential-like query values are redacted.
 */
export function routedUrl(template: string, params: Record<string, unknown> | undefined, url: string): string {
  const [path, query] = splitUrl(url);
  const fixed = fixedPathOf(template);
  const shown =
    fixed !== null
      ? fixed
      : routeCarriesSecret(template)
        ? template.replace(ROUTE_PARAM, (_m, name: string) => (SECRET_PARAMS.has(name) ? '[redacted]' : encodeURIComponent(String(params?.[name] ?? ''))))
        : printable(path);
  return query ? shown + printable(redactQuery(query)) : shown;
}

/**
 * Routes whose every parameter is secret (/t/:slug, /t/:slug/data, /ingest/osmand/:token) are
 * logged with the same path on every request: worked out once per route, not per request (the
 * hot public routes write an access line per request at info).
 */
const fixedPaths = new Map<string, string | null>();
function fixedPathOf(template: string): string | null {
  let fixed = fixedPaths.get(template);
  if (fixed === undefined) {
    const names = [...template.matchAll(ROUTE_PARAM)].map((m) => m[1]);
    fixed = names.length && names.every((n) => SECRET_PARAMS.has(n)) ? template.replace(ROUTE_PARAM, '[redacted]') : null;
    // Templates are the app's own routes: a bounded set.
    if (fixedPaths.size < 1000) fixedPaths.set(template, fixed);
  }
  return fixed;
}

/** The URL as logged for a request no route matched: slug- and token-shaped paths redacted after decoding. */
export function redactUrl(url: string): string {
  const [path, query] = splitUrl(url);
  const decoded = decodeLoosely(path);
  const redacted = decoded.replace(SLUG_PATH, '/t/[redacted]').replace(DEVICE_TOKEN_PATH, '/ingest/osmand/[redacted]');
  return (redacted === decoded ? printable(path) : printable(redacted)) + printable(redactQuery(query));
}

interface LoggedRequest {
  method: string;
  url: string;
  id?: string;
  /** Present on Fastify's request: the matched route (url undefined when none matched). */
  routeOptions?: { url?: string };
  params?: unknown;
}

export const serializers = {
  req(req: LoggedRequest) {
    const template = req.routeOptions?.url;
    const url = template ? routedUrl(template, req.params as Record<string, unknown> | undefined, req.url) : redactUrl(req.url);
    return { method: req.method, url, id: req.id };
  },
  res(res: { statusCode: number }) {
    return { statusCode: res.statusCode };
  },
};

export const redactPaths = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

/**
 * The logger of every app: JSON lines with request ids, URLs through the serializer above,
 * credentials censored. Tests pass a file stream so the suite's redaction check sees real output.
 */
export function loggerOptions(level: string, stream?: { write(line: string): void }) {
  return { level, serializers, redact: redactPaths, ...(stream ? { stream } : {}) };
}
