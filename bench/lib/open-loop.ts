// An open-loop load: requests leave on a schedule (the rate, spread evenly over every 10 ms),
// whether or not earlier ones were answered, as phones on timers do. autocannon's rate mode is a
// closed loop per connection that sends each connection's share in a burst at the start of every
// second: against a server answering at once it reached 1,824-1,954 of 2,000 requests/s on this
// machine (64 connections), so the device mix measured the generator as much as the server.
// Latency counts from each request's scheduled time, so a stalled server cannot hide its queue.
import http from 'node:http';
import type { LoadResult } from './load.js';

export interface OpenLoopSpec {
  url: string;
  /** Requests per second, all connections together. */
  rate: number;
  durationSeconds: number;
  /** Keep-alive sockets at most (phones each have their own; 256 keeps the client cheap). */
  sockets: number;
  method: 'GET' | 'POST';
  nextPath: () => string;
  /** The reply must be empty (OsmAnd's 200). */
  expectEmpty?: boolean;
  expectIncludes?: string;
}

const TICK_MS = 10;
/**
 * A request unanswered this long counts as a timeout and stops being waited for: a hung server
 * would otherwise hold the phase (and `npm run bench`) forever. Ten times the p99 the device mix
 * asks for, so only a server that stopped answering reaches it.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export async function openLoop(spec: OpenLoopSpec): Promise<LoadResult & { late: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.sockets });
  const target = new URL(spec.url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let mismatches = 0;
  let late = 0;
  let timeouts = 0;
  const send = (scheduledAt: number) =>
    new Promise<void>((resolve) => {
      // Settled once: by the reply's end, an error, or the timeout (which may come mid-reply).
      let settled = false;
      const settle = (count: () => void) => {
        if (settled) return;
        settled = true;
        count();
        resolve();
      };
      const req = http.request({ host: target.hostname, port: target.port, method: spec.method, path: spec.nextPath(), agent, headers: { 'content-length': 0 } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('error', () => settle(() => errors++));
        res.on('end', () =>
          settle(() => {
            latencies.push(performance.now() - scheduledAt);
            if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) non2xx++;
            else if (spec.expectEmpty ? body.length > 0 : spec.expectIncludes ? !body.includes(spec.expectIncludes) : false) mismatches++;
          }),
        );
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => {
        settle(() => timeouts++);
        req.destroy();
      });
      req.on('error', () => settle(() => errors++));
      req.end();
    });
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(spec.rate * spec.durationSeconds);
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      // Every request due by now leaves now: a late tick catches up instead of losing requests.
      const due = Math.min(total, Math.floor(((now - start) / 1000) * spec.rate));
      while (sent < due) {
        const scheduledAt = start + (sent / spec.rate) * 1000;
        if (now - scheduledAt > 100) late++;
        pending.push(send(scheduledAt));
        sent++;
      }
      if (sent >= total) return done();
      setTimeout(tick, TICK_MS);
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]) : 0);
  const answered = latencies.length - non2xx;
  return {
    requests: latencies.length + errors + timeouts,
    // Answered per second over the whole run, until the last reply: a server that falls behind
    // stretches the run and lowers this below the rate.
    rps: Math.round((answered / elapsed) * 10) / 10,
    latencyP50: pick(0.5),
    latencyP99: pick(0.99),
    non2xx,
    errors,
    timeouts,
    mismatches,
    durationSeconds: Math.round(elapsed * 100) / 100,
    late,
  };
}
