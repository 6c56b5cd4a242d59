// Leakage property: for random org templates and link options, nothing hidden ever reaches the
// public outputs of a link (page, /data, /history, events, photos, pod.pdf). Every hidden thing
// holds a unique marker (status and stage: their code and key; ETA and stop times: unique
// milliseconds); the oracle below decides what is hidden independently of links/visibility.ts. Outputs are listed in one place (OUTPUTS).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { describeStores, type TestOrg } from '../helpers/context.js';
import { PDF, PNG } from '../helpers/fixtures.js';
import { always, LAYERS, makeFixture, mark, type Effective, type Fixture, type Hidden } from '../helpers/leakage-fixture.js';
import { SECTION_KEYS, type SectionKey } from '../../src/modules/links/template.js';

// 250 random cases per store, each checked against every marker; the run also asserts that every
// marker was hidden, and every marker a link can show was shown, in at least COVERED cases, so a
// smaller count still exercises each condition both ways. LEAKAGE_RUNS=10000 for a deep run.
const RUNS = Number(process.env.LEAKAGE_RUNS ?? 250);
const COVERED = 3;
// About 60 s per store on a quiet 2-core machine; at load 13 one store's half took over the suite's
// 300 s per-test default. A slow machine makes it slower, not wrong.
const PROPERTY_TIMEOUT_MS = Math.max(900_000, RUNS * 2_000);

const maybeBool = fc.option(fc.boolean(), { nil: undefined });
const sectionsArb = fc.record(Object.fromEntries(SECTION_KEYS.map((k) => [k, maybeBool])) as Record<SectionKey, fc.Arbitrary<boolean | undefined>>);
const caseArb = fc.record({
  fixture: fc.nat(),
  template: fc.record(Object.fromEntries(SECTION_KEYS.map((k) => [k, fc.boolean()])) as Record<SectionKey, fc.Arbitrary<boolean>>),
  templateDriver: fc.constantFrom('always', 'en_route_to_delivery', 'never'),
  sections: sectionsArb,
  driver: fc.constantFrom(undefined, 'always', 'en_route_to_delivery', 'never'),
  layers: fc.option(fc.subarray([...LAYERS], { minLength: 1 }), { nil: undefined }),
  segments: fc.constantFrom<number[] | undefined>(undefined, [0], [1], [0, 1]),
  photoPick: fc.subarray([0, 1, 2]),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** A link's stream up to the end of its initial state (the `: ready` comment), however slow. */
async function readEvents(url: string): Promise<string> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 30_000);
  let text = '';
  let status = 0;
  let failure = '';
  const started = Date.now();
  try {
    const res = await fetch(url, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
    status = res.status;
    if (status !== 200 || !res.body) text = await res.text();
    else {
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      while (!/^: ready$/m.test(text)) {
        const next = await reader.read();
        if (next.done) break;
        text += dec.decode(next.value, { stream: true });
      }
    }
  } catch (err) {
    // Named in the assertions below: a status of 0 is a fetch that failed before any answer.
    const e = err as Error & { cause?: { code?: string; message?: string } };
    failure = ` [${e.name}: ${e.message}${e.cause ? ` (cause: ${e.cause.code ?? ''} ${e.cause.message ?? ''})` : ''} after ${Date.now() - started} ms]`;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  // A link just created always has a stream: a refused one (429, 503, an error) was checked for nothing.
  assert.equal(status, 200, `the link's stream opened: ${text.slice(0, 200)}${failure}`);
  assert.match(text, /^: ready$/m, `the stream sent its whole initial state within 30 s: ${text.slice(0, 200)}${failure}`);
  return text;
}

interface FileReply {
  status: number;
  body: Buffer;
  /** Headers a client sees, minus those that differ per request (date, request id, rate-limit counters). */
  headers: Record<string, string>;
}
const VOLATILE = /^(date|x-request-id|x-ratelimit-.*|retry-after|connection|keep-alive)$/;

async function fetchFile(url: string): Promise<FileReply> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (!VOLATILE.test(key)) headers[key] = value;
  });
  return { status: res.status, body, headers };
}

/**
 * Photos and the proof of delivery through the link: a hidden one answers exactly like an
 * unknown link (status, headers, body); a shown one is the uploaded file and nothing else.
 */
