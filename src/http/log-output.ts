// Where the server's logs go and in which shape: JSON lines for machines (files, pipes, log
// shippers), one readable line per event on a terminal. Redaction happens before either
// (serializers and redact paths in logging.ts), so both shapes carry the same censored data.
import { createRequire } from 'node:module';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';
import type { LogFormat } from '../config.js';
import { loggerOptions } from './logging.js';
import { LineBatches } from './line-batches.js';
import { LazyRequestLogger, writeRequestAccessLine } from './request-logger.js';

interface Writable {
  write(line: string): unknown;
}
/** pino-pretty's prettyFactory: options → a synchronous JSON line → readable line function. */
type PrettyFactory = (opts: Record<string, unknown>) => (line: string) => string | undefined;

interface LoggedRequest {
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** "request completed GET /t/[redacted]/data 200 4 ms": the request fields a person reads, on one line. */
export function requestLine(log: LoggedRequest, messageKey = 'msg'): string {
  const msg = String((log as Record<string, unknown>)[messageKey] ?? '');
  const parts = [msg];
  if (log.req?.method) parts.push(`${log.req.method} ${log.req.url ?? ''}`);
  if (log.res?.statusCode) parts.push(String(log.res.statusCode));
  if (typeof log.responseTime === 'number') parts.push(`${Math.round(log.responseTime)} ms`);
  return parts.join(' ');
}

/** pino-pretty is a devDependency: present after `npm ci`, absent after `npm ci --omit=dev`. */
function loadPinoPretty(): PrettyFactory | null {
  try {
    const mod = createRequire(import.meta.url)('pino-pretty') as { prettyFactory?: PrettyFactory };
    return mod.prettyFactory ?? null;
  } catch {
    return null;
  }
}

export interface LogOutput {
  format: 'json' | 'pretty';
  /** Set for pretty output; JSON goes to stdout through pino's own destination. */
  stream?: Writable;
  /** Why the chosen format differs from the asked one, for a one-time notice. */
  notice?: string;
}

/**
 * LOG_FORMAT=auto is pretty on a terminal and JSON anywhere else; pretty without pino-pretty
 * installed falls back to JSON rather than failing to start.
 */
export function chooseLogOutput(
  format: LogFormat,
  isTTY: boolean,
  opts: { load?: () => PrettyFactory | null; destination?: Writable } = {},
): LogOutput {
  const wantPretty = format === 'pretty' || (format === 'auto' && isTTY);
  if (!wantPretty) return { format: 'json' };
  const factory = (opts.load ?? loadPinoPretty)();
  if (!factory) return { format: 'json', notice: 'pino-pretty is not installed (production install); logging JSON lines' };
  const prettify = factory({
    colorize: isTTY,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    messageFormat: (log: LoggedRequest, messageKey: string) => requestLine(log, messageKey),
  });
  const destination = opts.destination ?? process.stdout;
  // Formatted in the logging call itself (no worker thread, no stream pipeline), so log lines and
  // the demo banner written to process.stdout stay in order.
  const stream = {
    write(line: string) {
      const out = prettify(line);
      if (out) destination.write(out);
    },
  };
  return { format: 'pretty', stream };
}

/** The logger options of a serving process: redaction always, the output shape by LOG_FORMAT and stdout. */
export function serverLoggerOptions(level: string, format: LogFormat, isTTY = Boolean(process.stdout.isTTY)) {
  const out = chooseLogOutput(format, isTTY);
  if (out.notice) process.stderr.write(`tracklink: ${out.notice}\n`);
  return loggerOptions(level, out.stream ?? jsonStdout());
}

/**
 * JSON lines to stdout without waiting for each write: pino's default writes every line with a
 * blocking write(2) for every access line at info (what operators run with), which cost the hot
 * public routes a fifth of their throughput. Lines are gathered in batches of BATCH_CHARS (or
 * FLUSH_MS, when fewer arrive; line-batches.ts says why not in pino's destination), and each batch
 * is one write, handed to a libuv thread and back: one per few lines cost the hot /data route a
 * fifth of its throughput again (issue 19: 36 instead of 27 µs of CPU per request at info).
 * Lines left in a batch are written at exit.
 */
function jsonStdout(): Writable {
  const stdout = 1;
  return new LineBatches(pino.destination({ dest: stdout, sync: false, minLength: 0 }), stdout, BATCH_CHARS, FLUSH_MS);
}

/** About 56 access lines: a crash the process cannot handle (SIGKILL) loses at most these. */
export const BATCH_CHARS = 16_384;
/** The longest a line waits for others to share its write. */
export const FLUSH_MS = 100;

/**
 * One access line per request, written when the response ends: method, URL (through the
 * serializers in logging.ts), status, response time and the request id. Fastify's own controller
 * also writes an "incoming request" line as each request arrives: at info the two lines cost the
 * hot public page 16% of its throughput (0.84× of the same server at LOG_LEVEL=error, issue 19).
 * Errors are still logged as Fastify logs them (error handler, "request errored"), with the id.
 *
 * `quiet` requests (the demo's simulated truck, one every 3 s) get their line at debug instead
 * of info, so they do not bury what a person starting the demo needs to read. Errors stay errors.
 */
export class AccessLogController extends LogController {
  constructor(
    private readonly quiet?: (req: FastifyRequest) => boolean,
    /** False for a logger the app did not configure (its formatters could shape lines differently). */
    private readonly directLines = true,
  ) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    const quiet = this.quiet?.(request) ?? false;
    // The same line pino would write, as one string (request-logger.ts); through pino otherwise.
    const log = reply.log;
    if (this.directLines && log instanceof LazyRequestLogger) return writeRequestAccessLine(log, quiet ? 20 : 30, request, reply.statusCode, reply.elapsedTime);
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (quiet) reply.log.debug(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}
