// The tracklink command: serve, migrate, demo, org/apikey/user create, and operator tools.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createStore, type Store } from './db/index.js';
import { migrateToLatest, migrationsAhead, pendingMigrations } from './db/migrate.js';
import { createServices, type Services } from './services.js';
import { createOrgWithOwner } from './modules/orgs/bootstrap.js';
import { cliActor, ROLES, type Role } from './modules/auth/roles.js';

const USAGE = `Usage: tracklink <command> [options]

  serve                      migrate the store and serve HTTP (PORT, DATABASE_URL, …)
  demo                       like serve, after creating a demo org with shipments (once)
  migrate [--dry-run]        apply (or list) pending migrations
  org create --name N --country CC --owner-email E [--owner-password-stdin | --owner-password P]
  apikey create --org ID [--name N] [--role owner|admin|dispatcher|viewer]
  apikey rotate --org ID --id KEY_ID
  user create --org ID --email E --role R [--name N] [--password-stdin | --password P]
  simulate --device EXT_ID | --token T --route builtin|NAME|file.gpx [--speed KMH] [--interval S] [--url U] [--loop] [--fixes N]
  backup <file>              consistent copy of the SQLite store while it serves (PostgreSQL: prints the pg_dump command)
  restore <file>             replace the SQLite store with a backup; stop the server first (PostgreSQL: prints pg_restore)

Configuration comes from environment variables; see README.md.`;

function fail(message: string): never {
  process.stderr.write(`tracklink: ${message}\n`);
  process.exit(2);
}

async function withServices<T>(config: Config, fn: (s: Services, store: Store) => Promise<T>): Promise<T> {
  const store = createStore(config.database);
  try {
    await migrateToLatest(store);
    return await fn(createServices(config, store), store);
  } finally {
    await store.close();
  }
}

/** The first line of stdin, without its line ending; undefined when stdin ends before any. */
async function firstLineOfStdin(): Promise<string | undefined> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}

/**
 * A password given as `--NAME-stdin` (one line on stdin) or `--NAME P`. The second is in the
 * command line, which every user of the machine can read (ps, /proc/PID/cmdline) while the
 * command runs, and often in shell history: it still works, with a warning.
 */
async function passwordOption(values: Record<string, string | boolean | undefined>, name: string): Promise<string | undefined> {
  const inline = values[name] as string | undefined;
  if (values[`${name}-stdin`]) {
    if (inline !== undefined) fail(`give --${name} or --${name}-stdin, not both`);
    const line = await firstLineOfStdin();
    if (!line) fail(`--${name}-stdin read no password: send it as the first line of stdin`);
    if (line.length < 10 || line.length > 200) fail('the password must be 10 to 200 characters');
    return line;
  }
  if (inline === undefined) return undefined;
  process.stderr.write(`tracklink: warning: --${name} is visible to other users of this machine (ps) while this runs, and may stay in your shell history; use --${name}-stdin\n`);
  if (inline.length < 10 || inline.length > 200) fail(`--${name} must be 10 to 200 characters`);
  return inline;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  switch (command) {
    case 'serve': {
      // The HTTP server (Fastify, every route) is loaded only to serve: half a second that the
      // other commands (org create, backup, migrate…) do not need to wait for.
      const { serve } = await import('./main.js');
      await serve(config);
      return;
    }
    case 'demo': {
      const { runDemo } = await import('./demo/demo.js');
      await runDemo(config);
      return;
    }
    case 'migrate': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((a) => a !== undefined), options: { 'dry-run': { type: 'boolean' } } });
      const store = createStore(config.database);
      try {
        if (values['dry-run']) print({ pending: await pendingMigrations(store), ahead: await migrationsAhead(store) });
        else print({ applied: ((await migrateToLatest(store)) ?? []).map((r) => r.migrationName) });
      } finally {
        await store.close();
      }
      return;
    }
    case 'org': {
      if (sub !== 'create') fail(USAGE);
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, country: { type: 'string' }, 'owner-email': { type: 'string' }, 'owner-password': { type: 'string' }, 'owner-password-stdin': { type: 'boolean' } },
      });
      if (!values.name || !values.country || !values['owner-email']) fail('org create needs --name, --country and --owner-email');
      if (!/^[A-Za-z]{2}$/.test(values.country)) fail('--country must be an ISO 3166 alpha-2 code, e.g. NL');
      if (!/^[^@\s]+@[^@\s]+$/.test(values['owner-email'])) fail('--owner-email is not an email address');
      const ownerPassword = await passwordOption(values, 'owner-password');
      const r = await withServices(config, (s) =>
        createOrgWithOwner(s, { name: values.name as string, country: (values.country as string).toUpperCase(), ownerEmail: values['owner-email'] as string, ownerPassword }),
      );
      // A password the operator gave is never printed back (terminal scrollback, CI logs): only one generated here.
      print({ org_id: r.org_id, api_key: r.api_key, ...(ownerPassword === undefined ? { owner_password: r.owner_password } : {}) });
      return;
    }
    case 'apikey': {
      const { values } = parseArgs({ args: rest, options: { org: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, id: { type: 'string' } } });
      if (!values.org) fail(`apikey ${sub ?? ''} needs --org`);
      const role = (values.role ?? 'admin') as Role;
      if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      await withServices(config, async (s) => {
        const org = await s.orgs.require(values.org as string).catch(() => fail(`no org ${values.org}`));
        if (sub === 'create') {
          const k = await s.auth.createApiKey(cliActor(org.id), { name: values.name ?? 'CLI key', role });
          print({ api_key: k.api_key, id: k.id });
        } else if (sub === 'rotate') {
          if (!values.id) fail('apikey rotate needs --id');
          const k = await s.auth.rotateApiKey(cliActor(org.id), values.id);
          print({ api_key: k.api_key, id: k.id, revoked: values.id });
        } else fail(USAGE);
      });
      return;
    }
    case 'user': {
      if (sub !== 'create') fail(USAGE);
      const { values } = parseArgs({
        args: rest,
        options: { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
      });
      if (!values.org || !values.email || !values.role) fail('user create needs --org, --email and --role');
      if (!ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      const password = await passwordOption(values, 'password');
      await withServices(config, async (s) => {
        const org = await s.orgs.require(values.org as string).catch(() => fail(`no org ${values.org}`));
        const r = await s.auth.createUser(cliActor(org.id), { email: values.email as string, role: values.role as Role, name: values.name, password });
        print({ user_id: r.user.id, email: r.user.email, role: r.user.role, ...(r.password ? { password: r.password } : {}) });
      });
      return;
    }
    default: {
      const extra = await import('./cli-module-commands.js').then((m) => m.extraCommands).catch(() => ({}) as Record<string, never>);
      const handler = (extra as Record<string, (config: Config, args: string[]) => Promise<void>>)[command ?? ''];
      if (handler) return handler(config, [sub, ...rest].filter((a): a is string => a !== undefined));
      process.stdout.write(`${USAGE}\n`);
      if (command && command !== 'help' && command !== '--help') process.exit(2);
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message);
  const e = err as Error & { code?: string; details?: unknown };
  process.stderr.write(`tracklink: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}\n`);
  process.exit(1);
});
