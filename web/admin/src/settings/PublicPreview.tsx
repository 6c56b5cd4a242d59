// A faithful sketch of the public tracking page for a shipment under a template: only the
// sections the template turns on, only shareable fields and customer notes, never internal data.
import type { CSSProperties } from 'react';
import { formatDateTime, formatNumber, localeOf, sameOrigin, STATUS_LABEL } from '../format';
import { useSession } from '../session';
import type { LinkTemplate, Shipment } from '../types';

export const SAMPLE_SHIPMENT: Shipment = {
  id: 'sample',
  kind: 'consignment',
  reference: 'CN-1042',
  title: '12 pallets of tiles',
  status: 'in_transit',
  stages: ['Booked', 'Picked up', 'In transit', 'Delivered'],
  current_stage: 2,
  eta: new Date(Date.now() + 5 * 3600_000).toISOString(),
  eta_source: 'computed',
  eta_calculated_at: new Date().toISOString(),
  delivered_at: null,
  customer_reference: 'PO-88',
  container_number: 'MSCU1234567',
  transport_service: 'FTL',
  custom_fields: [{ key: 'Dock', value: '7', shareable: true }],
  extra_fields: [{ key: 'Temperature', value: '4 °C', shareable: true }],
  stops: [
    { id: 's0', index: 0, type: 'pickup', name: 'Depot Amsterdam', address: 'Main St 1', lat: 52.37, lon: 4.89, reference: 'PU-1', window_start: null, window_end: null, eta: null, arrived_at: new Date(Date.now() - 3 * 3600_000).toISOString(), departed_at: null, contact: null },
    { id: 's1', index: 1, type: 'delivery', name: 'Customer Rotterdam', address: 'High St 2', lat: 51.92, lon: 4.48, reference: 'DL-1', window_start: null, window_end: null, eta: new Date(Date.now() + 5 * 3600_000).toISOString(), arrived_at: null, departed_at: null, contact: null },
  ],
  cargo: [{ id: 'c0', index: 0, description: 'Pallets of tiles', quantity: 12, packaging: 'EUR pallet', weight_kg: 8400 }],
  segments: [],
  pallet_scans: [{ id: 'p1', cargo_index: 0, stop_index: 0, event: 'loaded', code: 'PAL-0001', place: null, scanned_at: new Date(Date.now() - 3 * 3600_000).toISOString() }],
  photos: [],
  hero_photo_id: null,
  notes: [{ id: 'n1', scope: 'customer', body: 'Please have a forklift ready at the dock.', author: null, created_at: new Date().toISOString() }],
  contacts: [],
  proof_of_delivery: null,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
};

export function PublicPreview({ shipment: s, template: t }: { shipment: Shipment; template: LinkTemplate }) {
  const { me } = useSession();
  const org = me.org;
  const locale = localeOf(org.country);
  const hero = s.photos.find((p) => p.id === s.hero_photo_id);
  const customerNotes = s.notes.filter((n) => n.scope === 'customer');
  const fields = [
    t.customer_reference && s.customer_reference ? ['Customer reference', s.customer_reference] : null,
    t.container_number && s.container_number ? ['Container number', s.container_number] : null,
    t.transport_service && s.transport_service ? ['Transport service', s.transport_service] : null,
    ...(t.custom_fields ? s.custom_fields.filter((f) => f.shareable).map((f) => [f.key, f.value]) : []),
    ...(t.extra_fields ? s.extra_fields.filter((f) => f.shareable).map((f) => [f.key, f.value]) : []),
  ].filter((x): x is string[] => x !== null);
  return (
    <div className="public-preview" aria-label="Preview of the public tracking page" data-testid="template-preview" style={org.brand_color ? ({ '--brand': org.brand_color } as CSSProperties) : undefined}>
      <div className="pp-bar">
        {org.logo_url ? <img src={sameOrigin(org.logo_url)} alt="" /> : null}
        <strong>{org.name}</strong>
      </div>
      <div className="pp-body">
        <h3>{s.title ?? s.reference}</h3>
        {t.hero_photo && hero ? <img className="pp-hero" src={hero.url} alt="" /> : null}
        {t.status ? (
          <p data-section="status">
            <span className="pp-status">{STATUS_LABEL[s.status]}</span>
          </p>
        ) : null}
        {t.progress && s.stages.length ? (
          <ol className="pp-stages" data-section="progress">
            {s.stages.map((st, i) => (
              <li key={i} className={s.current_stage !== null && i <= s.current_stage ? 'done' : ''}>
                {st}
              </li>
            ))}
          </ol>
        ) : null}
        {t.eta && s.eta ? <p data-section="eta">Estimated arrival: <strong>{formatDateTime(s.eta, locale)}</strong></p> : null}
        {t.map ? (
          <div className="pp-map" data-section="map">
            Map with pickup and delivery{t.driver_position !== 'never' ? (t.driver_position === 'always' ? ' and the live driver position' : ', driver position while en route to delivery') : ''}
            {t.history ? ' · history scrubber' : ''}
          </div>
        ) : null}
        {t.stops && s.stops.length ? (
          <div data-section="stops">
            <h4>Stops</h4>
            <ul>
              {s.stops.map((st, i) => (
                <li key={i}>
                  <strong>{st.name ?? st.type}</strong> {t.stop_references && st.reference ? <span className="muted">({st.reference})</span> : null}
                  {t.estimated_times && st.eta ? <span className="muted"> · ETA {formatDateTime(st.eta, locale)}</span> : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {t.cargo && s.cargo.length ? (
          <div data-section="cargo">
            <h4>Cargo</h4>
            <ul>
              {s.cargo.map((c, i) => (
                <li key={i}>
                  {c.quantity !== null ? `${formatNumber(c.quantity, locale)} × ` : ''}
                  {c.description} {c.packaging ? `(${c.packaging})` : ''} {c.weight_kg !== null ? `· ${formatNumber(c.weight_kg, locale)} kg` : ''}
                </li>
              ))}
            </ul>
            {t.pallet_scans && s.pallet_scans.length ? (
              <p className="muted small" data-section="pallet_scans">
                {s.pallet_scans.length} pallet scan{s.pallet_scans.length === 1 ? '' : 's'}, latest: {s.pallet_scans[s.pallet_scans.length - 1].event}
              </p>
            ) : null}
          </div>
        ) : null}
        {fields.length ? (
          <dl className="pp-fields" data-section="fields">
            {fields.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        {t.customer_notes && customerNotes.length ? (
          <div data-section="customer_notes">
            <h4>Notes</h4>
            {customerNotes.map((n) => (
              <p key={n.id}>{n.body}</p>
            ))}
          </div>
        ) : null}
        {t.proof_of_delivery && s.proof_of_delivery ? <p data-section="proof_of_delivery">Proof of delivery (PDF)</p> : null}
        <p className="pp-foot muted small">Shown in {locale}. Internal fields, internal notes and prices never appear.</p>
      </div>
    </div>
  );
}
