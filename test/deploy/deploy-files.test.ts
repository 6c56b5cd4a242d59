// No container engine runs here, so the Dockerfile, compose.yaml and the nginx config are
// checked statically against the code they deploy: the real config loader accepts their
// environment, ports and paths agree, secrets come from files, the runtime is not root.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { createTestContext } from '../helpers/context.js';
import { ROOT } from '../helpers/server.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile → stages of instructions (continuations joined, comments dropped). */
function parseDockerfile(text: string): { from: string; name?: string; instructions: Instruction[] }[] {
  const logical: string[] = [];
  let buf = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!buf && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (buf && line.trim().startsWith('#')) continue;
    if (line.endsWith('\\')) buf += `${line.slice(0, -1)} `;
    else {
      logical.push(buf + line);
      buf = '';
    }
  }
  assert.equal(buf, '', 'Dockerfile ends inside a continued line');
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const l of logical) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(l);
    assert.ok(m, `not an instruction: ${l}`);
    const op = m[1].toUpperCase();
    const args = m[2].trim();
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      assert.ok(f, `bad FROM: ${args}`);
      stages.push({ from: f[1], name: f[2], instructions: [] });
    } else {
      assert.ok(stages.length, `${op} before FROM`);
      stages[stages.length - 1].instructions.push({ op, args });
    }
  }
  return stages;
}

/** ENV k=v k2="v 2" … → record. */
function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) out[m[1]] = m[3] ?? m[2];
  return out;
}

const dockerfile = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile[dockerfile.length - 1];
const all = (op: string) => runtime.instructions.filter((i) => i.op === op);
const imageEnv = Object.assign({}, ...all('ENV').map((i) => envPairs(i.args))) as Record<string, string>;
const imageConfig = loadConfig(imageEnv);

