// The session cookie is parsed for the API alone (auth.plugin.ts; @fastify/cookie runs with
// hook: false): a public page request carries no parsed cookies, the API reads them as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../../test/helpers/context.js';

describe('the session cookie', () => {
  let ctx: TestContext;
  const seen = new Map<string, unknown>();
  before(async () => {
    ctx = await createTestContext('sqlite', {}, {
      background: [],
      beforeReady: (app) =>
        app.addHook('onResponse', (req, _reply, done) => {
          seen.set(`${req.method} ${req.url}`, req.cookies);
          done();
        }),
    });
  });
  after(() => ctx.close());

  it('is not parsed on a public page request, and is read by the API as before', async () => {
    const cookie = { cookie: 'tl_session=not-a-real-session; other=1' };
    assert.equal((await ctx.anon.get('/t/AAAAAAAAAAAAAAAAAAAAAAAA', cookie)).status, 404);
    assert.equal(seen.get('GET /t/AAAAAAAAAAAAAAAAAAAAAAAA'), null, 'no cookies parsed for a public page');
    assert.equal((await ctx.anon.get('/api/v1/shipments', cookie)).status, 401, 'an unknown session is no session');
    assert.deepEqual({ ...(seen.get('GET /api/v1/shipments') as object) }, { tl_session: 'not-a-real-session', other: '1' });
    const out = await ctx.anon.post('/api/v1/auth/logout', undefined, cookie);
    assert.equal(out.status, 204);
    assert.match(String(out.headers['set-cookie']), /^tl_session=;.*Expires=Thu, 01 Jan 1970/, 'the cookie is still cleared');
  });
});
