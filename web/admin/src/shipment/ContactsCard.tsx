// People around a shipment: ad-hoc contacts (who may get their own tracking link and emails) and
// partner orgs (connected forwarders/couriers who see the shipment and push positions, never share it).
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import type { Shipment } from '../types';
import { FormError, TextField, fieldError } from '../components/forms';
import { useAction, useLoad } from '../components/ui';

interface Partner {
  partner_org_id: string;
  name: string;
}

export function ContactsCard({ s, canWrite, reload }: { s: Shipment; canWrite: boolean; reload: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const contact = useAction();
  const partner = useAction();
  const partners = useLoad(() => (canWrite ? api.get<{ items: Partner[] }>(`/api/v1/shipments/${s.id}/partners`).then((r) => r.items) : Promise.resolve([])), [s.id, canWrite]);

  const addContact = async (e: FormEvent) => {
    e.preventDefault();
    const r = await contact.run(() => api.post(`/api/v1/shipments/${s.id}/contacts`, { name: name.trim() || null, email: email.trim() }));
    if (r) {
      setName('');
      setEmail('');
      reload();
    }
  };
  const removeContact = async (id: string) => {
    const ok = await contact.run(async () => {
      await api.delete(`/api/v1/shipments/${s.id}/contacts/${id}`);
      return true;
    });
    if (ok) reload();
  };
  const addPartner = async (e: FormEvent) => {
    e.preventDefault();
    const r = await partner.run(() => api.post(`/api/v1/shipments/${s.id}/partners`, { partner_org_id: partnerId.trim() }));
    if (r) {
      setPartnerId('');
      partners.reload();
    }
  };
  const removePartner = async (id: string) => {
    const ok = await partner.run(async () => {
      await api.delete(`/api/v1/shipments/${s.id}/partners/${id}`);
      return true;
    });
    if (ok) partners.reload();
  };

  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">Contacts and partners</h2>
      <h3>Contacts</h3>
      <p className="hint">Extra recipients for notifications; each can get a tracking link of their own from the Share dialog.</p>
      {s.contacts.length ? (
        <ul className="plain">
          {s.contacts.map((c) => (
            <li key={c.id}>
              {c.name ? `${c.name} ` : ''}
              <span className="muted">{c.email}</span>
              {canWrite ? (
                <button type="button" className="btn tiny ghost" onClick={() => void removeContact(c.id)} aria-label={`Remove contact ${c.email}`}>
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No extra contacts.</p>
      )}
      {canWrite ? (
        <form className="inline-form" onSubmit={(e) => void addContact(e)} noValidate aria-label="Add a contact">
          <FormError error={contact.error} shown={['body/name', 'body/email']} />
          <TextField label="Contact name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(contact.error, 'body/name')} />
          <TextField label="Contact email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(contact.error, 'body/email')} />
          <button type="submit" className="btn" disabled={contact.busy}>
            Add contact
          </button>
        </form>
      ) : null}
      {canWrite ? (
        <>
          <h3>Partner organizations</h3>
          <p className="hint">A connected forwarder or courier sees this shipment and can send positions for it, but can never create or change its links.</p>
          {partners.data?.length ? (
            <ul className="plain">
              {partners.data.map((p) => (
                <li key={p.partner_org_id}>
                  {p.name} <span className="muted small">{p.partner_org_id}</span>
                  <button type="button" className="btn tiny ghost" onClick={() => void removePartner(p.partner_org_id)} aria-label={`Stop sharing with ${p.name}`}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">Not shared with a partner.</p>
          )}
          <form className="inline-form" onSubmit={(e) => void addPartner(e)} noValidate aria-label="Share with a partner organization">
            <FormError error={partner.error} shown={['body/partner_org_id']} />
            <TextField label="Partner organization id" value={partnerId} onChange={(e) => setPartnerId(e.target.value)} error={fieldError(partner.error, 'body/partner_org_id')} />
            <button type="submit" className="btn" disabled={partner.busy}>
              Add partner
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}
