// One shipment: header with status and the Public tracking indicator, actions (Share, Edit, Delete),
// and every part of it — stages, stops, cargo, scans, notes, photos, positions. A shipment a
// partner shared with this org shows what the partner view allows, read-only, with no share action.
import { useEffect, useState } from 'react';
import { call, client } from '../api';
import { formatDateTime, formatNumber, localeOf, STATUS_LABEL } from '../format';
import { Link, navigate } from '../router';
import { useCan, useSession } from '../session';
import type { Shipment, ShipmentStatus, Tracking } from '../types';
import { ShareDialog } from '../components/ShareDialog';
import { ErrorNote, Loading, PublicIndicator, StatusBadge, useAction, useLoad } from '../components/ui';
import { NotesCard } from '../shipment/NotesCard';
import { PhotosCard } from '../shipment/PhotosCard';
import { ScansCard } from '../shipment/ScansCard';
import { MapCard } from '../shipment/MapCard';
import { PodUpload } from '../shipment/PodUpload';
import { ContactsCard } from '../shipment/ContactsCard';
import { PartnersCard } from '../shipment/PartnersCard';
import { FormError } from '../components/forms';
import { ConfirmButton } from '../components/ConfirmButton';
import { DataTable } from '../components/DataTable';

/** How often an open shipment page reads the shipment and its positions again. */
export const REFRESH_MS = 30_000;

export function ShipmentPage({ id }: { id: string }) {
  const shipment = useLoad<Shipment>(() => call(client.GET('/api/v1/shipments/{id}', { params: { path: { id } } })), [id]);
  const own = shipment.data && !shipment.data.shared_by_org_id;
  // Tracking links belong to the owning org; partners see tracking but never the share action.
  const tracking = useLoad(() => (own ? call(client.GET('/api/v1/shipments/{id}/tracking', { params: { path: { id } } })).catch(() => null) : Promise.resolve(null)), [id, own]);
  // Status and ETA move while the page is open (stop events, computed ETAs): read them again now and then.
  const { reload } = shipment;
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  if (shipment.loading && !shipment.data) return <Loading />;
  if (shipment.error || !shipment.data) return <ErrorNote error={shipment.error} onRetry={shipment.reload} />;
  return <ShipmentView s={shipment.data} tracking={tracking.data ?? null} reload={shipment.reload} reloadTracking={tracking.reload} />;
}

