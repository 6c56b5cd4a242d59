// The admin app's only door to the REST API: same-origin fetch with the session cookie,
// the CSRF token on writes, and API errors turned into ApiError with per-field details.
// `client` is typed by the generated OpenAPI types (openapi-fetch): its paths, parameters,
// bodies and replies come from the served document, so a route's change is a compile error here.
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

/** Cookie + X-CSRF-Token on writes, 401 → sign-in page, for every request of `client`. */
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

/** What a `client` method resolves to. */
type Reply<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/** The reply's data, or its API error thrown as ApiError (code, message and per-field details from the server). */
export async function call<T>(pending: Reply<T>): Promise<T> {
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

/** The size of one page when `all` reads a list whole. */
export const PAGE_ALL = 500;

/**
 * Every item of a list, page after page: the lists the admin app shows whole (devices, users,
 * keys, settings) are short, and each page is one request of up to PAGE_ALL.
 * `all((cursor) => client.GET('/api/v1/devices', { params: { query: { limit: PAGE_ALL, cursor } } }))`
 */
export async function all<T>(page: (cursor: string | undefined) => Reply<{ items: T[]; next_cursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const got = await call(page(cursor));
    items.push(...got.items);
    cursor = got.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * A FormData as the body of an upload route (photos, logo, proof of delivery): openapi-fetch sends
 * FormData untouched and the browser sets the multipart boundary; the document's multipart shape
 * is `{ file }`, which a FormData holding the file is.
 */
export const multipart = (form: FormData) => form as unknown as { file: string };

/** Any thrown value as a sentence for the user. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.details.length && e.code === 'validation_failed') return `${e.message}: ${e.details.map((d) => `${d.path.replace(/^body\//, '')} ${d.message}`).join('; ')}`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
