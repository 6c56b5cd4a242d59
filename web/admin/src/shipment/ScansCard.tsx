// Pallet scans: when, where and what happened to each cargo line.
import { useState, type FormEvent } from 'react';
import { call, client } from '../api';
import { formatDateTime, fromLocalInput } from '../format';
import type { Shipment } from '../types';
import { FormError, SelectField, TextField, fieldError } from '../components/forms';
import { useAction } from '../components/ui';

export function ScansCard({ s, canWrite, locale, reload }: { s: Shipment; canWrite: boolean; locale: string; reload: () => void }) {
  const [event, setEvent] = useState('loaded');
  const [code, setCode] = useState('');
  const [cargo, setCargo] = useState('');
  const [stop, setStop] = useState('');
  const [at, setAt] = useState('');
  const action = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      event,
      code: code.trim() || null,
      cargo_index: cargo === '' ? null : Number(cargo),
      stop_index: stop === '' ? null : Number(stop),
      ...(at ? { scanned_at: fromLocalInput(at) ?? undefined } : {}),
    };
    const r = await action.run(() => call(client.POST('/api/v1/shipments/{id}/pallet-scans', { params: { path: { id: s.id } }, body })));
    if (r) {
      setCode('');
      reload();
    }
  };
  return (
    <section className="card" aria-labelledby="scans-title">
      <h2 id="scans-title">Pallet scans</h2>
      {s.pallet_scans.length ? (
        <ul className="plain">
          {s.pallet_scans.map((p) => (
            <li key={p.id}>
              <strong>{p.event}</strong> {p.code ? <code>{p.code}</code> : null}
              <div className="muted small">
                {formatDateTime(p.scanned_at, locale)}
                {p.cargo_index !== null && s.cargo[p.cargo_index] ? ` · ${s.cargo[p.cargo_index].description}` : ''}
                {p.stop_index !== null && s.stops[p.stop_index] ? ` · at ${s.stops[p.stop_index].name ?? `stop ${p.stop_index + 1}`}` : ''}
                {p.place ? ` · ${p.place}` : ''}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No scans yet.</p>
      )}
      {canWrite ? (
        <form onSubmit={(e) => void add(e)} noValidate className="grid-2" aria-label="Record a pallet scan">
          <FormError error={action.error} shown={['body/event', 'body/code', 'body/cargo_index', 'body/stop_index', 'body/scanned_at']} />
          <TextField label="Event" value={event} onChange={(e) => setEvent(e.target.value)} list="scan-events" error={fieldError(action.error, 'body/event')} />
          <datalist id="scan-events">
            <option value="loaded" />
            <option value="unloaded" />
            <option value="scanned" />
            <option value="damaged" />
          </datalist>
          <TextField label="Code" value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(action.error, 'body/code')} />
          <SelectField label="Cargo line" value={cargo} onChange={(e) => setCargo(e.target.value)} options={[{ value: '', label: '—' }, ...s.cargo.map((c, i) => ({ value: String(i), label: c.description }))]} error={fieldError(action.error, 'body/cargo_index')} />
          <SelectField label="Stop" value={stop} onChange={(e) => setStop(e.target.value)} options={[{ value: '', label: '—' }, ...s.stops.map((st, i) => ({ value: String(i), label: st.name ?? `Stop ${i + 1}` }))]} error={fieldError(action.error, 'body/stop_index')} />
          <TextField label="Scanned at (default now)" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} error={fieldError(action.error, 'body/scanned_at')} />
          <div className="field end">
            <button type="submit" className="btn" disabled={action.busy}>
              Record scan
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
