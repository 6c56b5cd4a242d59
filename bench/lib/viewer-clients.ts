// Holds SSE viewers in its own process (spec file in argv[2]: urls taken in turn, how many, the
// local address to connect from). Reports over IPC when all are connected (or failed, with the
// error codes), and on "report" when each received its first `position` after "arm".
import http from 'node:http';
import { readFileSync } from 'node:fs';

interface Spec {
  urls: string[];
  count: number;
  /** A loopback alias (127.0.0.x): each source address has its own ~28k ephemeral ports. */
  localAddress?: string;
}
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Spec;
let armed = false;
const arrivals: number[] = [];
let positions = 0;
let connected = 0;
let failed = 0;
let closed = 0;
const errors: Record<string, number> = {};
const fail = (code: string) => {
  failed++;
  errors[code] = (errors[code] ?? 0) + 1;
};

function open(i: number): Promise<void> {
  const target = new URL(spec.urls[i % spec.urls.length]);
  return new Promise((resolve) => {
    let got = false;
    let settled = false;
    const done = (code?: string) => {
      if (settled) return;
      settled = true;
      if (code) fail(code);
      resolve();
    };
    const req = http.get(
      { host: target.hostname, port: target.port, path: target.pathname, agent: false, localAddress: spec.localAddress, headers: { accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return done(`HTTP ${res.statusCode}`);
        }
        connected++;
        done();
        res.on('close', () => closed++);
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // Only event names matter: no frame is kept beyond the chunk that ends it.
          const text = tail + chunk;
          const cut = text.lastIndexOf('\n\n');
          tail = cut === -1 ? text : text.slice(cut + 2);
          const whole = cut === -1 ? '' : text.slice(0, cut);
          if (!whole.includes('event: position')) return;
          positions += whole.split('event: position').length - 1;
          if (armed && !got) {
            got = true;
            arrivals.push(Date.now());
          }
        });
      },
    );
    req.setTimeout(60_000, () => {
      req.destroy();
      done('timeout');
    });
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

async function main() {
  const batch = 250;
  for (let i = 0; i < spec.count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, spec.count - i) }, (_, j) => open(i + j)));
  }
  process.send?.({ type: 'connected', connected, failed, errors });
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'arm') {
    armed = true;
    process.send?.({ type: 'armed' });
  } else if (m.type === 'report') {
    process.send?.({ type: 'report', arrivals, positions, connected, failed, closed, errors });
  } else if (m.type === 'exit') {
    process.exit(0);
  }
});
// The parent gone (the bench failed or was stopped): nothing is left holding connections.
process.on('disconnect', () => process.exit(0));

void main();
