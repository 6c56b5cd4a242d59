// The per-request side of logging, kept cheap for the hot public routes (issue 19 item 2): a
// request's logger is made only if something logs with it, and its access line is written as one
// string instead of going through pino's object serialization and redaction.
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import pino from 'pino';
import { serializers } from './logging.js';

type Bindings = Record<string, unknown>;
type ChildOptions = { level?: string; serializers?: Record<string, (value: unknown) => unknown> };
type LogMethod = (...args: unknown[]) => void;
const METHODS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type MethodName = (typeof METHODS)[number];

/** Pino's numeric levels (trace 10 … fatal 60, silent Infinity) as the parent logger knows them. */
function levelValue(logger: FastifyBaseLogger, level: string): number {
  const values = (logger as unknown as { levels?: { values?: Record<string, number> } }).levels?.values;
  return values?.[level] ?? (level === 'silent' ? Infinity : 30);
}

/**
 * A request's logger, made on first use. Fastify makes a pino child per request (its bindings
 * serialized into a new logger object) whether or not anything logs with it; a hot public page
 * logs nothing but its access line, which does not need one (accessLine below). The real child,
 * made with the same bindings and options when a line is logged at an enabled level, writes
 * exactly what the eager one did.
 */
export class LazyRequestLogger {
  private real: FastifyBaseLogger | null = null;
  /** The lowest level written (route `logLevel` included), as a number. */
  readonly levelVal: number;

  constructor(
    readonly parent: FastifyBaseLogger,
    readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {
    this.levelVal = levelValue(parent, options.level ?? parent.level);
  }

  /** The pino child of this request, made once. */
  child(bindings: Bindings = {}, options?: ChildOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  logger(): FastifyBaseLogger {
    if (!this.real) this.real = this.parent.child(this.bindings, this.options);
    return this.real;
  }

  get level(): string {
    return this.real ? this.real.level : (this.options.level ?? this.parent.level);
  }

  set level(level: string) {
    this.logger().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return levelValue(this.parent, level) >= this.levelVal;
  }

  silent(): void {}
}
export interface LazyRequestLogger extends Record<MethodName, LogMethod> {}

for (const name of METHODS) {
  Object.defineProperty(LazyRequestLogger.prototype, name, {
    value: function (this: LazyRequestLogger, ...args: unknown[]) {
      // A disabled level costs neither a child logger nor pino's own check.
      if (levelValue(this.parent, name) < this.levelVal) return;
      (this.logger()[name] as LogMethod)(...args);
    },
  });
}

/** Fastify's childLoggerFactory: every request's `request.log` (and `reply.log`) is a lazy one. */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildOptions): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}

interface PinoInternals {
  stream?: { write(line: string): unknown; [key: symbol]: unknown };
  chindings?: string;
  messageKey?: string;
}

function pinoInternals(logger: FastifyBaseLogger): PinoInternals {
  const l = logger as unknown as Record<symbol, unknown>;
  return {
    stream: l[pino.symbols.streamSym] as PinoInternals['stream'],
    chindings: l[pino.symbols.chindingsSym] as string | undefined,
    messageKey: l[pino.symbols.messageKeySym] as string | undefined,
  };
}

/** An access line's fields, copied from the request and its reply: a hijacked stream keeps only these. */
export interface AccessLine {
  /** The request logger's bindings (Fastify's `{ reqId }`). */
  bindings: Bindings;
  /** The request as serializers.req shows it (slugs and tokens redacted). */
  req: { method: string; url: string; id?: string };
  statusCode: number;
  responseTime: number;
}

/**
 * The access line of a request that completed, at `level` unless its logger's level (its route's
 * included: routes only raise it) is above, written by writeAccessLine on the app's logger.
 */
export function writeRequestAccessLine(log: LazyRequestLogger, level: 20 | 30, request: FastifyRequest, statusCode: number, responseTime: number): void {
  if (level < log.levelVal) return;
  writeAccessLine(log.parent, level, { bindings: log.bindings, req: serializers.req(request), statusCode, responseTime });
}

/**
 * Writes an access line on the app's logger `root` at `level`, if enabled: the pino line
 * `{"level","time",pid,hostname,"reqId","req":{method,url,id},"res":{statusCode},"responseTime","msg"}`,
 * built as one string and handed to the logger's own destination, so it stays in order with every
 * other line. Where pino's own path is needed (a multistream wants each line's level with it) it
 * goes through a pino child, the request already serialized. The one writer of access lines: of
 * every request (AccessLogController, log-output.ts) and of hijacked streams (released-stream.ts).
 */
export function writeAccessLine(root: FastifyBaseLogger, level: 20 | 30, line: AccessLine): void {
  if (level < levelValue(root, root.level)) return;
  const { stream, chindings, messageKey } = pinoInternals(root);
  if (!stream || stream[pino.symbols.needsMetadataGsym] || chindings === undefined || messageKey !== 'msg') {
    const fields = { req: line.req, res: { statusCode: line.statusCode }, responseTime: line.responseTime };
    const child = root.child(line.bindings);
    if (level === 20) child.debug(fields, 'request completed');
    else child.info(fields, 'request completed');
    return;
  }
  const { req } = line;
  let bound = '';
  for (const key in line.bindings) bound += `,${jsonString(key)}:${jsonValue(line.bindings[key])}`;
  stream.write(
    `{"level":${level},"time":${Date.now()}${chindings}${bound},"req":{"method":${jsonString(req.method)},"url":${jsonString(req.url)},"id":${jsonValue(req.id)}},` +
      `"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime},"msg":"request completed"}\n`,
  );
}

/**
 * What JSON.stringify escapes in a string: a quote, a backslash, control characters and unpaired
 * surrogates (any surrogate goes its way here, so a pair stays whole). Anything else it writes as
 * is, between quotes.
 */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(s), the same text, at half the cost of an access line's five calls for the
 * strings it holds (a method, a redacted URL, a request id: nothing to escape).
 */
export function jsonString(s: string): string {
  return NEEDS_ESCAPING.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function jsonValue(value: unknown): string | undefined {
  return typeof value === 'string' ? jsonString(value) : JSON.stringify(value);
}
