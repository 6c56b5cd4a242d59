// An uploaded file missing from disk while its row remains (a restore whose uploads were copied
// at another moment than the database, or a read racing a replacement or deletion) answers each
// route's 404, never a 500: the owner's photo and proof of delivery, the public logo, and a
// link's photo and pod.pdf, which answer the link's one 404.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { describeStores } from '../helpers/context.js';
import { consignmentBody, PDF, PNG } from '../helpers/fixtures.js';

describeStores('uploaded files missing from disk', (ctx) => {
  it('answers 404 for a photo, proof of delivery or logo whose file is gone, on the API and through a link', async () => {
    const org = await ctx().newOrg();
    const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body as { id: string };
    const photo = await org.api.send('POST', `/api/v1/shipments/${s.id}/photos`, PNG, 'image/png');
    assert.equal(photo.status, 201, photo.text);
    assert.equal((await org.api.put(`/api/v1/shipments/${s.id}/hero-photo`, { photo_id: photo.body.id })).status, 200);
    assert.equal((await org.api.send('PUT', `/api/v1/shipments/${s.id}/proof-of-delivery`, PDF, 'application/pdf')).status, 200);
    assert.equal((await org.api.send('PUT', '/api/v1/org/logo', PNG, 'image/png')).status, 200);
    const link = await org.api.post(`/api/v1/shipments/${s.id}/links`, { options: { photo_ids: [photo.body.id], hero_photo: true, proof_of_delivery: true } });
    assert.equal(link.status, 201, link.text);
    const slugPath = new URL(link.body.url).pathname;
    const urls = {
      photo: `/api/v1/shipments/${s.id}/photos/${photo.body.id}`,
      pod: `/api/v1/shipments/${s.id}/proof-of-delivery`,
      logo: `/media/logo/${org.org_id}`,
      publicPhoto: `${slugPath}/photos/${photo.body.id}`,
      publicPod: `${slugPath}/pod.pdf`,
    };
    for (const [what, url] of Object.entries(urls)) assert.equal((await org.api.get(url)).status, 200, `${what} is served while its file is there`);
    const unknownLink = await ctx().anon.get(`/t/${'x'.repeat(24)}/pod.pdf`);

    const dir = path.join(ctx().dataDir, 'uploads', org.org_id);
    for (const f of readdirSync(dir)) rmSync(path.join(dir, f));

    for (const [what, url] of Object.entries(urls)) {
      const r = await org.api.get(url);
      assert.equal(r.status, 404, `${what}: ${r.text}`);
      assert.equal(r.body.error.code, 'not_found', what);
    }
    const publicPod = await ctx().anon.get(urls.publicPod);
    assert.equal(publicPod.text, unknownLink.text, "a link's missing file answers the link's one 404");
  });
});
