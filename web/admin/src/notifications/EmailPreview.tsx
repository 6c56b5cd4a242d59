// The rendered email for one shipment. The HTML body goes into a sandboxed srcdoc iframe: no
// scripts, an opaque origin, and the app's own Content-Security-Policy is inherited, so nothing in
// a template can run or load from elsewhere. Inline styles are therefore not applied here (the
// sent email keeps them); the text body is shown beside it as the recipient's fallback.
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Page, Shipment } from '../types';
import { ErrorNote, Loading, useLoad } from '../components/ui';
import type { RenderedEmail } from './types';

export function useShipmentChoices() {
  return useLoad(() => api.get<Page<Shipment>>('/api/v1/shipments?limit=50').then((p) => p.items), []);
}

export interface PreviewTarget {
  shipment_id: string;
  stop_index?: number;
  recipient?: { name: string };
}

export function EmailPreview({ onPreview, busy, rendered, error }: { onPreview: (target: PreviewTarget) => void; busy: boolean; rendered: RenderedEmail | null; error: unknown }) {
  const shipments = useShipmentChoices();
  const [shipmentId, setShipmentId] = useState('');
  const [stop, setStop] = useState('');
  const [recipient, setRecipient] = useState('');
  const stops = shipments.data?.find((s) => s.id === shipmentId)?.stops ?? [];
  const run = () =>
    onPreview({
      shipment_id: shipmentId,
      ...(stop !== '' ? { stop_index: Number(stop) } : {}),
      ...(recipient.trim() ? { recipient: { name: recipient.trim() } } : {}),
    });
  useEffect(() => {
    if (!shipmentId && shipments.data?.length) setShipmentId(shipments.data[0].id);
  }, [shipments.data, shipmentId]);

  return (
    <section className="email-preview card stack" aria-labelledby="email-preview-title">
      <h2 id="email-preview-title">Preview</h2>
      {shipments.loading && !shipments.data ? <Loading /> : shipments.error ? <ErrorNote error={shipments.error} onRetry={shipments.reload} /> : null}
      {shipments.data && !shipments.data.length ? <p className="muted">Create a shipment first to preview the email against it.</p> : null}
      {shipments.data?.length ? (
        <div className="preview-bar">
          <div className="field grow">
            <label htmlFor="email-preview-shipment">Shipment</label>
            <select
              id="email-preview-shipment"
              value={shipmentId}
              onChange={(e) => {
                setShipmentId(e.target.value);
                setStop('');
              }}
            >
              {shipments.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.reference} {s.title ? `— ${s.title}` : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="email-preview-stop">Stop</label>
            <select id="email-preview-stop" value={stop} onChange={(e) => setStop(e.target.value)}>
              <option value="">Next stop not reached</option>
              {stops.map((st, i) => (
                <option key={st.id ?? i} value={String(st.index ?? i)}>
                  {(st.index ?? i) + 1}. {st.name ?? st.address ?? st.type}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="email-preview-recipient">Recipient name</label>
            <input id="email-preview-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="Recipient" />
          </div>
          <button type="button" className="btn" disabled={busy || !shipmentId} onClick={run}>
            {busy ? 'Rendering…' : 'Preview email'}
          </button>
        </div>
      ) : null}
      {error ? <p className="muted small">The preview could not be rendered; see the messages at the fields.</p> : null}
      {rendered ? (
        <div className="stack" data-testid="email-preview">
          <p className="hint">The tracking link in a preview is a stand-in: each recipient gets their own link when the email is sent.</p>
          <dl className="facts">
            <dt>Subject</dt>
            <dd data-testid="preview-subject">{rendered.subject}</dd>
          </dl>
          <h3>HTML body</h3>
          <iframe className="email-frame" title="HTML body of the email" sandbox="" srcDoc={rendered.html} referrerPolicy="no-referrer" />
          <h3>Text body</h3>
          <pre className="email-text" data-testid="preview-text">
            {rendered.text}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