async function checkFiles(base: string, path: string, fx: Fixture, eff: Effective, hiddenNow: Hidden[]): Promise<void> {
  const unknownLink = await fetchFile(`${base}/t/${randomBytes(18).toString('base64url')}/pod.pdf`);
  assert.equal(unknownLink.status, 404);
  const files: { what: string; url: string; shown: boolean; bytes: Buffer; type: string }[] = fx.photos.map((pid, i) => ({
    what: `photo ${i}`,
    url: `${base}${path}/photos/${pid}`,
    shown: !fx.hidden.find((h) => h.what === `PHOTO${i}`)?.when(eff),
    bytes: PNG,
    type: 'image/png',
  }));
  files.push({ what: 'pod.pdf', url: `${base}${path}/pod.pdf`, shown: fx.withPod && eff.on.proof_of_delivery, bytes: PDF, type: 'application/pdf' });
  const replies = await Promise.all(files.map((f) => fetchFile(f.url)));
  files.forEach((f, i) => {
    const r = replies[i];
    if (!f.shown) {
      assert.deepEqual({ ...r, body: r.body.toString() }, { ...unknownLink, body: unknownLink.body.toString() }, `hidden ${f.what} answers like an unknown link`);
      return;
    }
    assert.equal(r.status, 200, `${f.what} is served`);
    assert.equal(r.headers['content-type'], f.type);
    assert.ok(r.body.equals(f.bytes), `${f.what} is the uploaded file, nothing more`);
    const headerText = JSON.stringify(r.headers);
    for (const h of hiddenNow) assert.ok(!headerText.includes(h.needle), `${h.what} leaked in the headers of ${f.what}`);
  });
}

