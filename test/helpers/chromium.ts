// Chromium for browser tests (public pages, the admin app, axe): one launch with the flags that
// keep it quiet and offline, and one watcher of what a page asks for and what goes wrong in it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './server.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PageWatch {
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Console errors and uncaught page errors (CSP violations show up as console errors). */
  problems: string[];
}

/**
 * Starts recording a page's requests and problems; call it before `goto` so nothing is missed.
 * `ignore` passes over console errors a test expects (e.g. a tile the server could not get).
 */
export function watchPage(page: Page, opts: { ignore?: RegExp } = {}): PageWatch {
  const watch: PageWatch = { requests: [], problems: [] };
  page.on('request', (r) => watch.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' && !opts.ignore?.test(m.text())) watch.problems.push(m.text());
  });
  page.on('pageerror', (e) => watch.problems.push(e.message));
  return watch;
}

/** Requests that left for another origin than `base` (data: URLs stay in the page). */
export function foreignRequests(requests: string[], base: string): string[] {
  return requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:'));
}

/**
 * A screenshot under test-output/`name`.png, only when TRACKLINK_SCREENSHOTS=1. Screenshots are
 * for a person looking at a change, never an assertion, and each costs a browser test 0.5-2 s
 * (a full-page one more): the suite takes none by default.
 */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env.TRACKLINK_SCREENSHOTS !== '1') return;
  const file = path.join(ROOT, 'test-output', `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
}
