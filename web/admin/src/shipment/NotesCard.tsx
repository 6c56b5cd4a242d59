// Notes on a shipment. Internal notes never leave the org; customer notes may appear on the tracking page.
import { useState, type FormEvent } from 'react';
import { call, client } from '../api';
import { formatDateTime } from '../format';
import type { Shipment } from '../types';
import { FormError, TextArea, fieldError } from '../components/forms';
import { useAction } from '../components/ui';

export function NotesCard({ s, canWrite, locale, reload }: { s: Shipment; canWrite: boolean; locale: string; reload: () => void }) {
  const [body, setBody] = useState('');
  const [scope, setScope] = useState<'internal' | 'customer'>('internal');
  const action = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.POST('/api/v1/shipments/{id}/notes', { params: { path: { id: s.id } }, body: { scope, body } })));
    if (r) {
      setBody('');
      reload();
    }
  };
  const remove = async (id: string) => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/shipments/{id}/notes/{noteId}', { params: { path: { id: s.id, noteId: id } } }));
      return true;
    });
    if (ok) reload();
  };
  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      {s.notes.length ? (
        <ul className="notes">
          {s.notes.map((n) => (
            <li key={n.id} className={`note ${n.scope}`}>
              <span className={`badge scope-${n.scope}`}>{n.scope === 'internal' ? 'Internal — never shared' : 'Customer — may be shared'}</span>
              <p>{n.body}</p>
              <span className="muted small">
                {n.author ? `${n.author} · ` : ''}
                {formatDateTime(n.created_at, locale)}
              </span>
              {canWrite ? (
                <button type="button" className="btn tiny ghost" onClick={() => void remove(n.id)} aria-label="Delete note">
                  Delete
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No notes yet.</p>
      )}
      {canWrite ? (
        <form onSubmit={(e) => void add(e)} noValidate className="stack" aria-label="Add a note">
          <FormError error={action.error} shown={['body/body', 'body/scope']} />
          <fieldset className="segmented">
            <legend>Scope</legend>
            <label>
              <input type="radio" name="note-scope" value="internal" checked={scope === 'internal'} onChange={() => setScope('internal')} /> Internal
            </label>
            <label>
              <input type="radio" name="note-scope" value="customer" checked={scope === 'customer'} onChange={() => setScope('customer')} /> Customer
            </label>
          </fieldset>
          <TextArea label="Note" rows={3} value={body} onChange={(e) => setBody(e.target.value)} error={fieldError(action.error, 'body/body')} />
          <button type="submit" className="btn" disabled={action.busy}>
            Add note
          </button>
        </form>
      ) : null}
    </section>
  );
}
