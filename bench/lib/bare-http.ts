// The baseline: a bare node:http server answering a fixed 2 KB body. Prints its port.
import http from 'node:http';

const body = Buffer.from(`<!doctype html><title>baseline</title><p>${'x'.repeat(2048 - 40)}</p>`).subarray(0, 2048);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
