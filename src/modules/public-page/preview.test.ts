// The link template's preview (issue 18 item 9): the real page for one of the org's own shipments
// under the template being edited, for signed-in users only, framed by the admin app only.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';

await describeStores('link template preview', (ctx) => {
  it('renders the public page under the edited template, org-scoped, without scripts, framable by this origin only', async () => {
    const org = await ctx().newOrg();
    const other = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;
    const url = (q: string) => `/api/v1/org/link-template/preview?shipment_id=${s.id}${q}`;
    const shown = await org.api.get(url('&cargo=1'));
    assert.equal(shown.status, 200, shown.text);
    assert.match(String(shown.headers['content-type']), /^text\/html/);
    const cargo = consignmentBody().cargo as { description: string }[];
    assert.ok(shown.text.includes(cargo[0].description), 'cargo shown when the template shows it');
    assert.doesNotMatch(shown.text, /<script(?! type="application\/json")/, 'no script runs in the preview');
    assert.match(String(shown.headers['content-security-policy']), /frame-ancestors 'self'/);
    assert.match(String(shown.headers['content-security-policy']), /script-src 'none'/);
    assert.equal(shown.headers['x-frame-options'], 'SAMEORIGIN');
    const hidden = await org.api.get(url('&cargo=0'));
    assert.ok(!hidden.text.includes(cargo[0].description), 'the edited template hides the cargo before it is saved');
    assert.equal((await other.api.get(url(''))).status, 404, "another org's shipment does not exist for this org");
    assert.equal((await ctx().anon.get(url(''))).status, 401);
    assert.equal((await org.api.get(url('&cargo=yes'))).status, 400);
  });
});
