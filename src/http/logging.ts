// Log serializers that never write a tracking slug, token or API key to the logs.
const SLUG_PATH = /\/t\/[^/?#]+/g;
// A device's OsmAnd URL carries its token as the path segment after /ingest/osmand/.
const DEVICE_TOKEN_PATH = /\/ingest\/osmand\/[^/?#]+/g;
const SECRET_PARAMS = /([?&](?:id|deviceid|device_id|token|key|api_key|slug)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SLUG_PATH, '/t/[redacted]').replace(DEVICE_TOKEN_PATH, '/ingest/osmand/[redacted]').replace(SECRET_PARAMS, '$1[redacted]');
}

export const serializers = {
  req(req: { method: string; url: string; id?: string; ip?: string; hostname?: string }) {
    return { method: req.method, url: redactUrl(req.url), id: req.id };
  },
  res(res: { statusCode: number }) {
    return { statusCode: res.statusCode };
  },
};

export const redactPaths = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

/**
 * The logger of every app: JSON lines with request ids, URLs through redactUrl, credentials
 * censored. Tests pass a file stream so the suite's redaction check sees real output.
 */
export function loggerOptions(level: string, stream?: { write(line: string): void }) {
  return { level, serializers, redact: redactPaths, ...(stream ? { stream } : {}) };
}
