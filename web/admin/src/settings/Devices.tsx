// Devices (driver phones, trackers) that send positions. The token, and the OsmAnd / Traccar
// Client URL that carries it, are shown once: at registration and when a new token is issued.
import { useState, type FormEvent } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf, relative } from '../format';
import { useCan, useSession } from '../session';
import type { Device, DeviceCredentials } from '../types';
import { FormError, TextField, fieldError } from '../components/forms';
import { LoadStatus, useAction, useLoad } from '../components/ui';
import { DataTable } from '../components/DataTable';

export function Devices() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canManage = useCan('dispatcher');
  const devices = useLoad(() => all((cursor) => client.GET('/api/v1/devices', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const [name, setName] = useState('');
  const [externalId, setExternalId] = useState('');
  const [created, setCreated] = useState<(DeviceCredentials & { renewed?: boolean }) | null>(null);
  const action = useAction();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.POST('/api/v1/devices', { body: { name: name.trim(), ...(externalId.trim() ? { external_id: externalId.trim() } : {}) } })));
    if (r) {
      setCreated(r);
      setName('');
      setExternalId('');
      devices.reload();
    }
  };
  const renewToken = async (d: Device) => {
    const r = await action.run(() => call(client.POST('/api/v1/devices/{id}/rotate', { params: { path: { id: d.id } } })));
    if (r) {
      setCreated({ ...r, renewed: true });
      // A generated identifier is replaced with the token: the list shows the new one.
      devices.reload();
    }
  };
  const remove = async (d: Device) => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/devices/{id}', { params: { path: { id: d.id } } }));
      return true;
    });
    if (ok) devices.reload();
  };

  return (
    <div className="stack">
      {created ? (
        <div className="callout success" role="status">
          <p>
            <strong>{created.name}</strong> {created.renewed ? (created.external_id_generated ? 'has a new token and identifier; the old ones no longer work.' : 'has a new token; the old one no longer works.') : 'is registered.'} Configure the app on the
            device with these values; the token is shown only once.
          </p>
          <dl className="facts">
            <dt>OsmAnd / Traccar Client server URL (it holds the token: keep it secret)</dt>
            <dd>
              <code data-testid="new-device-url">{created.osmand_url}</code>
            </dd>
            <dt>Device identifier (Traccar Client “identifier”, OwnTracks user)</dt>
            <dd>
              <code>{created.external_id}</code>
            </dd>
            <dt>Token (OwnTracks password, or Bearer token for /api/v1/positions)</dt>
            <dd>
              <code data-testid="new-device-token">{created.token}</code>
            </dd>
            <dt>OwnTracks HTTP URL</dt>
            <dd>
              <code>{location.origin}/ingest/owntracks</code>
            </dd>
          </dl>
        </div>
      ) : null}
      {canManage ? (
        <form className="card inline-form" onSubmit={(e) => void create(e)} noValidate aria-label="Register a device">
          <FormError error={action.error} shown={['body/name', 'body/external_id']} />
          <TextField label="Device name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(action.error, 'body/name')} hint="E.g. Truck 12 driver phone" />
          <TextField
            label="External id (optional)"
            value={externalId}
            onChange={(e) => setExternalId(e.target.value)}
            error={fieldError(action.error, 'body/external_id')}
            hint="Leave empty for a random one. A device with an id you choose must send to its token URL."
          />
          <button type="submit" className="btn primary" disabled={action.busy}>
            Register device
          </button>
        </form>
      ) : null}
      <LoadStatus loaded={devices} />
      {devices.data ? (
        devices.data.length ? (
          <DataTable caption="Devices" columns={['Name', 'External id', 'Registered', 'Last seen']} actions>
            {devices.data.map((d) => (
              <tr key={d.id}>
                <th scope="row" data-label="Name">{d.name}</th>
                <td data-label="External id">
                  <code>{d.external_id}</code>
                  {d.external_id_generated ? null : <span className="hint"> token URL only</span>}
                </td>
                <td data-label="Registered">{formatDateTime(d.created_at, locale)}</td>
                <td data-label="Last seen">{relative(d.last_seen_at)}</td>
                <td data-label="Actions">
                  {canManage ? (
                    <>
                      <button type="button" className="btn tiny" onClick={() => void renewToken(d)} aria-label={`New token for device ${d.name}`}>
                        New token
                      </button>{' '}
                      <button type="button" className="btn tiny danger-outline" onClick={() => void remove(d)} aria-label={`Remove device ${d.name}`}>
                        Remove
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p className="empty">No devices yet.</p>
        )
      ) : null}
    </div>
  );
}
