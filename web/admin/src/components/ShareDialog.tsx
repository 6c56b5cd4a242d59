// The Share dialog of a shipment: create the link, choose what it shows, copy/share/QR it,
// save options on the same URL, regenerate or revoke it, and manage per-recipient links.
import { useState, type FormEvent } from 'react';
import { call, client } from '../api';
import { DRIVER_POSITION_LABEL, SECTION_GROUPS, SECTION_LABEL, formatDateTime, fromLocalInput, localeOf, relative, toLocalInput } from '../format';
import { useSession } from '../session';
import type { DriverPosition, LinkTemplate, Shipment, Tracking, TrackingLink } from '../types';
import { Checkbox, FormError, TextField, fieldError } from './forms';
import { ConfirmButton } from './ConfirmButton';
import { LAYERS, draftFrom, effective, optionsBody, toggleInList, withSection, type OptionsDraft } from './linkOptions';
import { LinkPanel } from './LinkPanel';
import { PhotoPicker } from './PhotoPicker';
import { Dialog, ErrorNote, LinkStateBadge, Loading, useAction, useFlash, useLoad } from './ui';

const REASON: Record<string, string> = {
  billing_locked: 'Billing is locked: the link shows “not available” until billing is resolved.',
  sharing_disabled: 'Sharing is turned off for your organization (Settings → Organization): the link shows “not available”.',
  unshared: 'Every segment or every layer is off, so the link is unshared and shows “not available”.',
};

export function ShareDialog({ shipment, open, onClose, onChanged }: { shipment: Shipment; open: boolean; onClose: () => void; onChanged: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title={`Share tracking — ${shipment.reference}`} wide labelId="share-title">
      {open ? <ShareBody shipment={shipment} onChanged={onChanged} /> : null}
    </Dialog>
  );
}

function ShareBody({ shipment, onChanged }: { shipment: Shipment; onChanged: () => void }) {
  const data = useLoad(
    async () => {
      const [tracking, template] = await Promise.all([
        call(client.GET('/api/v1/shipments/{id}/tracking', { params: { path: { id: shipment.id } } })),
        call(client.GET('/api/v1/org/link-template')),
      ]);
      return { tracking, template };
    },
    [shipment.id],
  );
  // What happened (created, regenerated, revoked…) is said here, above the form: the form is
  // remade for a new or revoked link, and the message must outlive it.
  const [flash, setFlash] = useFlash();
  // After "Create tracking link", focus goes to the new URL's Copy button (once).
  const [focusCopy, setFocusCopy] = useState(false);
  if (data.loading && !data.data) return <Loading />;
  if (data.error || !data.data) return <ErrorNote error={data.error} onRetry={data.reload} />;
  const refresh = () => {
    data.reload();
    onChanged();
  };
  return (
    <div className="share">
      <p className="sr-only" role="status" aria-live="polite">
        {flash}
      </p>
      {flash ? (
        <p className="flash" aria-hidden="true" data-testid="share-flash">
          {flash}
        </p>
      ) : null}
      <ShareForm
        key={data.data.tracking.general?.id ?? 'none'}
        shipment={shipment}
        tracking={data.data.tracking}
        template={data.data.template}
        refresh={refresh}
        setFlash={setFlash}
        focusCopy={focusCopy}
        onCreated={() => setFocusCopy(true)}
        onCopyFocused={() => setFocusCopy(false)}
      />
    </div>
  );
}

