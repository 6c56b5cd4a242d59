// Rate limits key on the client address. Behind one trusted proxy (TRUST_PROXY=1) that is the
// address the proxy appended to X-Forwarded-For; without TRUST_PROXY the header is ignored, so
// a client cannot pick a fresh rate-limit bucket by sending its own X-Forwarded-For.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores, type TestContext } from '../helpers/context.js';

const LIMIT = 3;
const URL = '/t/no-such-link-for-rate-limits';

async function hit(ctx: TestContext, remoteAddress: string, xff?: string): Promise<number> {
  const r = await ctx.app.inject({ method: 'GET', url: URL, remoteAddress, headers: xff ? { 'x-forwarded-for': xff } : {} });
  return r.statusCode;
}

describeStores(
  'rate limits behind one trusted proxy',
  (ctx, kind) => {
    it(`[${kind}] counts each real client separately though all arrive from the proxy`, async () => {
      const proxy = '10.0.0.2';
      for (let i = 0; i < LIMIT; i++) assert.equal(await hit(ctx(), proxy, '198.51.100.7'), 404);
      assert.equal(await hit(ctx(), proxy, '198.51.100.7'), 429);
      assert.equal(await hit(ctx(), proxy, '198.51.100.8'), 404, 'another client behind the same proxy is not limited');
    });

    it(`[${kind}] keys on the hop the proxy appended, so a forged X-Forwarded-For entry changes nothing`, async () => {
      const proxy = '10.0.0.3';
      // nginx's $proxy_add_x_forwarded_for: whatever the client sent, then its real address.
      for (let i = 0; i < LIMIT; i++) assert.equal(await hit(ctx(), proxy, `203.0.113.${i + 1}, 192.0.2.50`), 404);
      assert.equal(await hit(ctx(), proxy, '203.0.113.99, 192.0.2.50'), 429);
    });
  },
  { TRUST_PROXY: '1', PUBLIC_RATE_LIMIT: String(LIMIT) },
);

describeStores(
  'rate limits without TRUST_PROXY',
  (ctx, kind) => {
    it(`[${kind}] ignores X-Forwarded-For: every forged address lands in the caller's own bucket`, async () => {
      const client = '192.0.2.77';
      for (let i = 0; i < LIMIT; i++) assert.equal(await hit(ctx(), client, `198.51.100.${i + 10}`), 404);
      assert.equal(await hit(ctx(), client, '198.51.100.200'), 429);
      assert.equal(await hit(ctx(), client), 429);
      assert.equal(await hit(ctx(), '192.0.2.78', '192.0.2.77'), 404, 'nor can a client be framed by naming its address');
    });
  },
  { PUBLIC_RATE_LIMIT: String(LIMIT) },
);
