// `tracklink simulate --device <external_id> | --token <device token> --route <file.gpx|builtin>
// [--speed km/h] [--interval s] [--url base] [--loop]`: drives a device through the real OsmAnd
// endpoint (the bare URL with a generated external id, or the device's token URL).
import { parseArgs } from 'node:util';
import type { Config } from '../../config.js';
import { BUILTIN_ROUTES, loadRoute, runSimulation } from './simulator.js';

export async function simulateCommand(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      device: { type: 'string' },
      token: { type: 'string' },
      route: { type: 'string', default: 'builtin' },
      speed: { type: 'string', default: '80' },
      interval: { type: 'string', default: '3' },
      url: { type: 'string' },
      loop: { type: 'boolean', default: false },
      fixes: { type: 'string' },
    },
  });
  const speed = Number(values.speed);
  const interval = Number(values.interval);
  const fixes = values.fixes === undefined ? undefined : Number(values.fixes);
  const problems: string[] = [];
  if (!values.device && !values.token) problems.push('--device <external_id> or --token <device token> is required');
  if (!(speed > 0 && speed <= 1000)) problems.push('--speed: km/h from 1 to 1000');
  if (!(interval >= 0.1 && interval <= 3600)) problems.push('--interval: seconds from 0.1 to 3600');
  if (fixes !== undefined && !(Number.isInteger(fixes) && fixes > 0)) problems.push('--fixes: a positive integer');
  let route;
  try {
    route = loadRoute(values.route ?? 'builtin');
  } catch (err) {
    problems.push(`--route: ${(err as Error).message} (builtin routes: ${Object.keys(BUILTIN_ROUTES).join(', ')})`);
  }
  if (problems.length || !route) {
    process.stderr.write(`tracklink simulate: ${problems.join('; ')}\n`);
    process.exit(2);
  }
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  const baseUrl = (values.url ?? config.publicBaseUrl).replace(/\/+$/, '');
  let failed = 0;
  const sent = await runSimulation({
    baseUrl,
    externalId: values.device,
    token: values.token,
    route,
    speedKmh: speed,
    intervalS: interval,
    loop: values.loop,
    maxFixes: fixes,
    signal: ac.signal,
    onFix: (f) => {
      if (f.status !== 200) failed++;
      process.stdout.write(`${JSON.stringify({ lat: Number(f.lat.toFixed(6)), lon: Number(f.lon.toFixed(6)), status: f.status })}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ sent, failed })}\n`);
  if (failed === sent && sent > 0) process.exitCode = 1;
}