function ShareForm({
  shipment,
  tracking,
  template,
  refresh,
  setFlash,
  focusCopy,
  onCreated,
  onCopyFocused,
}: {
  shipment: Shipment;
  tracking: Tracking;
  template: LinkTemplate;
  refresh: () => void;
  setFlash: (m: string) => void;
  focusCopy: boolean;
  onCreated: () => void;
  onCopyFocused: () => void;
}) {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const link = tracking.general;
  const [draft, setDraft] = useState<OptionsDraft>(() => draftFrom(link?.options));
  const [expires, setExpires] = useState(toLocalInput(link?.expires_at));
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const action = useAction();
  const err = (p: string) => fieldError(action.error, p);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() =>
      call(client.POST('/api/v1/shipments/{id}/links', { params: { path: { id: shipment.id } }, body: { options: optionsBody(draft, 'create'), expires_at: fromLocalInput(expires) } })),
    );
    if (r) {
      setFlash('Tracking link created: copy it and send it to the recipient');
      onCreated();
      refresh();
    }
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!link) return;
    const r = await action.run(() => call(client.PATCH('/api/v1/links/{id}', { params: { path: { id: link.id } }, body: { options: optionsBody(draft, 'patch'), expires_at: fromLocalInput(expires) } })));
    if (r) {
      setFlash('Options saved — the same URL now shows the new selection');
      refresh();
    }
  };
  const regenerate = async () => {
    if (!link) return;
    const r = await action.run(() => call(client.POST('/api/v1/links/{id}/regenerate', { params: { path: { id: link.id } } })));
    if (r) {
      setFlash('A new URL was issued; the old one no longer works');
      refresh();
    }
  };
  const revoke = async () => {
    if (!link) return;
    const r = await action.run(async () => {
      await call(client.POST('/api/v1/links/{id}/revoke', { params: { path: { id: link.id } } }));
      return true;
    });
    setConfirmRevoke(false);
    if (r) {
      setFlash('Link revoked: the URL stopped working');
      refresh();
    }
  };

  const segmentIdx = shipment.segments.map((g, i) => g.index ?? i);
  const layerValues = LAYERS.map((l) => l.value);
  const shown = ['body/options', 'body/expires_at'];

  return (
    <>
      {!tracking.sharing_enabled ? <p className="banner warn">{REASON.sharing_disabled}</p> : null}

      {link ? (
        <LinkPanel link={link} locale={locale} onFlash={setFlash} focusCopy={focusCopy} onCopyFocused={onCopyFocused} />
      ) : (
        <p className="callout">No URL exists until you create the link, so nobody can come across a pre-configured page. Choose what it shows, then create it.</p>
      )}
      {link?.unavailable_reason ? <p className="banner warn">{REASON[link.unavailable_reason]}</p> : null}

      <form onSubmit={(e) => void (link ? save(e) : create(e))} noValidate className="stack">
        <FormError error={action.error} shown={shown} />
        <fieldset className="options">
          <legend>What the recipient sees</legend>
          <p className="hint">Defaults come from the organization template. Changed options are marked and apply to this link only.</p>
          <div className="option-groups">
            {SECTION_GROUPS.map((g) => (
              <div key={g.title} className="option-group">
                <h4>{g.title}</h4>
                {g.keys.map((k) => (
                  <Checkbox
                    key={k}
                    label={SECTION_LABEL[k]}
                    name={`section-${k}`}
                    checked={effective(draft, template, k)}
                    onChange={(e) => setDraft((d) => withSection(d, template, k, e.target.checked))}
                    hint={draft.sections[k] !== undefined ? 'Changed from template' : undefined}
                    error={err(`body/options/${k}`)}
                  />
                ))}
              </div>
            ))}
          </div>
        </fieldset>

        <div className="grid-2">
          <fieldset className="options">
            <legend>Segments</legend>
            {shipment.segments.length ? (
              shipment.segments.map((g, i) => (
                <Checkbox
                  key={segmentIdx[i]}
                  label={g.name || `Segment ${i + 1}`}
                  checked={draft.segments === null || draft.segments.includes(segmentIdx[i])}
                  onChange={(e) => setDraft((d) => ({ ...d, segments: toggleInList(d.segments, segmentIdx, segmentIdx[i], e.target.checked) }))}
                  error={err(`body/options/segments`)}
                />
              ))
            ) : (
              <p className="muted small">The whole route is shared (the shipment has no segments).</p>
            )}
          </fieldset>
          <fieldset className="options">
            <legend>Tracking layers</legend>
            {LAYERS.map((l) => (
              <Checkbox
                key={l.value}
                label={l.label}
                hint={l.hint}
                checked={draft.layers === null || draft.layers.includes(l.value)}
                onChange={(e) => setDraft((d) => ({ ...d, layers: toggleInList(d.layers, layerValues, l.value, e.target.checked) }))}
              />
            ))}
            <div className="field">
              <label htmlFor="driver-position">Driver position</label>
              <select
                id="driver-position"
                value={draft.driver_position ?? ''}
                onChange={(e) => setDraft((d) => ({ ...d, driver_position: (e.target.value || null) as DriverPosition | null }))}
              >
                <option value="">As the template: {DRIVER_POSITION_LABEL[template.driver_position].toLowerCase()}</option>
                {(Object.keys(DRIVER_POSITION_LABEL) as DriverPosition[]).map((v) => (
                  <option key={v} value={v}>
                    {DRIVER_POSITION_LABEL[v]}
                  </option>
                ))}
              </select>
              {err('body/options/driver_position') ? <span className="field-error">{err('body/options/driver_position')}</span> : null}
            </div>
          </fieldset>
        </div>
        {(draft.segments?.length === 0 || draft.layers?.length === 0) && link ? <p className="banner warn">{REASON.unshared}</p> : null}

        <fieldset className="options">
          <legend>Additional photos on the tracking page</legend>
          <PhotoPicker photos={shipment.photos} picked={draft.photo_ids} onChange={(ids) => setDraft((d) => ({ ...d, photo_ids: ids }))} />
          {err('body/options/photo_ids') ? <p className="field-error">{err('body/options/photo_ids')}</p> : null}
        </fieldset>

        <TextField
          label="Expires at (optional)"
          type="datetime-local"
          name="expires_at"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          error={err('body/expires_at')}
          hint={`Without a date, the link expires ${me.org.link_inactivity_days} days after the shipment's last update.`}
        />

        <div className="actions wrap">
          <button type="submit" className="btn primary" disabled={action.busy}>
            {link ? 'Save options' : 'Create tracking link'}
          </button>
          {link ? (
            <>
              <button type="button" className="btn" onClick={() => void regenerate()} disabled={action.busy}>
                Regenerate
              </button>
              <ConfirmButton
                open={confirmRevoke}
                onOpen={() => setConfirmRevoke(true)}
                onCancel={() => setConfirmRevoke(false)}
                onConfirm={() => void revoke()}
                disabled={action.busy}
                confirmText="Yes, revoke"
                confirmDisabled={action.busy}
                cancelText="Keep it"
                groupLabel="Confirm revoke"
                prompt={<span>The URL stops working immediately and forever.</span>}
              >
                Revoke
              </ConfirmButton>
            </>
          ) : null}
        </div>
      </form>

      <RecipientLinks shipment={shipment} links={tracking.recipient_links} draft={draft} locale={locale} refresh={refresh} onFlash={setFlash} />
      {link ? (
        <p className="muted small">
          Created {formatDateTime(link.created_at, locale)} · first viewed {relative(link.first_viewed_at)} · last viewed {relative(link.last_viewed_at)} · {link.view_count} views
        </p>
      ) : null}
    </>
  );
}

