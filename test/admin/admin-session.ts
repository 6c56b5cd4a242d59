// What the admin app's browser suites share (admin-app-sharing.test.ts, admin-app-settings.test.ts):
// an org with an owner signed in to the app in a desktop Chromium, a viewer who has an account of
// the same email and password in another org too, a console watch over every page, and helpers to
// sign in and to open a public link as a stranger. Registers its own before/after hooks.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestContext, TestOrg } from '../helpers/context.js';
import type { StoreKind } from '../helpers/stores.js';
import { ROOT } from '../helpers/server.js';
import { ConsoleWatch, DESKTOP, launchChromium } from './browser.js';

// The app must be built before the server can serve it (same script as `npm start` uses).
const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-admin-build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('building the admin app failed');

export interface AdminSession {
  browser: Browser;
  base: string;
  org: TestOrg;
  /** The owner's browser context and page (not signed in yet: a suite signs in first). */
  owner: BrowserContext;
  page: Page;
  readonly watch: ConsoleWatch;
  readonly viewer: { email: string; password: string };
  /** A screenshot name of this store. */
  tag(name: string): string;
  /** A link URL (PUBLIC_BASE_URL, http://tracklink.test) on the test server instead. */
  local(url: string): string;
  signIn(p: Page, email: string, password: string, orgName?: string): Promise<void>;
  openAsStranger(url: string): Promise<{ status: number; text: string }>;
}

export function useAdminSession(ctx: () => TestContext, kind: StoreKind): AdminSession {
  const s = {
    watch: new ConsoleWatch(),
    viewer: { email: `viewer.${kind}.${Date.now().toString(36)}@example.test`, password: 'viewer-password-123' },
    tag: (name: string) => `${kind}-${name}`,
    local: (url: string) => s.base + new URL(url).pathname,
    async signIn(p: Page, email: string, password: string, orgName?: string) {
      await p.goto(`${s.base}/app/`);
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill(password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      if (orgName) {
        // The same email and password open an account in another org too: the server asks which.
        await p.getByLabel('Organization').selectOption({ label: orgName });
        await p.getByRole('button', { name: 'Sign in' }).click();
      }
      await p.getByRole('heading', { name: 'Shipments', level: 1 }).waitFor();
    },
    async openAsStranger(url: string) {
      const stranger = await s.browser.newContext(DESKTOP);
      s.watch.watch(stranger);
      try {
        const p = await stranger.newPage();
        const res = await p.goto(s.local(url));
        return { status: res?.status() ?? 0, text: await p.locator('body').innerText() };
      } finally {
        await stranger.close();
      }
    },
  } as AdminSession;

  before(async () => {
    s.org = await ctx().newOrg({ name: `Haulage ${kind}`, country: 'GB' });
    await ctx().services.auth.createUser(s.org.actor, { email: s.viewer.email, name: 'Vera Viewer', role: 'viewer', password: s.viewer.password });
    const elsewhere = await ctx().newOrg({ name: `Other firm ${kind}` });
    await ctx().services.auth.createUser(elsewhere.actor, { email: s.viewer.email, name: 'Vera at another firm', role: 'owner', password: s.viewer.password });
    await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    s.base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    s.browser = await launchChromium();
    s.owner = await s.browser.newContext(DESKTOP);
    s.watch.watch(s.owner);
    await s.owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.base });
    s.page = await s.owner.newPage();
    s.page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await s.browser?.close();
  });

  return s;
}
