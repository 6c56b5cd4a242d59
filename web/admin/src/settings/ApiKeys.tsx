// API keys for machines: created with a role, shown once, stored hashed, revocable. A key lives as
// long as the user who made it: disabling or deleting that user revokes it.
import { useState, type FormEvent } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf, relative } from '../format';
import { useCan, useSession } from '../session';
import type { ApiKey, Reply, Role } from '../types';
import { FormError, SelectField, TextField, fieldError } from '../components/forms';
import { LoadStatus, useAction, useLoad } from '../components/ui';
import { DataTable } from '../components/DataTable';

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer — read only' },
  { value: 'dispatcher', label: 'Dispatcher — shipments and sharing' },
  { value: 'admin', label: 'Admin — also users and keys' },
  { value: 'owner', label: 'Owner — everything, including settings' },
];

export function ApiKeys() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canManage = useCan('admin');
  const keys = useLoad(() => all((cursor) => client.GET('/api/v1/api-keys', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('dispatcher');
  const [created, setCreated] = useState<Reply<'createApiKey', 201> | null>(null);
  const action = useAction();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.POST('/api/v1/api-keys', { body: { name: name.trim() || undefined, role } })));
    if (r) {
      setCreated(r);
      setName('');
      keys.reload();
    }
  };
  const revoke = async (k: ApiKey) => {
    const ok = await action.run(async () => {
      await call(client.POST('/api/v1/api-keys/{id}/revoke', { params: { path: { id: k.id } } }));
      return true;
    });
    if (ok) keys.reload();
  };

  return (
    <div className="stack">
      {created ? (
        <div className="callout success" role="status">
          <p>
            <strong>Copy this key now.</strong> It is shown only once and stored hashed. It is revoked when you are disabled or removed.
          </p>
          <label htmlFor="new-key" className="sr-only">
            New API key
          </label>
          <input id="new-key" className="url-input" readOnly value={created.api_key} onFocus={(e) => e.target.select()} data-testid="new-api-key" />
          <button type="button" className="btn small" onClick={() => void navigator.clipboard?.writeText(created.api_key).catch(() => undefined)}>
            Copy key
          </button>
        </div>
      ) : null}
      {canManage ? (
        <form className="card inline-form" onSubmit={(e) => void create(e)} noValidate aria-label="Create an API key">
          <FormError error={action.error} shown={['body/name', 'body/role']} />
          <TextField label="Key name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(action.error, 'body/name')} hint="E.g. TMS integration" />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} options={ROLE_OPTIONS} error={fieldError(action.error, 'body/role')} />
          <button type="submit" className="btn primary" disabled={action.busy}>
            Create key
          </button>
        </form>
      ) : null}
      <LoadStatus loaded={keys} />
      {keys.data ? (
        <DataTable caption="API keys" columns={['Name', 'Prefix', 'Role', 'Created by', 'Created', 'Last used']} actions>
          {keys.data.map((k) => (
            <tr key={k.id}>
              <th scope="row" data-label="Name">{k.name}</th>
              <td data-label="Prefix"><code>{k.prefix}…</code></td>
              <td data-label="Role">{k.role}</td>
              <td data-label="Created by">{k.created_by ?? '—'}</td>
              <td data-label="Created">{formatDateTime(k.created_at, locale)}</td>
              <td data-label="Last used">{relative(k.last_used_at)}</td>
              <td data-label="Actions">
                {k.revoked_at ? (
                  <span className="badge link-revoked">Revoked</span>
                ) : canManage ? (
                  <button type="button" className="btn tiny danger-outline" onClick={() => void revoke(k)} aria-label={`Revoke key ${k.name ?? k.prefix}`}>
                    Revoke
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}
