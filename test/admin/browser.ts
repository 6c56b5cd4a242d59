// Chromium for the admin app tests: launch, contexts at desktop and phone sizes, a console watcher
// and screenshots under test-output/admin/ (with TRACKLINK_SCREENSHOTS=1).
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { screenshot } from '../helpers/chromium.js';

export { launchChromium } from '../helpers/chromium.js';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'Europe/Amsterdam' };
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB', timezoneId: 'Europe/Amsterdam' };

/**
 * Everything that went wrong inside pages: uncaught errors and unhandled promise rejections
 * (pageerror) and console errors. The browser also logs every 4xx reply as a console error;
 * the API answers 4xx on purpose in these tests (sign-in check, validation), so those lines are
 * kept apart and only the rest counts.
 */
export class ConsoleWatch {
  readonly problems: string[] = [];
  readonly httpErrors: string[] = [];
  watch(context: BrowserContext): void {
    context.on('page', (p) => this.page(p));
    for (const p of context.pages()) this.page(p);
  }
  page(p: Page): void {
    p.on('pageerror', (err) => this.problems.push(`pageerror: ${err.message}`));
    p.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) this.httpErrors.push(text);
      else this.problems.push(`console.error: ${text}`);
    });
  }
}

/** A screenshot under test-output/admin/ (with TRACKLINK_SCREENSHOTS=1); modal dialogs are taken as the viewport shows them. */
export function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  return screenshot(page, `admin/${name}`, { fullPage: opts.fullPage ?? true });
}
