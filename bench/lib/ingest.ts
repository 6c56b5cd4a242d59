// The ingest load of the benchmarks: 8 connections posting batches of 500 unique positions of
// four fresh devices, for a given time, every reply checked.
import type { ServerProcess } from '../../test/helpers/server.js';
import { assertClean, runLoad } from './load.js';
import { call } from './util.js';

export async function ingestLoad(server: ServerProcess, key: string, opts: { tag: string; startAt: string; durationSeconds: number }): Promise<{ rate: number; p99: number }> {
  const devices: string[] = [];
  for (let i = 0; i < 4; i++) devices.push((await call<{ id: string }>(server.url, key, 'POST', '/api/v1/devices', { name: `Truck ${i}`, external_id: `ing-${opts.tag}-${i}-${Date.now()}` })).id);
  const r = await runLoad({
    url: `${server.url}/api/v1/positions`,
    connections: 8,
    durationSeconds: opts.durationSeconds,
    headers: { authorization: `Bearer ${key}` },
    ingest: { deviceIds: devices, batch: 500, startAt: opts.startAt },
    expectIncludes: '"accepted":500',
  });
  assertClean(`ingest ${opts.tag}`, r);
  return { rate: r.rps * 500, p99: r.latencyP99 };
}
