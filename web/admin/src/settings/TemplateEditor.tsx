// The tenant-wide link template: which sections every tracking page shows by default, with a live
// preview of the public page rendered from a real shipment of the org (or a sample one).
import { useEffect, useState, type FormEvent } from 'react';
import { call, client } from '../api';
import { DRIVER_POSITION_LABEL, SECTION_GROUPS, SECTION_LABEL } from '../format';
import { useCan } from '../session';
import type { DriverPosition, LinkTemplate, Shipment } from '../types';
import { Checkbox, FormError, SelectField, fieldError } from '../components/forms';
import { ErrorNote, Flash, Loading, useAction, useFlash, useLoad } from '../components/ui';
import { PublicPreview, SAMPLE_SHIPMENT } from './PublicPreview';

/** The server's preview of the public page: one of the org's shipments under the template being edited. */
function previewUrl(shipmentId: string, t: LinkTemplate): string {
  const q = new URLSearchParams({ shipment_id: shipmentId, driver_position: t.driver_position });
  for (const g of SECTION_GROUPS) for (const k of g.keys) q.set(k, t[k] ? '1' : '0');
  return `/api/v1/org/link-template/preview?${q.toString()}`;
}

export function TemplateEditor() {
  const loaded = useLoad(() => call(client.GET('/api/v1/org/link-template')), []);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error || !loaded.data) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  return <Editor initial={loaded.data} />;
}

function Editor({ initial }: { initial: LinkTemplate }) {
  const isOwner = useCan('owner');
  const [t, setT] = useState<LinkTemplate>(initial);
  const [saved, setSaved] = useState<LinkTemplate>(initial);
  const [flash, setFlash] = useFlash();
  const action = useAction();
  const shipments = useLoad(() => call(client.GET('/api/v1/shipments', { params: { query: { limit: 20 } } })).then((p) => p.items), []);
  const [sampleId, setSampleId] = useState('');
  const sample = useLoad<Shipment>(() => (sampleId ? call(client.GET('/api/v1/shipments/{id}', { params: { path: { id: sampleId } } })) : Promise.resolve(SAMPLE_SHIPMENT)), [sampleId]);
  const tracking = useLoad(() => (sampleId ? call(client.GET('/api/v1/shipments/{id}/tracking', { params: { path: { id: sampleId } } })).catch(() => null) : Promise.resolve(null)), [sampleId]);
  useEffect(() => {
    if (!sampleId && shipments.data?.length) setSampleId(shipments.data[0].id);
  }, [shipments.data, sampleId]);
  const dirty = JSON.stringify(t) !== JSON.stringify(saved);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.PUT('/api/v1/org/link-template', { body: t })));
    if (r) {
      setT(r);
      setSaved(r);
      setFlash('Template saved: every link that follows the template shows the new selection now');
    }
  };
  const publicUrl = tracking.data?.general?.available ? tracking.data.general.url : null;

  return (
    <div className="template-editor">
      <form onSubmit={(e) => void save(e)} noValidate className="card stack" aria-label="Link template">
        <Flash message={flash} />
        <p className="hint">The template is the default for every tracking link of the organization. A link's own options (Share dialog) override it key by key.</p>
        <FormError error={action.error} shown={[]} />
        {SECTION_GROUPS.map((g) => (
          <fieldset key={g.title} className="options">
            <legend>{g.title}</legend>
            {g.keys.map((k) => (
              <Checkbox key={k} label={SECTION_LABEL[k]} name={`template-${k}`} checked={t[k]} onChange={(e) => setT((x) => ({ ...x, [k]: e.target.checked }))} disabled={!isOwner} error={fieldError(action.error, `body/${k}`)} />
            ))}
          </fieldset>
        ))}
        <SelectField
          label="Driver position on the map"
          value={t.driver_position}
          onChange={(e) => setT((x) => ({ ...x, driver_position: e.target.value as DriverPosition }))}
          options={(Object.keys(DRIVER_POSITION_LABEL) as DriverPosition[]).map((v) => ({ value: v, label: DRIVER_POSITION_LABEL[v] }))}
          disabled={!isOwner}
          error={fieldError(action.error, 'body/driver_position')}
        />
        {isOwner ? (
          <div className="actions sticky">
            <button type="submit" className="btn primary" disabled={action.busy || !dirty}>
              Save template
            </button>
            <button type="button" className="btn ghost" onClick={() => setT(saved)} disabled={!dirty}>
              Discard changes
            </button>
            {dirty ? <span className="muted small">Unsaved changes (the preview shows them already)</span> : null}
          </div>
        ) : null}
      </form>
      <section className="preview-col" aria-labelledby="preview-title">
        <div className="preview-head">
          <h2 id="preview-title">Live preview</h2>
          <div className="field">
            <label htmlFor="preview-shipment">Preview with</label>
            <select id="preview-shipment" value={sampleId} onChange={(e) => setSampleId(e.target.value)}>
              <option value="">A sample shipment</option>
              {(shipments.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.reference} {s.title ? `— ${s.title}` : ''}
                </option>
              ))}
            </select>
          </div>
          {publicUrl ? (
            <a href={publicUrl} target="_blank" rel="noreferrer" className="small">
              Open its public page (saved template)
            </a>
          ) : null}
        </div>
        {sampleId ? (
          // The real page, rendered by the server for this shipment under the edited template. No
          // scripts (sandbox and the reply's CSP); same origin, so its styles and images load. Out of
          // the tab order: a picture of the page (its links would lead nowhere from here).
          <iframe tabIndex={-1} className="template-preview-frame" title="Preview of the public tracking page" sandbox="allow-same-origin" src={previewUrl(sampleId, t)} data-testid="template-preview-frame" />
        ) : sample.data ? (
          <PublicPreview shipment={sample.data} template={t} />
        ) : sample.error ? (
          <ErrorNote error={sample.error} />
        ) : (
          <Loading />
        )}
      </section>
    </div>
  );
}
