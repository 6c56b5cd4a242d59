// Organization settings: name, public handle, logo, brand colour, country (with a locale preview),
// sharing and retention.
import { useRef, useState, type FormEvent } from 'react';
import { call, client, multipart } from '../api';
import { formatDateTime, formatNumber, localeOf, sameOrigin } from '../format';
import { useCan, useSession } from '../session';
import type { Org } from '../types';
import { Checkbox, FormError, TextField, fieldError } from '../components/forms';
import { Flash, useAction, useFlash } from '../components/ui';

const SAMPLE_DATE = '2026-12-01T14:30:00.000Z';

export function OrgSettings() {
  const { me, refresh } = useSession();
  const isOwner = useCan('owner');
  const [o, setO] = useState<Org>(me.org);
  const [flash, setFlash] = useFlash();
  const action = useAction();
  const logo = useAction();
  const file = useRef<HTMLInputElement>(null);
  const set = <K extends keyof Org>(k: K, v: Org[K]) => setO((x) => ({ ...x, [k]: v }));
  const e = (p: string) => fieldError(action.error, `body/${p}`);
  const locale = localeOf(o.country);

  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    const r = await action.run(() =>
      call(
        client.PATCH('/api/v1/org', {
          body: {
            name: o.name,
            country: o.country.toUpperCase(),
            brand_color: o.brand_color || null,
            sharing_enabled: o.sharing_enabled,
            auto_create_links: o.auto_create_links,
            link_inactivity_days: Number(o.link_inactivity_days),
            position_retention_days: Number(o.position_retention_days),
            handle: o.handle?.trim().replace(/^@/, '') || null,
          },
        }),
      ),
    );
    if (r) {
      setO(r);
      setFlash('Settings saved');
      await refresh();
    }
  };
  const uploadLogo = async () => {
    const f = file.current?.files?.[0];
    if (!f) return;
    const form = new FormData();
    form.append('file', f);
    const r = await logo.run(() => call(client.PUT('/api/v1/org/logo', { body: multipart(form) })));
    if (file.current) file.current.value = '';
    if (r) {
      setO((x) => ({ ...x, logo_url: r.logo_url }));
      setFlash('Logo uploaded');
      await refresh();
    }
  };

  return (
    <div className="stack">
      <Flash message={flash} />
      <form onSubmit={(ev) => void save(ev)} noValidate className="card stack" aria-label="Organization settings">
        <FormError error={action.error} shown={['body/name', 'body/handle', 'body/country', 'body/brand_color', 'body/link_inactivity_days', 'body/position_retention_days']} />
        <div className="grid-2">
          <TextField label="Organization name" name="name" value={o.name} onChange={(x) => set('name', x.target.value)} error={e('name')} disabled={!isOwner} />
          <TextField
            label="Public handle"
            name="handle"
            value={o.handle ?? ''}
            placeholder="e.g. acme-haulage"
            maxLength={33}
            onChange={(x) => set('handle', x.target.value.toLowerCase())}
            error={e('handle')}
            hint="Partner organizations invite yours by this handle (3–32 letters, digits or hyphens). Leave it empty to be invited only by an admin’s email."
            disabled={!isOwner}
          />
          <TextField
            label="Country (ISO code)"
            name="country"
            value={o.country}
            maxLength={2}
            onChange={(x) => set('country', x.target.value.toUpperCase())}
            error={e('country')}
            hint={`Tracking pages format dates and numbers for ${locale}: ${formatDateTime(SAMPLE_DATE, locale)} · ${formatNumber(8400.5, locale)} kg`}
            disabled={!isOwner}
          />
          <div className={`field ${e('brand_color') ? 'has-error' : ''}`}>
            <label htmlFor="brand-color">Brand colour</label>
            <div className="color-row">
              <input id="brand-color-picker" type="color" aria-label="Pick brand colour" value={/^#[0-9a-fA-F]{6}$/.test(o.brand_color ?? '') ? (o.brand_color as string) : '#1f6feb'} onChange={(x) => set('brand_color', x.target.value)} disabled={!isOwner} />
              <input id="brand-color" name="brand_color" value={o.brand_color ?? ''} placeholder="#1f6feb" onChange={(x) => set('brand_color', x.target.value)} aria-invalid={e('brand_color') ? true : undefined} aria-describedby={e('brand_color') ? 'brand-color-err' : undefined} disabled={!isOwner} />
            </div>
            {e('brand_color') ? (
              <span className="field-error" id="brand-color-err" role="alert">
                {e('brand_color')}
              </span>
            ) : null}
          </div>
          <div className="field">
            <span className="label">Billing</span>
            <p>
              <span className={`badge ${o.billing_state === 'active' ? 'link-active' : 'link-revoked'}`}>{o.billing_state === 'active' ? 'Active' : 'Locked'}</span>{' '}
              <span className="muted small">{o.billing_state === 'locked' ? 'Every tracking link shows “not available”.' : 'Tracking links work.'}</span>
            </p>
          </div>
        </div>
        <fieldset>
          <legend>Tracking links</legend>
          <Checkbox label="Sharing enabled" checked={o.sharing_enabled} onChange={(x) => set('sharing_enabled', x.target.checked)} hint="Turned off, every link shows “not available” until it is turned on again." disabled={!isOwner} />
          <Checkbox label="Create a link automatically for every new shipment" checked={o.auto_create_links} onChange={(x) => set('auto_create_links', x.target.checked)} disabled={!isOwner} />
          <div className="grid-2">
            <TextField label="Link inactivity (days)" type="number" min={1} max={3650} value={String(o.link_inactivity_days)} onChange={(x) => set('link_inactivity_days', x.target.value as unknown as number)} error={e('link_inactivity_days')} hint="A link expires this many days after its shipment's last update." disabled={!isOwner} />
            <TextField label="Keep positions (days)" type="number" min={1} max={3650} value={String(o.position_retention_days)} onChange={(x) => set('position_retention_days', x.target.value as unknown as number)} error={e('position_retention_days')} disabled={!isOwner} />
          </div>
        </fieldset>
        {isOwner ? (
          <div className="actions">
            <button type="submit" className="btn primary" disabled={action.busy}>
              Save settings
            </button>
          </div>
        ) : null}
      </form>
      <section className="card" aria-labelledby="logo-title">
        <h2 id="logo-title">Logo</h2>
        {o.logo_url ? <img src={sameOrigin(o.logo_url)} alt={`${o.name} logo`} className="logo-preview" /> : <p className="muted">No logo yet.</p>}
        <FormError error={logo.error} />
        {isOwner ? (
          <div className="field">
            <label htmlFor="logo-file">Upload a logo (PNG or JPEG)</label>
            <input id="logo-file" ref={file} type="file" accept="image/png,image/jpeg" onChange={() => void uploadLogo()} disabled={logo.busy} />
          </div>
        ) : null}
      </section>
    </div>
  );
}
