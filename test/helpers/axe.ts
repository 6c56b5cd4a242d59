// axe-core in a Playwright page: WCAG 2.1 A and AA rules only, violations as readable lines.
// The script goes in through the DevTools protocol (page.evaluate), which the page's CSP does not
// govern, so the page is checked exactly as it is served.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeNode {
  target: string[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** Every WCAG 2.1 AA violation on the page as it is now: "rule: help — selector: why" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }).axe
        // Not into frames: the template preview frames the public page, checked on its own, with no
        // script to answer axe's messages.
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], iframes: false })
        .then((r) => r.violations),
    WCAG_21_AA,
  );
  return (violations as AxeViolation[]).flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)}`),
  );
}

/**
 * What axe leaves out: walks the tab order with the keyboard (up to maxTabs stops) and reports
 * every stop without an accessible name and every focus indicator under 3:1 against what it is
 * drawn on (WCAG 2.4.7 / 1.4.11). The indicator is the element's outline and its box-shadow rings
 * (2 px or more); the best-contrasting of them counts, so a two-tone ring passes on any colour.
 */
export async function focusProblems(page: Page, maxTabs = 40): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const problems: string[] = [];
  const seen = new Set<string>();
  let outside = 0;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const r = (await page.evaluate(FOCUS_PROBE)) as { id: string; key: string; named: boolean; contrast: number } | null;
    // Focus outside the document: once after its last stop, before Tab comes back to the first.
    // Twice in a row means the page has no stop at all (a 404): nothing more to walk.
    if (!r) {
      if (++outside === 2) break;
      continue;
    }
    outside = 0;
    if (seen.has(r.key)) break; // back at the start: the whole tab order was walked
    seen.add(r.key);
    if (!r.named) problems.push(`unnamed in the tab order: ${r.id}`);
    if (r.contrast < 3) problems.push(`focus ring ${r.contrast}:1 on ${r.id}`);
  }
  return problems;
}

// Run in the page as plain source: the test runner's compiler would add helpers (__name) to a
// function passed to page.evaluate that the page does not have.
const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const ch = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  const lum = (c) => 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  let bg = [255, 255, 255];
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = rgb(getComputedStyle(p).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
  }
  const cs = getComputedStyle(el);
  const rings = [];
  if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) rings.push(rgb(cs.outlineColor).slice(0, 3));
  for (const m of cs.boxShadow.matchAll(/rgba?\\(([^)]*)\\)\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+([\\d.]+)px\\s+([\\d.]+)px/g)) {
    if (Number(m[5]) >= 2) rings.push(m[1].split(',').map(Number).slice(0, 3));
  }
  const best = rings.length ? Math.max(...rings.map((c) => ratio(c, bg))) : 0;
  const labelled = el.labels && el.labels.length ? Array.from(el.labels).some((l) => (l.textContent || '').trim()) : false;
  const name = (el.getAttribute('aria-label') || '').trim() || (el.getAttribute('aria-labelledby') || '').trim() || (el.getAttribute('title') || '').trim() || (el.textContent || '').trim() || (el.alt || '').trim() || (labelled ? 'label' : '') || Array.from(el.querySelectorAll('img[alt], [role="img"][aria-label]')).map((i) => i.getAttribute('alt') || i.getAttribute('aria-label')).join('').trim();
  const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  const id = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls;
  return { id, key: id + '|' + el.outerHTML.slice(0, 120), named: Boolean(name), contrast: Math.round(best * 100) / 100 };
})()`;
