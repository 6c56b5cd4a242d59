// The page's share of a cold visit, in process and without the database: links of the store
// rotation-cpu.ts seeds (SEED_DIR) are resolved first, then each is rendered as its first visit
// renders it (PageCache.page over pageParts and momentParts, encoded), at a fixed moment, in
// each of the five languages; /data's first render (dataHead of the same view) alongside.
// Prints CPU µs per render and a SHA-256 of every page and /data head made: the same for the same
// code's output (the links are loaded by the resolver, so the load's output is in them too).
// `node --import tsx bench/cold-render-cpu.ts [links=2000] [rounds=5]`
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/db/index.js';
import { createServices } from '../src/services.js';
import { publicShipment } from '../src/modules/links/public-view.js';
import type { ResolvedLink } from '../src/modules/links/links.service.js';
import { PageCache } from '../src/modules/public-page/page-cache.js';
import { pageParts } from '../src/modules/public-page/render.js';
import { dataHead } from '../src/modules/public-page/data-json.js';
import { pickLocale } from '../src/modules/public-page/i18n.js';

const SEED = process.env.SEED_DIR ?? '/tmp/coldpage-seed';
const N = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 5);
if (!existsSync(path.join(SEED, 'bench.db'))) throw new Error(`no seeded store in ${SEED}: run bench/rotation-cpu.ts first`);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'coldrender-'));
copyFileSync(path.join(SEED, 'bench.db'), path.join(dataDir, 'bench.db'));
const slugs: string[] = JSON.parse(readFileSync(path.join(SEED, 'slugs.json'), 'utf8')).slice(0, N);
const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.db')}`, DATA_DIR: dataDir, LOG_LEVEL: 'error', PUBLIC_BASE_URL: 'http://tracklink.test', TILE_URL: 'off' });
const store = createStore(config.database);
const services = createServices(config, store);
const links: ResolvedLink[] = await Promise.all(slugs.map((s) => services.publicLinks.require(s)));
// A fixed moment: the pages of two runs over the same store are the same bytes.
const now = Date.parse('2026-12-01T12:00:00Z');
const langs = ['en', 'de', 'fr', 'nl', 'es'];
// Each round renders every link as a first visit does: fresh resolutions (copies), a fresh cache.
const renderAll = (lang: string, hash: ReturnType<typeof createHash> | null) => {
  const pages = new PageCache();
  const t0 = process.cpuUsage();
  for (const r0 of links) {
    const r = { ...r0, link: { ...r0.link } };
    const locale = pages.locale(lang, r.org.country);
    const base = `/t/${r.link.slug}`;
    const html = pages.page(r.link, locale, { now, reported: [] }, () =>
      pageParts(pages.view(r.link, () => publicShipment(r.shipment, r.org, r.policy, base, r.changes)), locale, { base, tiles: null }),
    );
    hash?.update(html);
  }
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / links.length;
};
const dataAll = (hash: ReturnType<typeof createHash> | null = null) => {
  const pages = new PageCache();
  const t0 = process.cpuUsage();
  for (const r0 of links) {
    const r = { ...r0, link: { ...r0.link } };
    hash?.update(pages.body(r.link, 'json', () => dataHead(pages.view(r.link, () => publicShipment(r.shipment, r.org, r.policy, `/t/${r.link.slug}`, r.changes)))));
  }
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / links.length;
};
const hash = createHash('sha256');
for (const lang of langs) renderAll(lang, hash);
const dataHash = createHash('sha256');
dataAll(dataHash);
renderAll('en', null);
const page: number[] = [];
const data: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  page.push(renderAll(langs[i % langs.length], null));
  data.push(dataAll());
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`page render (first visit): ${page.map((x) => x.toFixed(1)).join(', ')} µs (median ${med(page).toFixed(1)}, min ${Math.min(...page).toFixed(1)})`);
console.log(`/data render (first visit): ${data.map((x) => x.toFixed(1)).join(', ')} µs (median ${med(data).toFixed(1)}, min ${Math.min(...data).toFixed(1)})`);
console.log(`pages sha256: ${hash.digest('hex')} (${links.length} links × ${langs.length} languages); /data heads sha256: ${dataHash.digest('hex')}`);
await services.stop?.();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
