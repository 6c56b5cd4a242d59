// The rendered email for one shipment. The HTML body goes into a sandboxed srcdoc iframe that
// may run no script and inherits the app's Content-Security-Policy, so nothing in a template can
// run or load from elsewhere; emailFrame.ts re-applies its styles in a way the CSP allows.
import { useEffect, useMemo, useRef, useState } from 'react';
import { call, client } from '../api';
import { LoadStatus, useLoad } from '../components/ui';
import type { Body } from '../types';
import type { RenderedEmail } from './types';
import { dressFrame, prepareEmail } from './emailFrame';

export function useShipmentChoices() {
  return useLoad(() => call(client.GET('/api/v1/shipments', { params: { query: { limit: 50 } } })).then((p) => p.items), []);
}

/** Which shipment (and stop, recipient) a draft is previewed for: the preview body's own fields. */
export type PreviewTarget = Pick<Body<'previewEmailTemplateDraft'>, 'shipment_id' | 'stop_index' | 'recipient'>;

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
      <LoadStatus loaded={shipments} />
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
          {rendered.warnings?.length ? (
            <ul className="banner warn" data-testid="preview-warnings">
              {rendered.warnings.map((w) => (
                <li key={w.variable}>{w.message}</li>
              ))}
            </ul>
          ) : null}
          <dl className="facts">
            <dt>Subject</dt>
            <dd data-testid="preview-subject">{rendered.subject}</dd>
          </dl>
          <h3>HTML body</h3>
          <EmailFrame html={rendered.html} />
          <h3>Text body</h3>
          <pre className="email-text" data-testid="preview-text">
            {rendered.text}
          </pre>
        </div>
      ) : null}
    </section>
  );
}

function EmailFrame({ html }: { html: string }) {
  const email = useMemo(() => prepareEmail(html), [html]);
  const ref = useRef<HTMLIFrameElement>(null);
  return (
    <>
      {/* allow-same-origin without allow-scripts: the app can restyle the frame, the email can run nothing. */}
      <iframe
        ref={ref}
        className="email-frame"
        title="HTML body of the email"
        sandbox="allow-same-origin"
        srcDoc={email.html}
        referrerPolicy="no-referrer"
        onLoad={() => ref.current && dressFrame(ref.current, email)}
      />
      {email.remoteImages ? (
        <p className="hint">
          {email.remoteImages} remote image{email.remoteImages === 1 ? ' is' : 's are'} not loaded in the preview; recipients’ mail programs load them.
        </p>
      ) : null}
    </>
  );
}
