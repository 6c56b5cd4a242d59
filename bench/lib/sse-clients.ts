// Holds N Server-Sent Events connections to one URL in its own process, and reports when each
// received its first `position` event after the parent says "arm". Talks to the parent over IPC.
import http from 'node:http';

const [, , url, countArg] = process.argv;
const count = Number(countArg);
const target = new URL(url);
let armed = false;
const arrivals: number[] = [];
let connected = 0;
let failed = 0;

function open(i: number): Promise<void> {
  return new Promise((resolve) => {
    let got = false;
    const req = http.get(
      { host: target.hostname, port: target.port, path: target.pathname, agent: false, headers: { accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          failed++;
          res.resume();
          return resolve();
        }
        connected++;
        resolve();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            if (armed && !got && /^event: position$/m.test(frame)) {
              got = true;
              arrivals[i] = Date.now();
            }
          }
        });
      },
    );
    req.on('error', () => {
      failed++;
      resolve();
    });
  });
}

async function main() {
  const batch = 500;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(i + j)));
  }
  process.send?.({ type: 'connected', connected, failed });
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'arm') {
    armed = true;
    process.send?.({ type: 'armed' });
  } else if (m.type === 'report') {
    process.send?.({ type: 'report', arrivals: arrivals.filter((x) => typeof x === 'number'), connected, failed });
  } else if (m.type === 'exit') {
    process.exit(0);
  }
});

void main();
