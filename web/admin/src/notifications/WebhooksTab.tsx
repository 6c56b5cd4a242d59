// Webhooks for link events: create (the signing secret is shown once), events, enable/disable,
// rotate the secret, send a test ping and see recent deliveries.
import { useState, type FormEvent } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf } from '../format';
import { useSession } from '../session';
import { Checkbox, FormError, TextField, fieldError } from '../components/forms';
import { ConfirmButton, ConfirmDelete, confirmedDelete } from '../components/ConfirmButton';
import { Flash, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_LABEL, type Webhook, type WebhookEvent } from './types';
import { WebhookDeliveries } from './WebhookDeliveries';

type WithSecret = Webhook & { secret: string };

export function WebhooksTab() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const hooks = useLoad(() => all((cursor) => client.GET('/api/v1/webhooks', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...WEBHOOK_EVENTS]);
  const [secret, setSecret] = useState<WithSecret | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [flash, setFlash] = useFlash();
  const create = useAction();
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create.run(() => call(client.POST('/api/v1/webhooks', { body: { url: url.trim(), events } })));
    if (r) {
      setSecret(r);
      setUrl('');
      hooks.reload();
    }
  };
  const update = async (h: Webhook, patch: Partial<Pick<Webhook, 'enabled' | 'events'>>) => {
    const r = await action.run(() => call(client.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: h.id } }, body: patch })));
    if (r && hooks.data) hooks.set(hooks.data.map((x) => (x.id === r.id ? r : x)));
  };
  const rotate = async (h: Webhook) => {
    setConfirm(null);
    const r = await action.run(() => call(client.POST('/api/v1/webhooks/{id}/rotate', { params: { path: { id: h.id } } })));
    if (r) setSecret(r);
  };
  const ping = async (h: Webhook) => {
    const r = await action.run(() => call(client.POST('/api/v1/webhooks/{id}/test', { params: { path: { id: h.id } } })));
    if (r) {
      setFlash(`Test ping queued for ${h.url}`);
      setOpen(h.id);
      setTick((t) => t + 1);
    }
  };
  const remove = confirmedDelete({
    action,
    close: () => setConfirm(null),
    request: (h: Webhook) => call(client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: h.id } } })),
    deleted: () => hooks.reload(),
  });
  // A stored webhook's events are the ones it was created with: only known events pass the API's request schema.
  const known = (list: readonly string[]) => WEBHOOK_EVENTS.filter((e) => list.includes(e));
  const toggleEvent = (list: readonly string[], ev: WebhookEvent, on: boolean) => (on ? [...known(list).filter((x) => x !== ev), ev] : known(list).filter((x) => x !== ev));

  return (
    <div className="stack">
      <Flash message={flash} />
      {secret ? (
        <div className="callout success" role="status">
          <p>
            <strong>Copy this signing secret now.</strong> It is shown only once, for {secret.url}. Verify the <code>Tracklink-Signature</code> header with it.
          </p>
          <label htmlFor="webhook-secret" className="sr-only">
            Webhook signing secret
          </label>
          <input id="webhook-secret" className="url-input" readOnly value={secret.secret} onFocus={(e) => e.target.select()} data-testid="webhook-secret" />
          <div className="actions">
            <button type="button" className="btn small" onClick={() => void navigator.clipboard?.writeText(secret.secret).catch(() => undefined)}>
              Copy secret
            </button>
            <button type="button" className="btn small ghost" onClick={() => setSecret(null)}>
              I have saved it
            </button>
          </div>
        </div>
      ) : null}
      <form className="card stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a webhook">
        <h2>Add a webhook</h2>
        <FormError error={create.error} shown={['body/url', 'body/events']} />
        <TextField label="Endpoint URL" type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/tracklink" error={fieldError(create.error, 'body/url')} />
        <fieldset className="options">
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((ev) => (
            <Checkbox key={ev} label={WEBHOOK_EVENT_LABEL[ev]} hint={ev} checked={events.includes(ev)} onChange={(e) => setEvents((l) => toggleEvent(l, ev, e.target.checked))} />
          ))}
          {fieldError(create.error, 'body/events') ? <span className="field-error">{fieldError(create.error, 'body/events')}</span> : null}
        </fieldset>
        <div className="actions">
          <button type="submit" className="btn primary" disabled={create.busy}>
            Add webhook
          </button>
        </div>
      </form>
      <FormError error={action.error} />
      <LoadStatus loaded={hooks} />
      {hooks.data && !hooks.data.length ? <p className="empty">No webhooks yet.</p> : null}
      <ul className="plain webhook-list">
        {(hooks.data ?? []).map((h) => (
          <li key={h.id} className="card stack">
            <div className="webhook-head">
              <code className="url">{h.url}</code>
              <span className={`badge ${h.enabled ? 'link-active' : 'subtle'}`}>{h.enabled ? 'Enabled' : 'Disabled'}</span>
              <span className="muted small">added {formatDateTime(h.created_at, locale)}</span>
            </div>
            <fieldset className="options compact">
              <legend className="sr-only">Events for {h.url}</legend>
              {WEBHOOK_EVENTS.map((ev) => (
                <Checkbox
                  key={ev}
                  label={WEBHOOK_EVENT_LABEL[ev]}
                  checked={h.events.includes(ev)}
                  disabled={action.busy || (h.events.length === 1 && h.events.includes(ev))}
                  onChange={(e) => void update(h, { events: toggleEvent(h.events, ev, e.target.checked) })}
                />
              ))}
            </fieldset>
            <div className="actions wrap">
              <button type="button" className="btn small" onClick={() => void update(h, { enabled: !h.enabled })} disabled={action.busy}>
                {h.enabled ? 'Disable' : 'Enable'}
              </button>
              <button type="button" className="btn small" onClick={() => void ping(h)} disabled={action.busy || !h.enabled}>
                Send test ping
              </button>
              <ConfirmButton
                open={confirm === `rotate:${h.id}`}
                onOpen={() => setConfirm(`rotate:${h.id}`)}
                onCancel={() => setConfirm(null)}
                onConfirm={() => void rotate(h)}
                size="small"
                outline={false}
                confirmText="Yes, rotate"
                groupLabel="Confirm rotating the secret"
              >
                Rotate secret
              </ConfirmButton>
              <button type="button" className="btn small ghost" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                Recent deliveries
              </button>
              <ConfirmDelete id={`delete:${h.id}`} asking={[confirm, setConfirm]} onDelete={() => void remove(h)} size="small" label={`Delete webhook ${h.url}`} groupLabel="Confirm deleting the webhook" />
            </div>
            {open === h.id ? <WebhookDeliveries webhookId={h.id} tick={tick} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