function ShipmentView({ s, tracking, reload, reloadTracking }: { s: Shipment; tracking: Tracking | null; reload: () => void; reloadTracking: () => void }) {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canDispatch = useCan('dispatcher');
  const canDelete = useCan('admin');
  const canSharePartners = useCan('admin');
  const own = !s.shared_by_org_id;
  const [sharing, setSharing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const action = useAction();

  const setStatus = async (status: ShipmentStatus) => {
    const ok = await action.run(() => call(client.POST('/api/v1/shipments/{id}/events', { params: { path: { id: s.id } }, body: { type: 'status_changed', status } })));
    if (ok !== undefined) reload();
  };
  const setStage = async (current_stage: number) => {
    const ok = await action.run(() => call(client.POST('/api/v1/shipments/{id}/events', { params: { path: { id: s.id } }, body: { type: 'stage_changed', current_stage } })));
    if (ok !== undefined) reload();
  };
  const stopEvent = async (type: 'stop_arrived' | 'stop_departed', stop_index: number) => {
    const ok = await action.run(() => call(client.POST('/api/v1/shipments/{id}/events', { params: { path: { id: s.id } }, body: { type, stop_index } })));
    if (ok !== undefined) reload();
  };
  const remove = async () => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/shipments/{id}', { params: { path: { id: s.id } } }));
      return true;
    });
    if (ok) navigate('/shipments');
  };

  return (
    <article className="page" aria-labelledby="shipment-title">
      <p className="crumbs">
        <Link to="/shipments">Shipments</Link> / {s.reference}
      </p>
      <header className="shipment-head">
        <div>
          <h1 id="shipment-title">
            {s.reference} {s.title ? <span className="subtitle">{s.title}</span> : null}
          </h1>
          <p className="head-badges">
            <StatusBadge status={s.status} />
            <span className="badge subtle">{s.kind.replace('_', ' ')}</span>
            {tracking?.public ? <PublicIndicator /> : null}
            {s.shared_by_org_id ? <span className="badge subtle">Shared with you by {s.shared_by?.name ?? 'a partner'}</span> : null}
          </p>
        </div>
        <div className="actions wrap">
          {own && canDispatch ? (
            <button type="button" className="btn primary" onClick={() => setSharing(true)} aria-haspopup="dialog">
              Share tracking
            </button>
          ) : null}
          {own && canDispatch ? (
            <Link to={`/shipments/${s.id}/edit`} className="btn">
              Edit
            </Link>
          ) : null}
          {own && canDelete ? (
            <ConfirmButton
              open={confirmDelete}
              onOpen={() => setConfirmDelete(true)}
              onCancel={() => setConfirmDelete(false)}
              onConfirm={() => void remove()}
              confirmText="Delete"
              groupLabel="Confirm delete"
              prompt={<span>Delete for good? Its tracking links stop working.</span>}
            >
              Delete
            </ConfirmButton>
          ) : null}
        </div>
      </header>
      <FormError error={action.error} />
      {tracking && tracking.active_count > 0 ? (
        <p className="muted small">
          {tracking.active_count} active tracking link{tracking.active_count === 1 ? '' : 's'}. <Link to={`/links?shipment_id=${s.id}`}>See all links</Link>
        </p>
      ) : null}

      <div className="cards">
        <section className="card" aria-labelledby="ov-title">
          <h2 id="ov-title">Overview</h2>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              {own && canDispatch ? (
                <>
                  <label htmlFor="status-select" className="sr-only">
                    Change status
                  </label>
                  <select id="status-select" value={s.status} onChange={(e) => void setStatus(e.target.value as ShipmentStatus)} disabled={action.busy}>
                    {(Object.keys(STATUS_LABEL) as ShipmentStatus[]).map((k) => (
                      <option key={k} value={k}>
                        {STATUS_LABEL[k]}
                      </option>
                    ))}
                  </select>
                </>
              ) : (
                STATUS_LABEL[s.status]
              )}
            </dd>
            <dt>ETA</dt>
            <dd>
              {formatDateTime(s.eta, locale)} {s.eta_source ? <span className="muted small">({s.eta_source})</span> : null}
            </dd>
            {own ? (
              <>
                <dt>Customer reference</dt>
                <dd>{s.customer_reference ?? '—'}</dd>
              </>
            ) : null}
            <dt>Container number</dt>
            <dd>{s.container_number ?? '—'}</dd>
            <dt>Transport service</dt>
            <dd>{s.transport_service ?? '—'}</dd>
            {[...s.custom_fields.map((f) => ({ ...f, kind: 'Custom' })), ...s.extra_fields.map((f) => ({ ...f, kind: 'Extra' }))].map((f) => (
              <FieldRow key={f.kind + f.key} label={f.key} value={f.value} note={`${f.kind} field · ${f.shareable ? 'shareable' : 'not shareable'}`} />
            ))}
          </dl>
        </section>

        <section className="card" aria-labelledby="st-title">
          <h2 id="st-title">Progress</h2>
          {s.stages.length ? (
            <ol className="stages">
              {s.stages.map((st, i) => (
                <li key={i} className={s.current_stage === null ? '' : i < s.current_stage ? 'done' : i === s.current_stage ? 'current' : ''} aria-current={i === s.current_stage ? 'step' : undefined}>
                  <span>{st}</span>
                  {own && canDispatch && i !== s.current_stage ? (
                    <button type="button" className="btn tiny ghost" onClick={() => void setStage(i)} aria-label={`Set current stage to ${st}`}>
                      Set current
                    </button>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No progress stages.{own && canDispatch ? ' Add them with Edit.' : ''}</p>
          )}
        </section>

        <section className="card span-2" aria-labelledby="stops-title">
          <h2 id="stops-title">Stops</h2>
          {s.stops.length ? (
            <DataTable columns={['#', 'Stop', 'Reference', 'Window', 'ETA', 'Arrived / departed', ...(own ? ['Contact'] : [])]}>
              {s.stops.map((st, i) => (
                <tr key={st.id ?? i}>
                  <td data-label="#">{i + 1}</td>
                  <th scope="row" data-label="Stop">
                    <span className="badge subtle">{st.type}</span> {st.name ?? '—'}
                    <div className="muted small">{st.address}</div>
                  </th>
                  <td data-label="Reference">{st.reference ?? '—'}</td>
                  <td data-label="Window">
                    {st.window_start ? `${formatDateTime(st.window_start, locale)} – ${formatDateTime(st.window_end, locale)}` : '—'}
                  </td>
                  <td data-label="ETA">{formatDateTime(st.eta, locale)}</td>
                  <td data-label="Arrived / departed">
                    {st.arrived_at ? formatDateTime(st.arrived_at, locale) : own && canDispatch ? (
                      <button type="button" className="btn tiny" onClick={() => void stopEvent('stop_arrived', i)}>
                        Mark arrived
                      </button>
                    ) : '—'}
                    {' / '}
                    {st.departed_at ? formatDateTime(st.departed_at, locale) : own && canDispatch && st.arrived_at ? (
                      <button type="button" className="btn tiny" onClick={() => void stopEvent('stop_departed', i)}>
                        Mark departed
                      </button>
                    ) : '—'}
                  </td>
                  {own ? <td data-label="Contact">{st.contact ? `${st.contact.name ?? ''} ${st.contact.email ?? ''}` : '—'}</td> : null}
                </tr>
              ))}
            </DataTable>
          ) : (
            <p className="muted">No stops.</p>
          )}
        </section>

        <section className="card" aria-labelledby="cargo-title">
          <h2 id="cargo-title">Cargo</h2>
          {s.cargo.length ? (
            <ul className="plain">
              {s.cargo.map((c, i) => (
                <li key={i}>
                  <strong>{c.description}</strong>
                  <div className="muted small">
                    {c.quantity !== null ? `${formatNumber(c.quantity, locale)} × ` : ''}
                    {c.packaging ?? ''} {c.weight_kg !== null ? `· ${formatNumber(c.weight_kg, locale)} kg` : ''}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No cargo lines.</p>
          )}
        </section>

        <ScansCard s={s} canWrite={own && canDispatch} locale={locale} reload={reload} />
        <NotesCard s={s} canWrite={own && canDispatch} locale={locale} reload={reload} />
        <PhotosCard s={s} canWrite={own && canDispatch} reload={reload} />
        {own ? <ContactsCard s={s} canWrite={canDispatch} reload={reload} /> : null}
        {own && canSharePartners ? <PartnersCard s={s} /> : null}
        <MapCard s={s} canWrite={own && canDispatch} locale={locale} />

        <section className="card" aria-labelledby="pod-title">
          <h2 id="pod-title">Proof of delivery</h2>
          {s.proof_of_delivery ? (
            <p>
              Captured {formatDateTime(s.proof_of_delivery.captured_at, locale)}
              {s.proof_of_delivery.signed_by ? `, signed by ${s.proof_of_delivery.signed_by}` : ''}.{' '}
              {s.proof_of_delivery.url ? <a href={s.proof_of_delivery.url}>Download</a> : <span className="muted small">The document stays with {s.shared_by?.name ?? 'the owner'}.</span>}
            </p>
          ) : (
            <p className="muted">Not captured yet.</p>
          )}
          {own && canDispatch ? <PodUpload shipmentId={s.id} reload={reload} /> : null}
        </section>

        {s.internal ? (
          <section className="card internal" aria-labelledby="int-title">
            <h2 id="int-title">Internal</h2>
            <p className="hint">Never shown on any tracking page.</p>
            <dl className="facts">
              <FieldRow label="VIN" value={String(s.internal.vin ?? '—')} />
              <FieldRow label="Stock number" value={String(s.internal.stock_number ?? '—')} />
              <FieldRow label="Cost" value={typeof s.internal.cost === 'number' ? formatNumber(s.internal.cost, locale) : '—'} />
              <FieldRow label="Price" value={typeof s.internal.price === 'number' ? formatNumber(s.internal.price, locale) : '—'} />
            </dl>
          </section>
        ) : null}
      </div>
      {own && canDispatch ? (
        <ShareDialog
          shipment={s}
          open={sharing}
          onClose={() => setSharing(false)}
          onChanged={() => {
            reloadTracking();
          }}
        />
      ) : null}
    </article>
  );
}

function FieldRow({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {value} {note ? <span className="muted small">({note})</span> : null}
      </dd>
    </>
  );
}
