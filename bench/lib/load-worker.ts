// Runs in its own process so the load generator never shares a CPU thread with the server.
// argv[2] is a file holding a JSON LoadSpec; prints one JSON LoadResult line on stdout.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load.js';
import { openLoop } from './open-loop.js';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadSpec;

let counter = 0;
const base = spec.ingest ? Date.parse(spec.ingest.startAt) : 0;

function ingestBody(): string {
  const ing = spec.ingest;
  if (!ing) return '';
  const positions = [];
  for (let i = 0; i < ing.batch; i++) {
    const n = counter++;
    positions.push({
      device_id: ing.deviceIds[n % ing.deviceIds.length],
      // One second apart per device: every position unique, none a duplicate.
      recorded_at: new Date(base + Math.floor(n / ing.deviceIds.length) * 1000).toISOString(),
      lat: 52 + (n % 1000) / 10000,
      lon: 5 + (n % 997) / 10000,
      speed_mps: 20,
      heading_deg: 90,
    });
  }
  return JSON.stringify({ positions });
}

function osmandPath(): string {
  const tokens = spec.osmand?.tokens ?? [];
  const n = counter++;
  const t = Math.floor(Date.now() / 1000);
  return `/ingest/osmand/${tokens[n % tokens.length]}?lat=${(52 + (n % 1000) / 10000).toFixed(5)}&lon=${(5 + (n % 997) / 10000).toFixed(5)}&timestamp=${t}&speed=20&bearing=90`;
}

if (spec.openLoopSockets) {
  if (!spec.rate || spec.ingest) throw new Error('an open-loop load needs a rate, and sends no bodies');
  const result = await openLoop({
    url: spec.url,
    rate: spec.rate,
    durationSeconds: spec.durationSeconds,
    sockets: spec.openLoopSockets,
    method: spec.osmand ? 'POST' : 'GET',
    nextPath: spec.osmand ? osmandPath : () => (spec.paths ? spec.paths[counter++ % spec.paths.length] : '/'),
    expectEmpty: spec.expectEmpty,
    expectIncludes: spec.expectIncludes,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    ...(spec.amount ? { amount: spec.amount } : {}),
    headers: spec.headers,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    requests:
      spec.paths && spec.rotation === 'per-connection'
        ? spec.paths.map((p) => ({ method: 'GET' as const, path: p }))
        : [
            {
              method: spec.ingest || spec.osmand ? 'POST' : 'GET',
              setupRequest: (req: autocannon.Request) => {
                if (spec.osmand) return { ...req, path: osmandPath() };
                if (spec.ingest) return { ...req, body: ingestBody(), headers: { ...req.headers, 'content-type': 'application/json' } };
                if (spec.paths) return { ...req, path: spec.paths[counter++ % spec.paths.length] };
                return req;
              },
            },
          ],
    // A fast wrong answer must not pass: every reply has to look like the thing we asked for.
    verifyBody: (body: string | Buffer | undefined) => {
      const text = body === undefined ? '' : body.toString();
      if (spec.expectEmpty) return text.length === 0;
      return spec.expectIncludes ? text.includes(spec.expectIncludes) : text.length > 0;
    },
  },
  (err, result) => {
    if (err) {
      process.stderr.write(String(err));
      process.exit(1);
    }
    const out: LoadResult = {
      requests: result.requests.total,
      // autocannon averages whole seconds: a pass of a few seconds is measured end to end instead.
      rps: spec.amount ? result.requests.total / result.duration : result.requests.average,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      mismatches: result.mismatches,
      durationSeconds: result.duration,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
);
void instance;
