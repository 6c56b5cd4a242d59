// A database that fails is a 503 on every public route, never "this link does not exist": the
// public 404 means only that a link or logo is unknown or unavailable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';
import { storeKinds } from '../../../test/helpers/stores.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

for (const kind of await storeKinds()) {
  describe(`public routes on a failing database [${kind}]`, () => {
    let ctx: TestContext;
    before(async () => {
      // No background jobs: nothing but the requests below touches the store once it is closed.
      ctx = await createTestContext(kind, {}, { background: [] });
    });
    after(async () => {
      await ctx.close();
    });

    it('answers 503 unavailable with Retry-After, not 404, for a link and a logo it cannot read', async () => {
      const org = await ctx.newOrg();
      const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
      const link = (await org.api.post(`/api/v1/shipments/${s.id}/links`, {})).body;
      const logo = await org.api.send('PUT', '/api/v1/org/logo', PNG, 'image/png');
      assert.equal(logo.status, 200, logo.text);
      const slugPath = new URL(link.url).pathname;
      const logoPath = new URL(logo.body.logo_url).pathname;
      // The database goes away (its connections closed under the running app); nothing is cached yet.
      await ctx.store.db.destroy();
      for (const url of [slugPath, `${slugPath}/data`, `${slugPath}/history`, logoPath]) {
        const r = await ctx.anon.get(url, { accept: 'application/json' });
        assert.equal(r.status, 503, `${url}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.body?.error?.code, 'unavailable', url);
        assert.ok(r.headers['retry-after'], url);
      }
    });
  });
}
