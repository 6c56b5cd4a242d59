// The shell: loads the session, shows sign-in when there is none, otherwise the layout and the screen.
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { call, client, ApiError, setCsrfToken, setUnauthorizedHandler } from './api';
import { sameOrigin, setDisplayZone } from './format';
import { Link, match, navigate, useLocation } from './router';
import { atLeast, SessionContext, useSession, type SessionValue } from './session';
import type { Me } from './types';
import { ErrorNote, Loading } from './components/ui';
import { ErrorBoundary } from './components/ErrorBoundary';
import { LoginPage } from './pages/LoginPage';
import { ShipmentsPage } from './pages/ShipmentsPage';
import { ShipmentPage } from './pages/ShipmentPage';
import { ShipmentFormPage } from './pages/ShipmentFormPage';
import { LinksPage } from './pages/LinksPage';
import { PartnersPage } from './pages/PartnersPage';
import { SettingsPage } from './settings/SettingsPage';
import { NotificationsPage } from './notifications/NotificationsPage';

type State = { kind: 'loading' } | { kind: 'signed_out' } | { kind: 'signed_in'; me: Me } | { kind: 'error'; error: unknown };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await call(client.GET('/api/v1/auth/me'));
      // An API-key caller has no CSRF token and no browser session: treat as signed out.
      if (!me.csrf_token) {
        setState({ kind: 'signed_out' });
        return;
      }
      setCsrfToken(me.csrf_token);
      setDisplayZone(me.org.time_zone);
      setState({ kind: 'signed_in', me });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState({ kind: 'signed_out' });
      else setState({ kind: 'error', error: e });
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState({ kind: 'signed_out' });
    });
    void refresh();
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await call(client.POST('/api/v1/auth/logout'));
    } catch {
      // Signing out locally is what matters; the server session expires on its own.
    }
    setCsrfToken(null);
    setState({ kind: 'signed_out' });
    navigate('/login', { replace: true });
  }, []);

  if (state.kind === 'loading') return <main className="center"><Loading /></main>;
  if (state.kind === 'error') return <main className="center"><ErrorNote error={state.error} onRetry={() => void refresh()} /></main>;
  if (state.kind === 'signed_out') return <LoginPage onSignedIn={refresh} />;
  const session: SessionValue = { me: state.me, refresh, signOut };
  return (
    <SessionContext.Provider value={session}>
      <Shell me={state.me} />
    </SessionContext.Provider>
  );
}

function Shell({ me }: { me: Me }) {
  const loc = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const firstPath = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    // After in-app navigation, move focus to the new screen so keyboard and screen-reader users start there.
    if (firstPath.current) firstPath.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [loc.path]);
  const path = loc.path === '/' || loc.path === '/login' ? '/shipments' : loc.path;
  useEffect(() => {
    if (loc.path === '/' || loc.path === '/login') navigate('/shipments', { replace: true });
  }, [loc.path]);

  let screen: ReactElement;
  let p: Record<string, string> | null;
  if (path === '/shipments') screen = <ShipmentsPage />;
  else if (path === '/shipments/new') screen = <ShipmentFormPage />;
  else if ((p = match('/shipments/:id/edit', path))) screen = <ShipmentFormPage id={p.id} />;
  else if ((p = match('/shipments/:id', path))) screen = <ShipmentPage id={p.id} key={p.id} />;
  else if (path === '/links') screen = <LinksPage />;
  else if (path === '/partners') screen = <PartnersPage />;
  else if (path === '/notifications' || path.startsWith('/notifications/')) screen = <NotificationsPage tab={path.split('/')[2] ?? 'templates'} />;
  else if (path === '/settings' || path.startsWith('/settings/')) screen = <SettingsPage tab={path.split('/')[2] ?? 'organization'} />;
  else screen = <NotFound />;

  const nav = [
    { to: '/shipments', label: 'Shipments' },
    { to: '/links', label: 'Tracking links' },
    { to: '/notifications', label: 'Notifications' },
    { to: '/partners', label: 'Partners' },
    ...(atLeast(me.actor.role, 'admin') ? [{ to: '/settings', label: 'Settings' }] : []),
  ];
  const isCurrent = (to: string) => path === to || path.startsWith(to + '/');
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/shipments" className="brand">
          {me.org.logo_url ? <img src={sameOrigin(me.org.logo_url)} alt="" className="brand-logo" /> : <span className="brand-mark" aria-hidden="true">TL</span>}
          <span className="brand-name">{me.org.name}</span>
        </Link>
        <button type="button" className="icon-btn menu-btn" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          <span className="sr-only">Menu</span>
          <span aria-hidden="true">☰</span>
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? 'open' : ''}>
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={isCurrent(n.to) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
          <UserMenu me={me} />
        </nav>
      </header>
      {me.org.billing_state === 'locked' ? (
        <p className="banner warn" role="status">
          Billing is locked for this organization: every public tracking link shows “not available” until it is resolved.
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={path}>{screen}</ErrorBoundary>
      </main>
    </div>
  );
}

function UserMenu({ me }: { me: Me }) {
  return (
    <div className="user">
      <span className="user-name">
        {me.user?.name ?? me.actor.label} <span className="muted">({me.actor.role})</span>
      </span>
      <SignOutButton />
    </div>
  );
}

function SignOutButton() {
  const { signOut } = useSession();
  return (
    <button type="button" className="btn ghost small" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/shipments">Back to shipments</Link>
      </p>
    </section>
  );
}
