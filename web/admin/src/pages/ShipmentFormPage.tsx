// Create or edit a shipment. Every input maps to one API field, so validation errors land beside it.
import { useEffect, useState, type FormEvent } from 'react';
import { call, client } from '../api';
import { fromLocalInput, STATUS_LABEL, toLocalInput } from '../format';
import { Link, navigate } from '../router';
import type { CargoInput, Field, SegmentInput, Shipment, ShipmentKind, ShipmentStatus, StopInput } from '../types';
import { Checkbox, FormError, SelectField, TextArea, TextField, fieldError } from '../components/forms';
import { ErrorNote, Loading, useAction, useLoad } from '../components/ui';

const KINDS: { value: ShipmentKind; label: string }[] = [
  { value: 'consignment', label: 'Consignment' },
  { value: 'order', label: 'Order' },
  { value: 'vehicle', label: 'Vehicle' },
  { value: 'tracker_session', label: 'Tracker session' },
];
const STATUSES = (Object.keys(STATUS_LABEL) as ShipmentStatus[]).map((s) => ({ value: s, label: STATUS_LABEL[s] }));

interface Draft {
  kind: ShipmentKind;
  reference: string;
  title: string;
  status: ShipmentStatus;
  eta: string;
  customer_reference: string;
  container_number: string;
  transport_service: string;
  stages: string;
  current_stage: string;
  stops: StopInput[];
  cargo: CargoInput[];
  segments: SegmentInput[];
  custom_fields: Field[];
  extra_fields: Field[];
  vin: string;
  stock_number: string;
  cost: string;
  price: string;
}

const emptyStop = (type: StopInput['type']): StopInput => ({ type, name: '', address: '', lat: null, lon: null, reference: '', window_start: null, window_end: null, eta: null, contact: { name: '', email: '' } });

function toDraft(s?: Shipment): Draft {
  const internal = (s?.internal ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    kind: s?.kind ?? 'consignment',
    reference: s?.reference ?? '',
    title: s?.title ?? '',
    status: s?.status ?? 'planned',
    eta: toLocalInput(s?.eta),
    customer_reference: s?.customer_reference ?? '',
    container_number: s?.container_number ?? '',
    transport_service: s?.transport_service ?? '',
    stages: (s?.stages ?? []).join('\n'),
    current_stage: s?.current_stage === null || s?.current_stage === undefined ? '' : String(s.current_stage + 1),
    stops: s?.stops.map((x) => ({ ...x, contact: x.contact ?? { name: '', email: '' } })) ?? [emptyStop('pickup'), emptyStop('delivery')],
    cargo: s?.cargo ?? [],
    segments: s?.segments ?? [],
    custom_fields: s?.custom_fields ?? [],
    extra_fields: s?.extra_fields ?? [],
    vin: str(internal.vin),
    stock_number: str(internal.stock_number),
    cost: str(internal.cost),
    price: str(internal.price),
  };
}

const nul = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? null : v.trim());
const num = (v: string | number | null | undefined): number | null => {
  if (v === null || v === undefined || String(v).trim() === '') return null;
  const n = Number(String(v).replace(',', '.'));
  // Send what the person typed when it is not a number, so the API names the field.
  return Number.isFinite(n) ? n : (String(v) as unknown as number);
};

function toBody(d: Draft, original?: Shipment) {
  const stages = d.stages.split('\n').map((s) => s.trim()).filter(Boolean);
  return {
    kind: d.kind,
    reference: d.reference.trim(),
    title: nul(d.title),
    status: d.status,
    eta: fromLocalInput(d.eta),
    customer_reference: nul(d.customer_reference),
    container_number: nul(d.container_number),
    transport_service: nul(d.transport_service),
    stages,
    current_stage: d.current_stage.trim() === '' ? null : Number(d.current_stage) - 1,
    stops: d.stops.map((s) => ({
      type: s.type,
      name: nul(s.name),
      address: nul(s.address),
      lat: num(s.lat),
      lon: num(s.lon),
      reference: nul(s.reference),
      window_start: s.window_start,
      window_end: s.window_end,
      eta: s.eta,
      contact: s.contact && (nul(s.contact.name) || nul(s.contact.email)) ? { name: nul(s.contact.name), email: nul(s.contact.email) } : null,
    })),
    cargo: d.cargo.map((c) => ({ description: c.description.trim(), quantity: num(c.quantity), packaging: nul(c.packaging), weight_kg: num(c.weight_kg) })),
    segments: d.segments.map((g) => ({ name: nul(g.name), from_stop: num(g.from_stop), to_stop: num(g.to_stop) })),
    custom_fields: d.custom_fields,
    extra_fields: d.extra_fields,
    internal: { ...(original?.internal ?? {}), vin: nul(d.vin), stock_number: nul(d.stock_number), cost: num(d.cost), price: num(d.price) },
  };
}

