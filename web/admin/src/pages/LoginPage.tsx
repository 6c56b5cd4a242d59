import { useState, type FormEvent } from 'react';
import { api, setCsrfToken } from '../api';
import { FormError, TextField, fieldError } from '../components/forms';
import { useAction } from '../components/ui';

export function LoginPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => api.post<{ csrf_token: string }>('/api/v1/auth/login', { email, password }));
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
        <FormError error={error} shown={['body/email', 'body/password']} />
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
        <button type="submit" className="btn primary block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Sessions end after a period of inactivity and can be revoked by an owner.</p>
      </form>
    </main>
  );
}