describe('Dockerfile', () => {
  it('builds in one stage and runs from a second that only copies the build output', () => {
    assert.ok(dockerfile.length >= 2);
    const build = dockerfile.find((s) => s.name === 'build');
    assert.ok(build, 'a stage named build');
    assert.ok(build.instructions.some((i) => i.op === 'RUN' && /npm ci\b/.test(i.args)));
    assert.ok(build.instructions.some((i) => i.op === 'RUN' && /npm run build\b/.test(i.args) && /npm prune --omit=dev/.test(i.args)));
    assert.ok(!all('RUN').some((i) => /npm (ci|install)/.test(i.args)), 'the runtime stage installs nothing');
    // package.json carries "type": "module", without which dist/*.js would not load as ESM.
    assert.ok(all('COPY').some((i) => i.args.startsWith('--from=build') && i.args.includes('/app/package.json')));
    for (const dir of ['dist', 'bin', 'node_modules', 'web/admin/dist']) {
      assert.ok(all('COPY').some((i) => i.args.startsWith('--from=build') && i.args.includes(`/app/${dir} `)), `copies ${dir} from the build stage`);
    }
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
    assert.match(pkg.scripts.build, /build:admin/);
    assert.match(pkg.scripts.build, /build:server/);
    const major = /(\d+)/.exec(pkg.engines.node)?.[1];
    for (const s of dockerfile) assert.match(s.from, new RegExp(`^node:${major}\\b`), 'images use the Node major the project requires');
  });

  it('runs as a non-root user with the data directory as a volume', () => {
    const users = all('USER');
    assert.equal(users.length, 1);
    assert.doesNotMatch(users[0].args, /^(root|0)(:|$)/);
    const userIdx = runtime.instructions.indexOf(users[0]);
    assert.ok(!runtime.instructions.slice(userIdx).some((i) => i.op === 'RUN'), 'nothing runs as root after USER');
    const volumes = all('VOLUME').flatMap((i) => JSON.parse(i.args) as string[]);
    assert.ok(imageConfig.database.kind === 'sqlite');
    assert.ok(volumes.includes(path.dirname(imageConfig.database.file)), 'the SQLite file lives on the volume');
    assert.ok(volumes.includes(imageConfig.dataDir), 'uploads live on the volume');
  });

  it('has an environment the real config accepts, exposing and health-checking the port it listens on', async () => {
    assert.equal(imageEnv.TRACKLINK_COMPILED, '1');
    assert.equal(imageConfig.host, '0.0.0.0');
    assert.deepEqual(all('EXPOSE').map((i) => Number(i.args)), [imageConfig.port]);
    assert.equal(imageConfig.port, loadConfig({}).port, 'the image keeps the documented default port');
    const hc = all('HEALTHCHECK');
    assert.equal(hc.length, 1);
    const cmd = /CMD\s+(\[.*\])$/.exec(hc[0].args);
    assert.ok(cmd, 'HEALTHCHECK uses the exec form');
    const argv = JSON.parse(cmd[1]) as string[];
    assert.equal(argv[0], 'node');
    assert.ok(argv.some((a) => a.includes(`http://127.0.0.1:${imageConfig.port}/healthz`)));
    const ctx = await createTestContext('sqlite');
    try {
      assert.equal((await ctx.anon.get('/healthz')).status, 200, 'the probed route exists');
    } finally {
      await ctx.close();
    }
  });

  it('starts the server through the CLI with the compiled code', () => {
    const cmds = all('CMD');
    assert.equal(cmds.length, 1);
    const argv = JSON.parse(cmds[0].args) as string[];
    assert.equal(argv[0], 'node');
    assert.deepEqual(argv.slice(-2), ['bin/tracklink.js', 'serve']);
    assert.ok(existsSync(path.join(ROOT, 'bin/tracklink.js')));
    assert.match(readFileSync(path.join(ROOT, 'bin/tracklink.js'), 'utf8'), /TRACKLINK_COMPILED === '1'[\s\S]*dist\/cli\.js/);
    assert.deepEqual(all('STOPSIGNAL').map((i) => i.args), ['SIGTERM']);
  });

  it('keeps dependencies, local data and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', '.git', 'data', 'dist', 'test-output', 'deploy/secrets', '*.db', '.env']) assert.ok(ignored.includes(p), `.dockerignore lists ${p}`);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true, uniqueKeys: true, strict: true }) as {
    services: Record<string, any>;
    secrets: Record<string, { file: string }>;
    volumes: Record<string, unknown>;
  };
  const apps = ['app1', 'app2'];

  it('runs PostgreSQL, Redis for the live bus, a migration step, two Tracklink instances from this Dockerfile and a proxy', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['app1', 'app2', 'db', 'migrate', 'proxy', 'redis']);
    assert.match(compose.services.redis.image, /^redis:\d+/);
    assert.match(compose.services.redis.command.join(' '), /--requirepass/);
    assert.match(compose.services.db.image, /^postgres:\d+/);
    for (const a of [...apps, 'migrate']) assert.equal(compose.services[a].build, '.');
    assert.deepEqual(compose.services.migrate.command.slice(-2), ['bin/tracklink.js', 'migrate']);
    for (const a of apps) {
      assert.equal(compose.services[a].depends_on.db.condition, 'service_healthy');
      assert.equal(compose.services[a].depends_on.migrate.condition, 'service_completed_successfully');
      assert.equal(compose.services[a].depends_on.redis.condition, 'service_healthy');
    }
    assert.match(compose.services.proxy.image, /^nginx:/);
    for (const a of apps) assert.equal(compose.services.proxy.depends_on[a].condition, 'service_healthy');
  });

  it('gives each instance an environment the real config accepts, with secrets only from files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-compose-'));
    try {
      const samples: Record<string, string> = {
        database_url: 'postgres://tracklink:pw@db:5432/tracklink',
        metrics_token: 'a'.repeat(64),
        db_password: 'pw',
        live_bus_url: 'redis://:rpw@redis:6379',
      };
      for (const a of apps) {
        const svc = compose.services[a];
        const env: Record<string, string> = { ...svc.environment, PUBLIC_BASE_URL: 'https://track.example.com' };
        assert.ok(!('DATABASE_URL' in env) && !('METRICS_TOKEN' in env) && !('LIVE_BUS_URL' in env), 'no secret as a plain variable');
        for (const [k, v] of Object.entries(env)) {
          if (!k.endsWith('_FILE')) continue;
          const secret = /^\/run\/secrets\/(\w+)$/.exec(v)?.[1];
          assert.ok(secret && svc.secrets.includes(secret), `${k} names a secret the service mounts`);
          assert.ok(compose.secrets[secret]?.file, `secret ${secret} is declared with a file`);
          const f = path.join(dir, secret);
          writeFileSync(f, `${samples[secret]}\n`);
          env[k] = f;
        }
        const cfg = loadConfig(env);
        assert.equal(cfg.database.kind, 'postgres');
        assert.deepEqual(cfg.liveBus, { kind: 'redis', url: 'redis://:rpw@redis:6379', channel: 'tracklink_live' }, 'the instances share the Redis bus');
        assert.equal(cfg.trustProxy, 1, 'exactly one proxy hop is trusted');
        assert.equal(cfg.metricsToken, samples.metrics_token);
        assert.equal(cfg.port, imageConfig.port);
        assert.equal(cfg.dataDir, imageConfig.dataDir);
        assert.ok(svc.volumes.includes(`uploads:${imageConfig.dataDir}`), 'instances share one upload volume');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const usedVolumes = Object.values(compose.services).flatMap((s) => (s.volumes ?? []) as string[]).map((v) => v.split(':')[0]).filter((v) => !v.startsWith('.'));
    for (const v of usedVolumes) assert.ok(v in compose.volumes, `volume ${v} is declared`);
    assert.equal(compose.services.db.environment.POSTGRES_PASSWORD_FILE, '/run/secrets/db_password');
  });

  it('points the proxy at both instances on their port, passing the client address as the one trusted hop', () => {
    const mount = (compose.services.proxy.volumes as string[]).find((v) => v.includes('nginx'));
    assert.ok(mount);
    const [hostPath, containerPath] = mount.split(':');
    assert.equal(containerPath, '/etc/nginx/conf.d/default.conf');
    const conf = readFileSync(path.join(ROOT, hostPath), 'utf8');
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(conf);
    assert.ok(upstream);
    const servers = [...upstream[2].matchAll(/server\s+([\w.-]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    assert.deepEqual(servers, apps.map((a) => `${a}:${imageConfig.port}`));
    assert.equal((conf.match(new RegExp(`proxy_pass http://${upstream[1]};`, 'g')) ?? []).length >= 2, true);
    assert.match(conf, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    assert.match(conf, /proxy_buffering off;/, 'live streams pass through unbuffered');
    assert.match(conf, /location = \/metrics \{\s*return 404;/, '/metrics is not public through the proxy');
    assert.match(conf, /\/t\/\[redacted\]/, 'access logs redact slugs');
    let depth = 0;
    for (const c of conf.replace(/#.*$/gm, '').replace(/'[^']*'/g, '')) {
      if (c === '{') depth++;
      if (c === '}') depth--;
      assert.ok(depth >= 0, 'braces balance');
    }
    assert.equal(depth, 0, 'braces balance');
  });
});
