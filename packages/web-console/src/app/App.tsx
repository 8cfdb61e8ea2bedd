/** The console's frame: who is signed in, the navigation, and which page the path shows. */
import { useEffect, useState, type ReactNode } from 'react';
import { api, currentSession, onSessionChange, refreshSession, setSession, signOut, type Session } from '../api/client';
import type { ConsoleConfig } from '../api/types';
import { AccountPage } from '../pages/Account/Account';
import { AddRouterPage } from '../pages/AddRouter/AddRouter';
import { AuditPage } from '../pages/AdminAudit/AdminAudit';
import { AdminSessionsPage } from '../pages/AdminSessions/AdminSessions';
import { AdminUsersPage } from '../pages/AdminUsers/AdminUsers';
import { BulkPage } from '../pages/Bulk/Bulk';
import { EventsPage } from '../pages/Events/Events';
import { RouterPage } from '../pages/Router/Router';
import { RoutersPage } from '../pages/Routers/Routers';
import { SetupPage } from '../pages/Setup/Setup';
import { SignInPage } from '../pages/SignIn/SignIn';
import { LiveProvider, useLiveStatus } from './live';
import { Link, matchPath, navigate, usePath } from './router';

type Boot = { state: 'starting' } | { state: 'ready'; config: ConsoleConfig };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'starting' });
  const [session, setLocal] = useState<Session | null>(currentSession());
  const [notice, setNotice] = useState<string | null>(null);
  const path = usePath();

  useEffect(
    () =>
      onSessionChange((next, reason) => {
        setLocal(next);
        if (!next && reason) setNotice(reason);
        if (next) setNotice(null);
      }),
    [],
  );

  useEffect(() => {
    // A reload keeps the user signed in through the refresh cookie; nothing is stored by us.
    void Promise.all([api.get('/api/v1/console/config', { anonymous: true }), refreshSession()]).then(
      ([config]) => setBoot({ state: 'ready', config }),
      () => setBoot({ state: 'ready', config: { setupRequired: false, registrationOpen: false, demoRouter: false } }),
    );
  }, []);

  if (boot.state === 'starting') {
    return (
      <main id="main" className="boot">
        <p>Loading NetPilot…</p>
      </main>
    );
  }
  const { config } = boot;

  if (!session) {
    const wantsSetup = path === '/setup' || path === '/register';
    if (config.setupRequired || (wantsSetup && config.registrationOpen)) {
      return (
        <Frame>
          <SetupPage firstRun={config.setupRequired} onDone={() => setBoot({ state: 'ready', config: { ...config, setupRequired: false } })} />
        </Frame>
      );
    }
    return (
      <Frame>
        <SignInPage notice={notice} registrationOpen={config.registrationOpen} />
      </Frame>
    );
  }

  return (
    <LiveProvider key={session.user.id} onTerminated={() => setSession(null, 'Your session was ended (signed out elsewhere or by an administrator). Sign in again.')}>
      <Frame session={session}>
        <Routes path={path} session={session} config={config} />
      </Frame>
    </LiveProvider>
  );
}

function Routes({ path, session, config }: { path: string; session: Session; config: ConsoleConfig }) {
  const isAdmin = session.user.role === 'admin';
  let m: Record<string, string> | null;
  if (path === '/' || path === '/routers' || path === '/signin' || path === '/setup') return <RoutersPage demoRouter={config.demoRouter} />;
  if (path === '/routers/new') return <AddRouterPage />;
  if ((m = matchPath('/routers/:id/:tab?', path))) return <RouterPage key={m.id} id={m.id} tab={m.tab || 'devices'} />;
  if (path === '/events') return <EventsPage />;
  if (path === '/bulk') return <BulkPage />;
  if (path === '/account') return <AccountPage />;
  if (isAdmin && path === '/admin/users') return <AdminUsersPage />;
  if (isAdmin && path === '/admin/sessions') return <AdminSessionsPage />;
  if (isAdmin && path === '/admin/audit') return <AuditPage />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at {path}. <Link to="/">Go to your routers</Link>.
      </p>
    </section>
  );
}

function Frame({ session, children }: { session?: Session; children: ReactNode }) {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          NetPilot
        </Link>
        {session && <Nav session={session} />}
      </header>
      <main id="main">{children}</main>
    </>
  );
}

function Nav({ session }: { session: Session }) {
  const path = usePath();
  const live = useLiveStatus();
  const item = (to: string, label: string, active = path === to) => (
    <li>
      <Link to={to} aria-current={active ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <nav aria-label="Main">
      <ul>
        {item('/', 'Routers', path === '/' || path.startsWith('/routers'))}
        {item('/bulk', 'Bulk')}
        {item('/events', 'Events')}
        {session.user.role === 'admin' && (
          <>
            {item('/admin/users', 'Users')}
            {item('/admin/sessions', 'Sessions')}
            {item('/admin/audit', 'Audit log')}
          </>
        )}
        {item('/account', 'Account')}
      </ul>
      <span className={`live ${live ? 'on' : 'off'}`} role="status" title={live ? 'Live updates are on' : 'Reconnecting for live updates'}>
        {live ? 'Live' : 'Offline'}
      </span>
      <span className="who">{session.user.username}</span>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          void signOut().then(() => navigate('/signin'));
        }}
      >
        Sign out
      </button>
    </nav>
  );
}