function RecipientLinks({
  shipment,
  links,
  draft,
  locale,
  refresh,
  onFlash,
}: {
  shipment: Shipment;
  links: TrackingLink[];
  draft: OptionsDraft;
  locale: string;
  refresh: () => void;
  onFlash: (m: string) => void;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const action = useAction();
  const createFor = async (recipient: { name: string | null; email: string }) => {
    const r = await action.run(() => call(client.POST('/api/v1/shipments/{id}/links', { params: { path: { id: shipment.id } }, body: { recipient, options: optionsBody(draft, 'create') } })));
    if (r) {
      setName('');
      setEmail('');
      onFlash(`Link created for ${r.recipient?.email ?? 'the recipient'}`);
      refresh();
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    await createFor({ name: name.trim() || null, email: email.trim() });
  };
  // The shipment's own contacts (stop contacts, ad-hoc recipients) that have no link yet.
  const linked = new Set(links.map((l) => l.recipient?.email?.toLowerCase()));
  const suggestions = new Map<string, { name: string | null; email: string }>();
  for (const c of [...(shipment.contacts ?? []), ...shipment.stops.map((st) => st.contact)]) {
    const mail = c?.email?.trim();
    if (mail && !linked.has(mail.toLowerCase()) && !suggestions.has(mail.toLowerCase())) suggestions.set(mail.toLowerCase(), { name: c?.name ?? null, email: mail });
  }
  const revoke = async (l: TrackingLink) => {
    const ok = await action.run(async () => {
      await call(client.POST('/api/v1/links/{id}/revoke', { params: { path: { id: l.id } } }));
      return true;
    });
    if (ok) {
      onFlash('Recipient link revoked');
      refresh();
    }
  };
  const copy = async (l: TrackingLink) => {
    try {
      await navigator.clipboard.writeText(l.url);
      onFlash('Link copied');
    } catch {
      onFlash('Copying is blocked by the browser; select the link and copy it by hand');
    }
  };
  return (
    <section className="recipients" aria-labelledby="rl-title">
      <h3 id="rl-title">Per-recipient links</h3>
      <p className="hint">Each recipient gets their own URL with the options above, so one can be revoked without affecting the others.</p>
      {links.length ? (
        <ul className="link-list">
          {links.map((l) => (
            <li key={l.id}>
              <div>
                <strong>{l.recipient?.name || l.recipient?.email}</strong> {l.recipient?.name ? <span className="muted">{l.recipient.email}</span> : null} <LinkStateBadge state={l.state} />
                <div className="muted small">
                  Last viewed {relative(l.last_viewed_at)} · {l.view_count} views · created {formatDateTime(l.created_at, locale)}
                </div>
                <code className="url">{l.url}</code>
              </div>
              <div className="actions">
                <button type="button" className="btn small" onClick={() => void copy(l)} aria-label={`Copy link for ${l.recipient?.email ?? ''}`}>
                  Copy
                </button>
                {l.state !== 'revoked' ? (
                  <button type="button" className="btn small danger-outline" onClick={() => void revoke(l)} aria-label={`Revoke link for ${l.recipient?.email ?? ''}`}>
                    Revoke
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No recipient links yet.</p>
      )}
      {suggestions.size ? (
        <div className="suggestions">
          <span className="muted small">Contacts of this shipment:</span>
          {[...suggestions.values()].map((c) => (
            <button key={c.email} type="button" className="btn tiny" onClick={() => void createFor(c)} disabled={action.busy}>
              Create link for {c.name ? `${c.name} (${c.email})` : c.email}
            </button>
          ))}
        </div>
      ) : null}
      <form className="inline-form" onSubmit={(e) => void add(e)} noValidate aria-label="Create a link for a recipient">
        <FormError error={action.error} shown={['body/recipient']} />
        <TextField label="Recipient name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(action.error, 'body/recipient/name')} />
        <TextField label="Recipient email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(action.error, 'body/recipient/email') ?? fieldError(action.error, 'body/recipient')} />
        <button type="submit" className="btn" disabled={action.busy}>
          Create recipient link
        </button>
      </form>
    </section>
  );
}
