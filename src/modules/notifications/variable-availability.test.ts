// Qargo 15: {{shipment.tracking_link}} is offered and accepted only while sharing is enabled.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { consignmentBody } from '../../../test/helpers/fixtures.js';

const withLink = { name: 'On its way', subject: 'Track {{shipment.reference}}', html: '<a href="{{ shipment.tracking_link }}">Track</a>', text: 'Track: {{shipment.tracking_link}}' };
const withoutLink = { name: 'Plain', subject: 'Update on {{shipment.reference}}', html: '<p>{{shipment.status}}</p>', text: '{{shipment.status}}' };

await describeStores('email variables and sharing', (ctx) => {
  it('offers and accepts the tracking link variable only while sharing is enabled, and says why not', async () => {
    const org = await ctx().newOrg();
    const linkVar = async () => (await org.api.get('/api/v1/email-templates/variables')).body.items.find((v: { name: string }) => v.name === 'shipment.tracking_link');
    assert.equal((await linkVar()).available, true);
    const saved = await org.api.post('/api/v1/email-templates', withLink);
    assert.equal(saved.status, 201, saved.text);
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body;

    assert.equal((await org.api.patch('/api/v1/org', { sharing_enabled: false })).status, 200);
    const offered = await linkVar();
    assert.equal(offered.available, false);
    assert.match(offered.unavailable_reason, /tracking links are turned off/i);

    const refused = await org.api.post('/api/v1/email-templates', withLink);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'validation_failed');
    assert.match(refused.body.error.message, /\{\{shipment\.tracking_link\}\}/);
    assert.deepEqual(
      refused.body.error.details.map((d: { path: string; variable: string; reason: string }) => [d.path, d.variable, d.reason]),
      [
        ['body/html', 'shipment.tracking_link', 'sharing_disabled'],
        ['body/text', 'shipment.tracking_link', 'sharing_disabled'],
      ],
    );
    assert.match(refused.body.error.details[0].message, /not available: .*turned off/);
    // Changing, previewing a draft and previewing the saved template are refused alike.
    assert.equal((await org.api.put(`/api/v1/email-templates/${saved.body.id}`, withLink)).status, 400);
    assert.equal((await org.api.post('/api/v1/email-templates/preview', { ...withLink, shipment_id: s.id })).status, 400);
    assert.equal((await org.api.post(`/api/v1/email-templates/${saved.body.id}/preview`, { shipment_id: s.id })).status, 400);
    // Everything else works as before, and renaming the saved template touches no body.
    assert.equal((await org.api.post('/api/v1/email-templates', withoutLink)).status, 201);
    assert.equal((await org.api.patch(`/api/v1/email-templates/${saved.body.id}`, { name: 'Renamed' })).status, 200);
    assert.equal((await org.api.get('/api/v1/email-templates')).body.items.length, 2, 'the refused template was not saved');

    await org.api.patch('/api/v1/org', { sharing_enabled: true });
    assert.equal((await linkVar()).available, true);
    assert.equal((await org.api.post('/api/v1/email-templates', withLink)).status, 201);
  });
});
