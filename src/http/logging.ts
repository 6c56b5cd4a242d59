// Log serializers that never write a tracking slug, token or API key to the logs.
const SLUG_PATH = /\/t\/[^/?#]+/g;
const SECRET_PARAMS = /([?&](?:id|deviceid|device_id|token|key|api_key|slug)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SLUG_PATH, '/t/[redacted]').replace(SECRET_PARAMS, '$1[redacted]');
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
