import { useState, type FormEvent } from 'react';
import { call, client, ApiError, setCsrfToken } from '../api';
import { FormError, SelectField, TextField, fieldError } from '../components/forms';
import { useAction } from '../components/ui';

export function LoginPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Set when the email and password open accounts in several organizations: the server lists them.
  const [orgs, setOrgs] = useState<{ value: string; label: string }[] | null>(null);
  const [orgId, setOrgId] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(async () => {
      try {
        return await call(client.POST('/api/v1/auth/login', { body: { email, password, ...(orgs && orgId ? { org_id: orgId } : {}) } }));
      } catch (err) {
        const choices = err instanceof ApiError && err.status === 409 ? err.details.filter((d) => d.path === 'body/org_id') : [];
        if (choices.length) {
          const options = choices.map((d) => ({ value: String((d as { org_id?: unknown }).org_id ?? ''), label: d.message }));
          setOrgs(options);
          setOrgId(options[0].value);
        }
        throw err;
      }
    });
    if (r) {
      setCsrfToken(r.csrf_token);
      await onSignedIn();
    }
  };

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="login-title">
        <p className="brand-mark big" aria-hidden="true">
          TL
        </p>
        <h1 id="login-title">Sign in to Tracklink</h1>
        <FormError error={error} shown={['body/email', 'body/password', 'body/org_id']} />
        <TextField label="Email" type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'body/email')} />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'body/password')}
        />
        {orgs ? (
          <SelectField label="Organization" name="org_id" value={orgId} onChange={(e) => setOrgId(e.target.value)} options={orgs} hint="Your email has an account in each of these" />
        ) : null}
        <button type="submit" className="btn primary block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Sessions end after a period of inactivity and can be revoked by an owner.</p>
      </form>
    </main>
  );
}
