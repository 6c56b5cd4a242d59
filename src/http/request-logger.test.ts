import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import pino from 'pino';
import { loggerOptions } from './logging.js';
import { jsonString, lazyChildLoggerFactory, writeAccessLine, writeRequestAccessLine, type LazyRequestLogger } from './request-logger.js';

/** A pino logger as the app configures it, its lines captured, and a count of the children made. */
function capturedLogger(level = 'info') {
  const lines: string[] = [];
  const { stream, ...options } = loggerOptions(level, { write: (l: string) => void lines.push(l) });
  const root = pino(options, stream) as unknown as FastifyBaseLogger;
  const made = { children: 0 };
  const child = root.child.bind(root);
  root.child = ((...args: Parameters<typeof child>) => {
    made.children++;
    return child(...args);
  }) as typeof root.child;
  return { root, lines, made };
}

const request = (url: string, template: string, params: Record<string, string>, id: string) =>
  ({ method: 'GET', url, id, routeOptions: { url: template }, params }) as unknown as FastifyRequest;

/** A request's access line through its lazy logger, as AccessLogController writes it. */
const access = (log: FastifyBaseLogger, level: 20 | 30, req: FastifyRequest, status: number, ms: number) =>
  writeRequestAccessLine(log as unknown as LazyRequestLogger, level, req, status, ms);

const withoutTime = (line: string) => {
  const { time, ...rest } = JSON.parse(line) as { time: number };
  assert.equal(typeof time, 'number');
  return rest;
};

describe('request loggers', () => {
  it('write the access line pino would write for the request, field for field and in the same order', () => {
    const { root, lines } = capturedLogger();
    const req = request('/t/SlugThatMustNotLeak51/data?token=TokenThatMustNotLeak51&lang=nl', '/t/:slug/data', { slug: 'SlugThatMustNotLeak51' }, 'access-trace-1');
    const log = lazyChildLoggerFactory(root, { reqId: 'access-trace-1' }, {});
    access(log, 30, req, 200, 1.625);
    root.child({ reqId: 'access-trace-1' }).info({ req, res: { statusCode: 200 }, responseTime: 1.625 }, 'request completed');
    assert.equal(lines.length, 2);
    const [direct, viaPino] = lines.map(withoutTime);
    assert.deepEqual(direct, viaPino);
    assert.deepEqual(Object.keys(direct), Object.keys(viaPino));
    assert.deepEqual((direct as { req: unknown }).req, { method: 'GET', url: '/t/[redacted]/data?token=[redacted]&lang=nl', id: 'access-trace-1' });
    assert.ok(lines[0].endsWith('}\n'), 'one line');
    assert.doesNotMatch(lines[0], /MustNotLeak/);
  });

  it('write a hijacked stream’s access line from its copied fields, as pino would and as a request’s', () => {
    const { root, lines } = capturedLogger();
    // What released-stream.ts keeps of a live stream's request: the serialized request, no request.
    const req = { method: 'GET', url: '/t/[redacted]/events', id: 'stream-trace-1' };
    writeAccessLine(root, 30, { bindings: { reqId: 'stream-trace-1' }, req, statusCode: 200, responseTime: 61_000.5 });
    root.child({ reqId: 'stream-trace-1' }).info({ req, res: { statusCode: 200 }, responseTime: 61_000.5 }, 'request completed');
    const [direct, viaPino] = lines.map(withoutTime);
    assert.deepEqual(direct, viaPino);
    assert.deepEqual(Object.keys(direct), Object.keys(viaPino));
    const quiet = capturedLogger('warn');
    writeAccessLine(quiet.root, 30, { bindings: { reqId: 'x' }, req, statusCode: 200, responseTime: 1 });
    assert.equal(quiet.lines.length, 0, 'none below the logger’s level');
  });

  it('write the access line at the level asked, and none below the logger’s level or the route’s', () => {
    const { root, lines } = capturedLogger('info');
    const req = request('/api/v1/shipments', '/api/v1/shipments', {}, 'level-trace-1');
    access(lazyChildLoggerFactory(root, { reqId: 'a' }, {}), 20, req, 200, 1);
    access(lazyChildLoggerFactory(root, { reqId: 'b' }, { level: 'warn' }), 30, req, 200, 1);
    assert.equal(lines.length, 0, 'debug under info, info under a route at warn');
    const debugRoot = capturedLogger('debug');
    access(lazyChildLoggerFactory(debugRoot.root, { reqId: 'c' }, {}), 20, req, 204, 1);
    assert.equal((JSON.parse(debugRoot.lines[0]) as { level: number }).level, 20);
  });

  it('make no child logger until a line is logged at an enabled level, then the one pino makes, once', () => {
    const { root, lines, made } = capturedLogger('info');
    const log = lazyChildLoggerFactory(root, { reqId: 'lazy-trace-1' }, {});
    log.debug('not written at info');
    log.trace({ x: 1 }, 'nor this');
    access(log, 30, request('/healthz', '/healthz', {}, 'lazy-trace-1'), 200, 1);
    assert.equal(made.children, 0, 'nothing logged through a child yet');
    log.warn({ detail: 'x' }, 'a warning');
    log.error(new Error('an error'), 'an error');
    assert.equal(made.children, 1);
    const logged = lines.slice(1).map((l) => JSON.parse(l) as { reqId: string; level: number; msg: string; err?: { message: string } });
    assert.deepEqual(logged.map((e) => [e.reqId, e.level, e.msg]), [['lazy-trace-1', 40, 'a warning'], ['lazy-trace-1', 50, 'an error']]);
    assert.equal(logged[1].err?.message, 'an error');
    assert.equal(log.level, 'info');
    const levels = log as unknown as { isLevelEnabled(level: string): boolean };
    assert.equal(levels.isLevelEnabled('debug'), false);
    assert.equal(levels.isLevelEnabled('warn'), true);
  });

  it('keep a route’s own level for the lines its requests log', () => {
    const { root, lines } = capturedLogger('info');
    const log = lazyChildLoggerFactory(root, { reqId: 'route-trace-1' }, { level: 'warn' });
    log.info('below the route level');
    log.warn('at the route level');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { msg: string }).msg), ['at the route level']);
  });

  it('quote a line’s strings exactly as JSON.stringify does, whatever they hold', () => {
    // Every UTF-16 code unit, alone and between others: quotes, backslashes, control characters,
    // DEL, U+2028, lone surrogates of both halves.
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `/t/[redacted]${ch}?q=1`]) assert.equal(jsonString(s), JSON.stringify(s), `code unit ${c.toString(16)}`);
    }
    for (const s of ['', 'GET', '/t/[redacted]/data?lang=nl', 'f1d2c3b4-1234-4567-89ab-0123456789ab', '🚚 Zürich', '\ud83d', 'a\ude9a', '"quoted" \\ back', 'tab\tnew\nline']) {
      assert.equal(jsonString(s), JSON.stringify(s), s);
    }
    // Random strings of random code units, pairs and halves of pairs among them.
    let seed = 19;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const s = String.fromCharCode(...Array.from({ length: next() % 12 }, () => (next() % 4 === 0 ? 0xd800 + (next() % 0x800) : next() % 0x3000)));
      assert.equal(jsonString(s), JSON.stringify(s));
    }
  });
});
