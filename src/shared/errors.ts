// The one error type services throw; the one error handler (http/error-handler.ts) turns it into
// the API error body, or the HTML page of a route that renders its own (the public tracking page).
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'request_timeout'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly status: number;
  /** For rate_limited: seconds until a retry may succeed (the Retry-After header). */
  retryAfterS?: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }

  static notFound(what = 'Resource'): AppError {
    return new AppError('not_found', `${what} not found`);
  }
  /** The row a lookup found, or the 404 that names what was looked for. */
  static orNotFound<T>(row: T | undefined, what: string): T {
    if (row === undefined) throw AppError.notFound(what);
    return row;
  }
  static validation(message: string, details?: ErrorDetail[]): AppError {
    return new AppError('validation_failed', message, details);
  }
  static forbidden(message = 'Your role does not allow this'): AppError {
    return new AppError('forbidden', message);
  }
  static conflict(message: string, details?: ErrorDetail[]): AppError {
    return new AppError('conflict', message, details);
  }
  static rateLimited(message: string, retryAfterS: number): AppError {
    const err = new AppError('rate_limited', message);
    err.retryAfterS = retryAfterS;
    return err;
  }
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: details && details.length ? { code, message, details } : { code, message } };
}
