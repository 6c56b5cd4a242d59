// People around a shipment: ad-hoc contacts, who may get their own tracking link and emails.
import { useState, type FormEvent } from 'react';
import { call, client } from '../api';
import type { Shipment } from '../types';
import { FormError, TextField, fieldError } from '../components/forms';
import { useAction } from '../components/ui';

export function ContactsCard({ s, canWrite, reload }: { s: Shipment; canWrite: boolean; reload: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const contact = useAction();
  const contacts = s.contacts ?? [];

  const addContact = async (e: FormEvent) => {
    e.preventDefault();
    const r = await contact.run(() => call(client.POST('/api/v1/shipments/{id}/contacts', { params: { path: { id: s.id } }, body: { name: name.trim() || null, email: email.trim() } })));
    if (r) {
      setName('');
      setEmail('');
      reload();
    }
  };
  const removeContact = async (id: string) => {
    const ok = await contact.run(async () => {
      await call(client.DELETE('/api/v1/shipments/{id}/contacts/{contactId}', { params: { path: { id: s.id, contactId: id } } }));
      return true;
    });
    if (ok) reload();
  };

  return (
    <section className="card" aria-labelledby="contacts-title">
      <h2 id="contacts-title">Contacts</h2>
      {contacts.length ? (
        <ul className="plain">
          {contacts.map((c) => (
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
    </section>
  );
}
