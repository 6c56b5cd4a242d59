// Users and roles: invite with a role (a password is generated when none is given), change roles,
// disable, and end a user's sessions.
import { useState, type FormEvent } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf } from '../format';
import { useCan, useSession } from '../session';
import type { Role, User } from '../types';
import { FormError, SelectField, TextField, fieldError } from '../components/forms';
import { ErrorNote, Flash, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { ROLE_OPTIONS } from './ApiKeys';
import { DataTable } from '../components/DataTable';

export function Users() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const isOwner = useCan('owner');
  const users = useLoad(() => all((cursor) => client.GET('/api/v1/users', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('dispatcher');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<{ email: string; password?: string } | null>(null);
  const [flash, setFlash] = useFlash();
  const action = useAction();
  const rowAction = useAction();
  const [sessionsOf, setSessionsOf] = useState<User | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => call(client.POST('/api/v1/users', { body: { email: email.trim(), name: name.trim() || undefined, role, password: password || undefined } })));
    if (r) {
      setCreated({ email: r.email, password: r.password });
      setEmail('');
      setName('');
      setPassword('');
      users.reload();
    }
  };
  const patch = async (u: User, body: Partial<Pick<User, 'role' | 'disabled'>>, what: string) => {
    const r = await rowAction.run(() => call(client.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body })));
    if (r) {
      setFlash(`${u.email}: ${what}`);
      users.reload();
    }
  };
  const endSessions = async (u: User) => {
    const ok = await rowAction.run(async () => {
      await call(client.POST('/api/v1/users/{id}/sessions/revoke', { params: { path: { id: u.id } } }));
      return true;
    });
    if (ok) setFlash(`${u.email} was signed out everywhere`);
  };

  return (
    <div className="stack">
      <Flash message={flash} />
      {created ? (
        <div className="callout success" role="status">
          <strong>{created.email}</strong> can sign in now.
          {created.password ? (
            <>
              {' '}
              Their password (shown once): <code data-testid="new-user-password">{created.password}</code>
            </>
          ) : null}
        </div>
      ) : null}
      {isOwner ? (
        <form className="card grid-2" onSubmit={(e) => void create(e)} noValidate aria-label="Add a user">
          <FormError error={action.error} shown={['body/email', 'body/name', 'body/role', 'body/password']} />
          <TextField label="Email" type="email" name="user-email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(action.error, 'body/email')} />
          <TextField label="Name" name="user-name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(action.error, 'body/name')} />
          <SelectField label="Role" name="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)} options={ROLE_OPTIONS} error={fieldError(action.error, 'body/role')} />
          <TextField label="Password (optional)" type="password" name="user-password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(action.error, 'body/password')} hint="At least 10 characters; leave empty to generate one." />
          <div className="actions">
            <button type="submit" className="btn primary" disabled={action.busy}>
              Add user
            </button>
          </div>
        </form>
      ) : null}
      <FormError error={rowAction.error} />
      <LoadStatus loaded={users} />
      {users.data ? (
        <DataTable caption="Users" columns={['User', 'Role', 'Added']} actions>
          {users.data.map((u) => (
            <tr key={u.id}>
              <th scope="row" data-label="User">
                {u.name ?? u.email} <div className="muted small">{u.email}</div>
                {u.disabled ? <span className="badge link-revoked">Disabled</span> : null}
              </th>
              <td data-label="Role">
                {isOwner ? (
                  <>
                    <label htmlFor={`role-${u.id}`} className="sr-only">
                      Role of {u.email}
                    </label>
                    <select id={`role-${u.id}`} value={u.role} onChange={(e) => void patch(u, { role: e.target.value as Role }, `role changed to ${e.target.value}`)}>
                      {ROLE_OPTIONS.map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.value}
                        </option>
                      ))}
                    </select>
                  </>
                ) : (
                  u.role
                )}
              </td>
              <td data-label="Added">{formatDateTime(u.created_at, locale)}</td>
              <td data-label="Actions">
                {isOwner && u.id !== me.user?.id ? (
                  <span className="actions wrap">
                    <button type="button" className="btn tiny" aria-expanded={sessionsOf?.id === u.id} onClick={() => setSessionsOf(sessionsOf?.id === u.id ? null : u)}>
                      Sessions
                    </button>
                    <button type="button" className="btn tiny" onClick={() => void endSessions(u)}>
                      End sessions
                    </button>
                    <button type="button" className="btn tiny danger-outline" onClick={() => void patch(u, { disabled: !u.disabled }, u.disabled ? 'enabled' : 'disabled')}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {sessionsOf ? <Sessions user={sessionsOf} locale={locale} /> : null}
    </div>
  );
}

function Sessions({ user, locale }: { user: User; locale: string }) {
  const list = useLoad(() => all((cursor) => client.GET('/api/v1/users/{id}/sessions', { params: { path: { id: user.id }, query: { limit: PAGE_ALL, cursor } } })), [user.id]);
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Signed-in sessions of {user.email}</h2>
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        list.data.length ? (
          <ul className="plain">
            {list.data.map((x) => (
              <li key={x.id}>
                Started {formatDateTime(x.created_at, locale)} · last active {formatDateTime(x.last_seen_at, locale)} · expires {formatDateTime(x.expires_at, locale)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No active sessions.</p>
        )
      ) : null}
    </section>
  );
}
