// Connecting two test orgs as partners the way users do: B picks a handle, A invites it, B accepts.
import assert from 'node:assert/strict';
import type { TestOrg } from './context.js';

let n = 0;

/** A handle unique across test runs sharing one database server. */
export const uniqueHandle = (prefix = 'org') => `${prefix}-${Date.now().toString(36)}-${process.pid.toString(36)}-${++n}`;

export async function connectPartners(a: TestOrg, b: TestOrg): Promise<void> {
  const handle = uniqueHandle('partner');
  const set = await b.api.patch('/api/v1/org', { handle });
  assert.equal(set.status, 200, set.text);
  const sent = await a.api.post('/api/v1/partner-invitations', { handle });
  assert.equal(sent.status, 201, sent.text);
  const received = await b.api.get('/api/v1/partner-invitations/received');
  const inv = received.body.items.find((i: { from: { org_id: string } }) => i.from.org_id === a.org_id);
  assert.ok(inv, 'B received the invitation');
  const ok = await b.api.post(`/api/v1/partner-invitations/${inv.id}/accept`);
  assert.equal(ok.status, 204, ok.text);
}

/** Connects A and B if needed and shares one of A's shipments with B. */
export async function shareWithPartner(a: TestOrg, b: TestOrg, shipmentId: string): Promise<void> {
  const partners = await a.api.get('/api/v1/partners');
  if (!partners.body.items.some((p: { org_id: string }) => p.org_id === b.org_id)) await connectPartners(a, b);
  const r = await a.api.post(`/api/v1/shipments/${shipmentId}/partners`, { partner_org_id: b.org_id });
  assert.equal(r.status, 201, r.text);
}
