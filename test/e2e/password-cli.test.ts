// `tracklink user create` / `org create` with a password kept out of the command line (which any
// user of the machine can read in the process list): --password-stdin, and a warning for --password.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createStore } from '../../src/db/index.js';
import { createServices } from '../../src/services.js';
import { recordSecret } from '../helpers/context.js';
import { createPgDatabase, storeKinds } from '../helpers/stores.js';
import { FAST_PASSWORD_HASHING, runCli } from '../helpers/server.js';

const WARNING = /warning: --password is visible to other users of this machine/;

for (const kind of await storeKinds()) {
  describe(`tracklink passwords on the command line [${kind}]`, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-pwcli-'));
    const drops: (() => Promise<void>)[] = [];
    let stores = 0;
    after(async () => {
      for (const drop of drops) await drop();
      rmSync(dir, { recursive: true, force: true });
    });
    /** A fresh store per test. */
    async function storeEnv(): Promise<Record<string, string>> {
      if (kind === 'sqlite') return { DATABASE_URL: `sqlite:${path.join(dir, `tl-${++stores}.db`)}`, DATA_DIR: dir };
      const pg = await createPgDatabase();
      drops.push(pg.drop);
      return { DATABASE_URL: pg.url, DATA_DIR: dir };
    }
    /** Whether `password` signs `email` in, checked through the service over the CLI's store. */
    async function signsIn(env: Record<string, string>, email: string, password: string): Promise<boolean> {
      const config = loadConfig({ ...env, ...FAST_PASSWORD_HASHING, LOG_LEVEL: 'silent' });
      const store = createStore(config.database);
      try {
        await createServices(config, store).auth.login(email, password);
        return true;
      } catch {
        return false;
      } finally {
        await store.close();
      }
    }

    it('reads the password from stdin with --password-stdin, keeps it out of argv and output, and warns about --password, which still works', async () => {
      const env = await storeEnv();
      const fromStdin = 'a password read from stdin';
      const fromArgv = 'a password in the process list';
      const owner = 'the owner password from stdin';
      recordSecret(fromStdin, fromArgv, owner);

      const org = runCli(['org', 'create', '--name', 'Stdin Co', '--country', 'NL', '--owner-email', 'o@stdin.example', '--owner-password-stdin'], env, `${owner}\n`);
      assert.equal(org.status, 0, org.stderr);
      assert.doesNotMatch(org.stderr, /warning/);
      const orgId = JSON.parse(org.stdout).org_id as string;
      assert.ok(!org.stdout.includes(owner), 'old code: the owner password from stdin printed back');
      assert.deepEqual(Object.keys(JSON.parse(org.stdout)).sort(), ['api_key', 'org_id']);
      assert.ok(await signsIn(env, 'o@stdin.example', owner), 'the owner signs in with the password from stdin');

      const args = ['user', 'create', '--org', orgId, '--email', 'stdin@stdin.example', '--role', 'dispatcher', '--password-stdin'];
      const created = runCli(args, env, `${fromStdin}\r\nand a second line that is not read\n`);
      assert.equal(created.status, 0, created.stderr);
      assert.ok(!args.join(' ').includes(fromStdin));
      assert.equal(created.stderr, '', 'no warning');
      assert.ok(!created.stdout.includes(fromStdin), 'the password is not printed back');
      assert.deepEqual(Object.keys(JSON.parse(created.stdout)).sort(), ['email', 'role', 'user_id']);
      assert.ok(await signsIn(env, 'stdin@stdin.example', fromStdin), 'the first line, without its line ending, is the password');

      const inline = runCli(['user', 'create', '--org', orgId, '--email', 'argv@stdin.example', '--role', 'viewer', '--password', fromArgv], env);
      assert.equal(inline.status, 0, inline.stderr);
      assert.match(inline.stderr, WARNING);
      assert.match(inline.stderr, /--password-stdin/, 'the warning names the way out');
      assert.ok(!inline.stderr.includes(fromArgv), 'the warning does not repeat the password');
      assert.ok(await signsIn(env, 'argv@stdin.example', fromArgv));
      const ownerInline = runCli(['org', 'create', '--name', 'Argv Co', '--country', 'NL', '--owner-email', 'o@argv.example', '--owner-password', fromArgv], env);
      assert.equal(ownerInline.status, 0, ownerInline.stderr);
      assert.match(ownerInline.stderr, /warning: --owner-password is visible to other users of this machine/);
      assert.ok(!ownerInline.stdout.includes(fromArgv), 'old code: the owner password from the command line printed back');
      assert.ok(!inline.stdout.includes(fromArgv), 'nor a user password from the command line');
    });

    it('refuses an empty stdin, a short password and both ways at once, creating no user', async () => {
      const env = await storeEnv();
      const org = runCli(['org', 'create', '--name', 'Refusing Co', '--country', 'NL', '--owner-email', 'o@refuse.example'], env);
      assert.equal(org.status, 0, org.stderr);
      const printed = JSON.parse(org.stdout) as { org_id: string; owner_password?: string };
      assert.ok(printed.owner_password && (await signsIn(env, 'o@refuse.example', printed.owner_password)), 'a generated owner password is printed, once');
      const orgId = printed.org_id;
      const create = (extra: string[], input?: string) => runCli(['user', 'create', '--org', orgId, '--email', 'no@refuse.example', '--role', 'viewer', ...extra], env, input);
      const cases = [
        { r: create(['--password-stdin'], ''), message: /--password-stdin read no password/ },
        { r: create(['--password-stdin'], '\nlong enough but on line two\n'), message: /--password-stdin read no password/ },
        { r: create(['--password-stdin'], 'short\n'), message: /10 to 200 characters/ },
        { r: create(['--password-stdin', '--password', 'long enough password'], 'long enough password\n'), message: /not both/ },
      ];
      for (const { r, message } of cases) {
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, message);
      }
      const later = create(['--password-stdin'], 'the password that works\n');
      assert.equal(later.status, 0, `no user was created before: ${later.stderr}`);
    });
  });
}