export function ShipmentFormPage({ id }: { id?: string }) {
  const existing = useLoad(() => (id ? call(client.GET('/api/v1/shipments/{id}', { params: { path: { id } } })) : Promise.resolve(undefined)), [id]);
  if (id && existing.loading) return <Loading />;
  if (existing.error) return <ErrorNote error={existing.error} onRetry={existing.reload} />;
  return <ShipmentForm original={existing.data} />;
}

function ShipmentForm({ original }: { original?: Shipment }) {
  const [d, setD] = useState<Draft>(() => toDraft(original));
  const { busy, error, run } = useAction();
  useEffect(() => {
    if (error) document.querySelector<HTMLElement>('.form-error, [aria-invalid="true"]')?.focus?.();
  }, [error]);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const e = (p: string) => fieldError(error, `body/${p}`);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = toBody(d, original);
    const saved = await run(() => (original ? call(client.PATCH('/api/v1/shipments/{id}', { params: { path: { id: original.id } }, body })) : call(client.POST('/api/v1/shipments', { body }))));
    if (saved) navigate(`/shipments/${saved.id}`);
  };

  const updateList = <K extends 'stops' | 'cargo' | 'segments' | 'custom_fields' | 'extra_fields'>(k: K, i: number, patch: Partial<Draft[K][number]>) =>
    setD((x) => ({ ...x, [k]: (x[k] as Draft[K][number][]).map((item, j) => (j === i ? { ...item, ...patch } : item)) }));
  const removeFrom = (k: 'stops' | 'cargo' | 'segments' | 'custom_fields' | 'extra_fields', i: number) =>
    setD((x) => ({ ...x, [k]: (x[k] as unknown[]).filter((_, j) => j !== i) }));

  const title = original ? `Edit ${original.reference}` : 'New shipment';
  return (
    <section className="page narrow" aria-labelledby="form-title">
      <p className="crumbs">
        <Link to="/shipments">Shipments</Link>
        {original ? (
          <>
            {' / '}
            <Link to={`/shipments/${original.id}`}>{original.reference}</Link>
          </>
        ) : null}
      </p>
      <h1 id="form-title">{title}</h1>
      <form onSubmit={(ev) => void submit(ev)} noValidate className="stack">
        <FormError error={error} shown={['body/kind', 'body/reference', 'body/title', 'body/status', 'body/eta', 'body/customer_reference', 'body/container_number', 'body/transport_service', 'body/stages', 'body/current_stage', 'body/stops', 'body/cargo', 'body/segments', 'body/custom_fields', 'body/extra_fields', 'body/internal']} />
        <fieldset className="card">
          <legend>Shipment</legend>
          <div className="grid-2">
            <SelectField label="Kind" options={KINDS} value={d.kind} onChange={(x) => set('kind', x.target.value as ShipmentKind)} error={e('kind')} />
            <TextField label="Reference" name="reference" required value={d.reference} onChange={(x) => set('reference', x.target.value)} error={e('reference')} hint="Unique within your organization" />
            <TextField label="Title" name="title" value={d.title} onChange={(x) => set('title', x.target.value)} error={e('title')} hint="E.g. 2019 Toyota Land Cruiser, or 12 pallets of tiles" />
            <SelectField label="Status" options={STATUSES} value={d.status} onChange={(x) => set('status', x.target.value as ShipmentStatus)} error={e('status')} />
            <TextField label="Estimated arrival" type="datetime-local" name="eta" value={d.eta} onChange={(x) => set('eta', x.target.value)} error={e('eta')} />
            <TextField label="Customer reference" name="customer_reference" value={d.customer_reference} onChange={(x) => set('customer_reference', x.target.value)} error={e('customer_reference')} />
            <TextField label="Container number" name="container_number" value={d.container_number} onChange={(x) => set('container_number', x.target.value)} error={e('container_number')} />
            <TextField label="Transport service" name="transport_service" value={d.transport_service} onChange={(x) => set('transport_service', x.target.value)} error={e('transport_service')} />
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>Progress stages</legend>
          <div className="grid-2">
            <TextArea label="Stages, one per line" name="stages" rows={5} value={d.stages} onChange={(x) => set('stages', x.target.value)} error={e('stages')} hint="E.g. Purchased, Shipped, Arrived, Customs, Delivered" />
            <TextField label="Current stage (number)" name="current_stage" inputMode="numeric" value={d.current_stage} onChange={(x) => set('current_stage', x.target.value)} error={e('current_stage')} />
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>Stops</legend>
          {d.stops.map((s, i) => (
            <div className="repeat" key={i} role="group" aria-label={`Stop ${i + 1}`}>
              <div className="repeat-head">
                <strong>Stop {i + 1}</strong>
                <button type="button" className="btn small ghost" onClick={() => removeFrom('stops', i)} aria-label={`Remove stop ${i + 1}`}>
                  Remove
                </button>
              </div>
              <div className="grid-3">
                <SelectField label="Type" options={[{ value: 'pickup', label: 'Pickup' }, { value: 'delivery', label: 'Delivery' }, { value: 'waypoint', label: 'Waypoint' }]} value={s.type} onChange={(x) => updateList('stops', i, { type: x.target.value as StopInput['type'] })} error={e(`stops/${i}/type`)} />
                <TextField label="Name" value={s.name ?? ''} onChange={(x) => updateList('stops', i, { name: x.target.value })} error={e(`stops/${i}/name`)} />
                <TextField label="Reference" value={s.reference ?? ''} onChange={(x) => updateList('stops', i, { reference: x.target.value })} error={e(`stops/${i}/reference`)} />
                <TextField label="Address" className="span-3" value={s.address ?? ''} onChange={(x) => updateList('stops', i, { address: x.target.value })} error={e(`stops/${i}/address`)} />
                <TextField label="Latitude" inputMode="decimal" value={s.lat ?? ''} onChange={(x) => updateList('stops', i, { lat: x.target.value as unknown as number })} error={e(`stops/${i}/lat`)} />
                <TextField label="Longitude" inputMode="decimal" value={s.lon ?? ''} onChange={(x) => updateList('stops', i, { lon: x.target.value as unknown as number })} error={e(`stops/${i}/lon`)} />
                <TextField label="ETA" type="datetime-local" value={toLocalInput(s.eta)} onChange={(x) => updateList('stops', i, { eta: fromLocalInput(x.target.value) })} error={e(`stops/${i}/eta`)} />
                <TextField label="Window from" type="datetime-local" value={toLocalInput(s.window_start)} onChange={(x) => updateList('stops', i, { window_start: fromLocalInput(x.target.value) })} error={e(`stops/${i}/window_start`)} />
                <TextField label="Window until" type="datetime-local" value={toLocalInput(s.window_end)} onChange={(x) => updateList('stops', i, { window_end: fromLocalInput(x.target.value) })} error={e(`stops/${i}/window_end`)} />
                <span />
                <TextField label="Contact name" value={s.contact?.name ?? ''} onChange={(x) => updateList('stops', i, { contact: { name: x.target.value, email: s.contact?.email ?? '' } })} error={e(`stops/${i}/contact/name`)} />
                <TextField label="Contact email" type="email" value={s.contact?.email ?? ''} onChange={(x) => updateList('stops', i, { contact: { name: s.contact?.name ?? '', email: x.target.value } })} error={e(`stops/${i}/contact/email`)} />
              </div>
            </div>
          ))}
          <button type="button" className="btn small" onClick={() => set('stops', [...d.stops, emptyStop('waypoint')])}>
            Add stop
          </button>
        </fieldset>

        <fieldset className="card">
          <legend>Cargo</legend>
          {d.cargo.map((c, i) => (
            <div className="repeat grid-4" key={i} role="group" aria-label={`Cargo line ${i + 1}`}>
              <TextField label="Description" value={c.description} onChange={(x) => updateList('cargo', i, { description: x.target.value })} error={e(`cargo/${i}/description`)} />
              <TextField label="Quantity" inputMode="decimal" value={c.quantity ?? ''} onChange={(x) => updateList('cargo', i, { quantity: x.target.value as unknown as number })} error={e(`cargo/${i}/quantity`)} />
              <TextField label="Packaging" value={c.packaging ?? ''} onChange={(x) => updateList('cargo', i, { packaging: x.target.value })} error={e(`cargo/${i}/packaging`)} />
              <TextField label="Weight (kg)" inputMode="decimal" value={c.weight_kg ?? ''} onChange={(x) => updateList('cargo', i, { weight_kg: x.target.value as unknown as number })} error={e(`cargo/${i}/weight_kg`)} />
              <button type="button" className="btn small ghost" onClick={() => removeFrom('cargo', i)} aria-label={`Remove cargo line ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="btn small" onClick={() => set('cargo', [...d.cargo, { description: '', quantity: null, packaging: '', weight_kg: null }])}>
            Add cargo line
          </button>
        </fieldset>

        <fieldset className="card">
          <legend>Segments (legs)</legend>
          {d.segments.map((g, i) => (
            <div className="repeat grid-4" key={i} role="group" aria-label={`Segment ${i + 1}`}>
              <TextField label="Name" value={g.name ?? ''} onChange={(x) => updateList('segments', i, { name: x.target.value })} error={e(`segments/${i}/name`)} />
              <TextField label="From stop (number)" inputMode="numeric" value={g.from_stop == null ? '' : g.from_stop + 1} onChange={(x) => updateList('segments', i, { from_stop: x.target.value === '' ? null : Number(x.target.value) - 1 })} error={e(`segments/${i}/from_stop`)} />
              <TextField label="To stop (number)" inputMode="numeric" value={g.to_stop == null ? '' : g.to_stop + 1} onChange={(x) => updateList('segments', i, { to_stop: x.target.value === '' ? null : Number(x.target.value) - 1 })} error={e(`segments/${i}/to_stop`)} />
              <button type="button" className="btn small ghost" onClick={() => removeFrom('segments', i)} aria-label={`Remove segment ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="btn small" onClick={() => set('segments', [...d.segments, { name: '', from_stop: 0, to_stop: Math.max(1, d.stops.length - 1) }])}>
            Add segment
          </button>
        </fieldset>

        {(['custom_fields', 'extra_fields'] as const).map((k) => (
          <fieldset className="card" key={k}>
            <legend>{k === 'custom_fields' ? 'Custom fields' : 'Extra fields'}</legend>
            {d[k].map((f, i) => (
              <div className="repeat grid-4" key={i} role="group" aria-label={`${k === 'custom_fields' ? 'Custom' : 'Extra'} field ${i + 1}`}>
                <TextField label="Name" value={f.key} onChange={(x) => updateList(k, i, { key: x.target.value })} error={e(`${k}/${i}/key`)} />
                <TextField label="Value" value={f.value} onChange={(x) => updateList(k, i, { value: x.target.value })} error={e(`${k}/${i}/value`)} />
                <Checkbox label="Shareable" checked={f.shareable} onChange={(x) => updateList(k, i, { shareable: x.target.checked })} />
                <button type="button" className="btn small ghost" onClick={() => removeFrom(k, i)}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" className="btn small" onClick={() => set(k, [...d[k], { key: '', value: '', shareable: false }])}>
              Add field
            </button>
          </fieldset>
        ))}

        <fieldset className="card internal">
          <legend>Internal only — never shown on a tracking page</legend>
          <div className="grid-4">
            <TextField label="VIN" value={d.vin} onChange={(x) => set('vin', x.target.value)} error={e('internal/vin')} />
            <TextField label="Stock number" value={d.stock_number} onChange={(x) => set('stock_number', x.target.value)} error={e('internal/stock_number')} />
            <TextField label="Cost" inputMode="decimal" value={d.cost} onChange={(x) => set('cost', x.target.value)} error={e('internal/cost')} />
            <TextField label="Price" inputMode="decimal" value={d.price} onChange={(x) => set('price', x.target.value)} error={e('internal/price')} />
          </div>
        </fieldset>

        <div className="actions sticky">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Saving…' : original ? 'Save changes' : 'Create shipment'}
          </button>
          <Link to={original ? `/shipments/${original.id}` : '/shipments'} className="btn ghost">
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
