// A local stand-in for a tile server (OpenStreetMap's or any TILE_URL): answers /z/x/y.png with a
// small PNG, records every request it gets (path and headers), and can be told to fail, answer
// 304/404/429, or hold a tile until released. Tests point TILE_URL at it; nothing leaves the machine.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drawPng } from '../../src/demo/images.js';

export interface UpstreamRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FakeTileServer {
  url: string;
  /** TILE_URL for this server. */
  template: string;
  requests: UpstreamRequest[];
  count(path?: string): number;
  /** Per-path behaviour; unset paths answer 200 with a tile. */
  behave(path: string, b: Behaviour): void;
  /** Every path answers this status (e.g. 500) until set back to null. */
  failAll(status: number | null): void;
  close(): Promise<void>;
}

export interface Behaviour {
  status?: number;
  headers?: Record<string, string>;
  /** Resolves when the reply may be sent (single-flight tests). */
  hold?: Promise<void>;
}

/** A 256×256 tile: pale paper with a grid and a tint from z/x/y, so screenshots show which tile is where. */
export function tilePng(z: number, x: number, y: number): Buffer {
  const tint = (z * 37 + x * 11 + y * 7) % 40;
  return drawPng(256, 256, (px, py) => (px % 64 === 0 || py % 64 === 0 ? [150, 160, 170] : [236 - tint, 232, 222 + tint / 2]));
}

export async function startFakeTileServer(): Promise<FakeTileServer> {
  const requests: UpstreamRequest[] = [];
  const behaviours = new Map<string, Behaviour>();
  let failing: number | null = null;
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '';
    requests.push({ path, headers: req.headers });
    const b = behaviours.get(path.split('?')[0]) ?? {};
    if (b.hold) await b.hold;
    const status = failing ?? b.status ?? 200;
    const m = /^\/(\d+)\/(\d+)\/(\d+)\.png/.exec(path);
    if (status !== 200 || !m) {
      res.writeHead(m ? status : 404, b.headers ?? {}).end();
      return;
    }
    const body = tilePng(Number(m[1]), Number(m[2]), Number(m[3]));
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length, 'cache-control': 'max-age=3600', etag: `"t${m[1]}-${m[2]}-${m[3]}"`, ...b.headers }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    template: `${url}/{z}/{x}/{y}.png`,
    requests,
    count: (path) => (path ? requests.filter((r) => r.path.split('?')[0] === path).length : requests.length),
    behave: (path, b) => void behaviours.set(path, b),
    failAll: (status) => {
      failing = status;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
