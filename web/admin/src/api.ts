// The admin app's only door to the REST API: same-origin fetch with the session cookie,
// the CSRF token on writes, and API errors turned into ApiError with per-field details.
// `client` is typed by the generated OpenAPI types (openapi-fetch): its paths, parameters,
// bodies and replies come from the served document; `api` is the older path-string helper the
// remaining pages still use, with the same cookie, CSRF and error behaviour.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/api-schema';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one form field, e.g. fieldError('body/reference'). Nested paths match their parent too. */
  field(path: string): string | undefined {
    const hit = this.details.find((d) => d.path === path || d.path.startsWith(path + '/'));
    return hit?.message;
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (t: string | null) => {
  csrfToken = t;
};

/** Called when any request answers 401, so the app can show the sign-in page. */
let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (fn: () => void) => {
  onUnauthorized = fn;
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    if (res.status === 401 && path !== '/api/v1/auth/login') onUnauthorized();
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? `Request failed (${res.status})`, err?.details ?? []);
  }
  return json as T;
}

/**
 * Every item of a list, page after page: the lists the admin app shows whole (devices, users,
 * keys, settings) are short, and each page is one request of up to 500.
 */
async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; next_cursor: string | null } = await request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  all,
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(method: 'POST' | 'PUT', path: string, form: FormData) => request<T>(method, path, form),
};

/** Cookie + X-CSRF-Token on writes, 401 → sign-in page, as `request` does for `api`. */
const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    request.headers.set('accept', 'application/json');
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && new URL(request.url).pathname !== '/api/v1/auth/login') onUnauthorized();
    return response;
  },
  onError() {
    return new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  },
};

/** The typed client: `await call(client.GET('/api/v1/shipments/{id}', { params: { path: { id } } }))`. */
export const client = createClient<paths>({ baseUrl: location.origin, credentials: 'same-origin' });
client.use(session);

/** The reply's data, or its API error thrown as ApiError (the same errors `api` throws). */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let reply: { data?: T; error?: unknown; response: Response };
  try {
    reply = await pending;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  const { data, error, response } = reply;
  if (response.ok) return data as T;
  const err = (error as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
  throw new ApiError(response.status, err?.code ?? 'http_' + response.status, err?.message ?? `Request failed (${response.status})`, err?.details ?? []);
}

export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** Any thrown value as a sentence for the user. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.details.length && e.code === 'validation_failed') return `${e.message}: ${e.details.map((d) => `${d.path.replace(/^body\//, '')} ${d.message}`).join('; ')}`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
