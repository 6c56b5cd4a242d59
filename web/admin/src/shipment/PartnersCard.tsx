// Which connected partner organizations (forwarders, couriers) see this shipment: they follow its
// tracking in their own Tracklink and may send positions, but never share it. Partners are
// connected under Partners first; here an admin picks among them.
import { useState, type FormEvent } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { Link } from '../router';
import type { Shipment } from '../types';
import { FormError, SelectField, fieldError } from '../components/forms';
import { useAction, useLoad } from '../components/ui';

export function PartnersCard({ s }: { s: Shipment }) {
  const shares = useLoad(() => all((cursor) => client.GET('/api/v1/shipments/{id}/partners', { params: { path: { id: s.id }, query: { limit: PAGE_ALL, cursor } } })), [s.id]);
  const partners = useLoad(() => all((cursor) => client.GET('/api/v1/partners', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const [choice, setChoice] = useState('');
  const action = useAction();
  const sharedWith = new Set((shares.data ?? []).map((p) => p.partner_org_id));
  const available = (partners.data ?? []).filter((p) => !sharedWith.has(p.org_id));

  const share = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.POST('/api/v1/shipments/{id}/partners', { params: { path: { id: s.id } }, body: { partner_org_id: choice || available[0]?.org_id } })));
    if (r) {
      setChoice('');
      shares.reload();
    }
  };
  const unshare = async (id: string) => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/shipments/{id}/partners/{partnerOrgId}', { params: { path: { id: s.id, partnerOrgId: id } } }));
      return true;
    });
    if (ok) shares.reload();
  };

  return (
    <section className="card" aria-labelledby="partners-title">
      <h2 id="partners-title">Partner organizations</h2>
      <p className="hint">A connected forwarder or courier sees this shipment’s tracking (never its internal data, contacts or links) and can send positions for it.</p>
      <FormError error={action.error} shown={['body/partner_org_id']} />
      {shares.data?.length ? (
        <ul className="plain">
          {shares.data.map((p) => (
            <li key={p.partner_org_id}>
              {p.name} {p.handle ? <span className="muted small">@{p.handle}</span> : null}
              <button type="button" className="btn tiny ghost" onClick={() => void unshare(p.partner_org_id)} aria-label={`Stop sharing with ${p.name}`}>
                Stop sharing
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Not shared with a partner.</p>
      )}
      {partners.data && !partners.data.length ? (
        <p className="muted small">
          No connected partners yet. <Link to="/partners">Invite one under Partners</Link>.
        </p>
      ) : null}
      {available.length ? (
        <form className="inline-form" onSubmit={(e) => void share(e)} noValidate aria-label="Share with a partner organization">
          <SelectField
            label="Partner"
            value={choice || available[0].org_id}
            onChange={(e) => setChoice(e.target.value)}
            options={available.map((p) => ({ value: p.org_id, label: p.handle ? `${p.name} (@${p.handle})` : p.name }))}
            error={fieldError(action.error, 'body/partner_org_id')}
          />
          <button type="submit" className="btn" disabled={action.busy}>
            Share with partner
          </button>
        </form>
      ) : null}
    </section>
  );
}