await describeStores(
  'leakage property',
  (ctx) => {
    // Cases run four at a time, each lane in its own org (the template is org-wide).
    const LANES = 4;
    let lanes: { org: TestOrg; fixtures: Fixture[] }[] = [];
    let otherShipmentMarkers: string[] = [];
    let base = '';
    /** Per marker: in how many cases the oracle hid it and allowed it. */
    const coverage = new Map<string, { hidden: number; shown: number; never: boolean }>();
    before(async () => {
      for (let i = 0; i < LANES; i++) {
        const org = await ctx().newOrg();
        const fixtures: Fixture[] = [];
        for (let f = 0; f < 3; f++) fixtures.push(await makeFixture(ctx(), org, f % 2 === 0));
        const other = { kind: 'order', reference: mark('OTHERREF'), title: mark('OTHERTITLE'), customer_reference: mark('OTHERCUST'), stops: [{ type: 'pickup', name: mark('OTHERSTOP') }] };
        otherShipmentMarkers.push(other.reference, other.title, other.customer_reference, other.stops[0].name);
        assert.equal((await org.api.post('/api/v1/shipments', other)).status, 201);
        lanes.push({ org, fixtures });
      }
      await ctx().app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
    });
    after(() => {
      lanes = [];
      otherShipmentMarkers = [];
    });

    /** One case: set the org template, create a link with the options, read every output. */
    async function runCase(lane: { org: TestOrg; fixtures: Fixture[] }, c: Case): Promise<{ data: boolean; events: boolean }> {
      const { org } = lane;
      const fx = lane.fixtures[c.fixture % lane.fixtures.length];
      const t = await org.api.put('/api/v1/org/link-template', { ...c.template, driver_position: c.templateDriver });
      assert.equal(t.status, 200, t.text);
      const options: Record<string, unknown> = { ...c.sections, photo_ids: c.photoPick.map((i) => fx.photos[i]) };
      if (c.driver) options.driver_position = c.driver;
      if (c.layers) options.layers = c.layers;
      if (c.segments) options.segments = c.segments;
      for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
      const l = await org.api.post(`/api/v1/shipments/${fx.shipmentId}/links`, { options });
      assert.equal(l.status, 201, l.text);
      try {
        const on = Object.fromEntries(SECTION_KEYS.map((k) => [k, c.sections[k] ?? c.template[k]])) as Record<SectionKey, boolean>;
        const eff: Effective = {
          on,
          layers: on.map ? [...(c.layers ?? LAYERS)] : [],
          segments: c.segments ?? [0, 1],
          driver: c.driver ?? c.templateDriver,
          photoIds: options.photo_ids as string[],
        };
        for (const h of fx.hidden) {
          const k = coverage.get(h.what) ?? { hidden: 0, shown: 0, never: Boolean(h.never) };
          if (h.when(eff)) k.hidden++;
          else k.shown++;
          coverage.set(h.what, k);
        }
        const path = `/t/${l.body.slug}`;
        // Every public output of a link, in one place: add new public routes here.
        const OUTPUTS: [string, () => Promise<string>][] = [
          ['page', async () => (await ctx().anon.get(path)).text],
          ['data', async () => (await ctx().anon.get(`${path}/data`)).text],
          ['history', async () => (await ctx().anon.get(`${path}/history`)).text],
          ['events', () => readEvents(`${base}${path}/events`)],
        ];
        const texts = await Promise.all(OUTPUTS.map(async ([name, get]) => [name, await get()] as const));
        for (const [name, text] of texts) {
          assert.ok(text.length > 0, `${name} answered`);
          for (const h of fx.hidden) {
            const at = h.when(eff) ? text.indexOf(h.needle) : -1;
            if (at >= 0) assert.fail(`${h.what} leaked in ${name}: …${text.slice(Math.max(0, at - 120), at + h.needle.length + 20)}…`);
          }
          for (const o of otherShipmentMarkers) assert.ok(!text.includes(o), `another shipment leaked in ${name}`);
        }
        await checkFiles(base, path, fx, eff, fx.hidden.filter((h) => h.when(eff)));
        // A control: the checks look at real content, not at an error page.
        assert.match(texts[0][1], /Visible title/);
        const shows = (text: string) => fx.hidden.some((h) => !h.when(eff) && text.includes(h.needle));
        return { data: shows(texts[1][1]), events: shows(texts[3][1]) };
      } finally {
        await org.api.post(`/api/v1/links/${l.body.id}/revoke`);
      }
    }

    it(`never shows a hidden field, status, stage, ETA, stop time, photo, proof of delivery, other shipment or position on the page, /data, /history, events, photos or pod.pdf (${RUNS} cases)`, { timeout: PROPERTY_TIMEOUT_MS }, async (t) => {
      let shownSomething = 0;
      let shownInEvents = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(caseArb, { minLength: LANES, maxLength: LANES }), async (cases) => {
          // allSettled: every lane finishes (and revokes its link) before the next run starts.
          const results = await Promise.allSettled(cases.map((c, i) => runCase(lanes[i], c)));
          const failed = results.findIndex((r) => r.status === 'rejected');
          if (failed >= 0) {
            // The whole lane error, stack included: fast-check reports the thrown error's message,
            // and a cause is not printed.
            const reason = (results[failed] as PromiseRejectedResult).reason as Error;
            throw new Error(`lane ${failed} (case ${JSON.stringify(cases[failed])}): ${reason?.stack ?? String(reason)}`);
          }
          for (const r of results) {
            if (r.status !== 'fulfilled') continue;
            if (r.value.data) shownSomething++;
            if (r.value.events) shownInEvents++;
          }
        }),
        { numRuns: Math.ceil(RUNS / LANES), includeErrorInReport: true },
      );
      assert.ok(shownSomething > RUNS / 10, 'allowed markers do show up, so hidden ones would be noticed');
      // The same for the live stream: its whole initial state is read (up to `: ready`).
      assert.ok(shownInEvents > RUNS / 20, `allowed markers show up in the live stream too (${shownInEvents} cases)`);
      // Every condition was taken both ways: each marker hidden, and each one a link may show allowed.
      const thin = [...coverage].filter(([, k]) => k.hidden < COVERED || (!k.never && k.shown < COVERED)).map(([what, k]) => `${what} hidden ${k.hidden} shown ${k.shown}`);
      assert.deepEqual(thin, [], `markers not covered both ways in ${COVERED}+ of ${RUNS} cases`);
      assert.ok(coverage.size > 50, `${coverage.size} markers counted`);
      const least = (pick: (k: { hidden: number; shown: number; never: boolean }) => number | null) => Math.min(...[...coverage.values()].map(pick).filter((n): n is number => n !== null));
      t.diagnostic(`${shownSomething} cases showed an allowed marker in /data, ${shownInEvents} in events; ${coverage.size} markers; fewest cases hiding one: ${least((k) => k.hidden)}, allowing one: ${least((k) => (k.never ? null : k.shown))}`);
    });
  },
  { PUBLIC_RATE_LIMIT: '1000000', SSE_MAX_PER_IP: '100000' },
);
