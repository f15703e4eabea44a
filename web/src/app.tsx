import { useCallback, useEffect, useState } from 'react';
import { setCsrfToken, whenSignedOut } from './api/client.js';
import { api } from './api/endpoints.js';
import type { Session } from './api/types.js';
import { messageOf } from './components/errors.js';
import { Notice } from './components/notice.js';
import { LoginPage } from './pages/login-page.js';
import { TenantShell, TENANT_PAGES, type TenantPage } from './pages/tenant-shell.js';
import { TenantsPage } from './pages/tenants-page.js';
import { navigate, useRoute } from './router.js';

/** `setupLink`: the setup link that opened (or would open) this console no longer works. */
type SessionState =
  | { readonly state: 'checking' }
  | { readonly state: 'signedOut'; readonly reason?: string; readonly setupLink?: boolean }
  | { readonly state: 'signedIn'; readonly session: Session }
  /** A setup link was opened in a browser that already has a session: ask before replacing it. */
  | { readonly state: 'replace'; readonly current: Session; readonly setupToken: string };

/** The setup link's secret, from `#token=…`; the fragment is removed from the address bar at once. */
function takeSetupToken(): string | undefined {
  const match = /^#token=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (match?.[1] === undefined) return undefined;
  window.history.replaceState(null, '', window.location.pathname);
  return match[1];
}

/** Starts the console: opens a session from a setup link, or finds the current one, then routes. */
export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  const route = useRoute();

  const signedIn = useCallback((next: Session) => {
    setCsrfToken(next.csrfToken);
    setSession({ state: 'signedIn', session: next });
  }, []);

  const openSetupLink = useCallback((setupToken: string) => {
    void api.signIn({ setupToken }).then(
      (next) => {
        signedIn(next);
        if (next.tenantId !== null) navigate(`/tenants/${next.tenantId}/scim`, { replace: true });
      },
      (error: unknown) => setSession({ state: 'signedOut', reason: messageOf(error), setupLink: true }),
    );
  }, [signedIn]);

  useEffect(() => {
    whenSignedOut(() =>
      setSession((current) =>
        current.state === 'signedIn' && current.session.kind !== 'operator'
          ? { state: 'signedOut', reason: 'Your session has ended: the setup link that opened it was revoked or has expired.', setupLink: true }
          : { state: 'signedOut', reason: 'Your session has ended. Sign in again.' },
      ),
    );
    const setupToken = takeSetupToken();
    if (setupToken === undefined) {
      void api.session().then(
        (next) => {
          signedIn(next);
          if (next.tenantId !== null && route === '') navigate(`/tenants/${next.tenantId}/scim`, { replace: true });
        },
        () => setSession({ state: 'signedOut' }),
      );
      return;
    }
    // A link must not silently replace the session this browser already has (another
    // tenant's, or an operator's): the admin chooses.
    void api.session().then(
      (current) => setSession({ state: 'replace', current, setupToken }),
      () => openSetupLink(setupToken),
    );
    // Runs once, at start-up: later navigation does not sign in again.
  }, []);

  if (session.state === 'checking') return <p className="muted page-pad" aria-busy="true">Loading the console…</p>;
  if (session.state === 'replace') {
    const { current, setupToken } = session;
    return (
      <main className="page-pad">
        <h1>Open this setup link?</h1>
        <Notice kind="info">
          This browser is already signed in to the console {current.kind === 'operator' ? 'as an operator, for every tenant' : `for tenant ${String(current.tenantId)}`}. Opening the
          setup link signs that session out here and opens the link's tenant instead.
        </Notice>
        <div className="actions">
          <button type="button" className="primary" onClick={() => openSetupLink(setupToken)}>Open the setup link</button>
          <button type="button" onClick={() => {
            signedIn(current);
            if (current.tenantId !== null) navigate(`/tenants/${current.tenantId}/scim`, { replace: true });
          }}>Keep my current session</button>
        </div>
      </main>
    );
  }
  if (session.state === 'signedOut') {
    return <LoginPage reason={session.reason} setupLink={session.setupLink === true} onSignedIn={(next) => {
      signedIn(next);
      navigate(next.tenantId === null ? '' : `/tenants/${next.tenantId}/scim`, { replace: true });
    }} />;
  }
  const signOut = (): void => {
    void api.signOut().finally(() => setSession({ state: 'signedOut' }));
  };
  const tenantMatch = /^\/tenants\/([^/]+)(?:\/([a-z]+))?$/.exec(route);
  if (tenantMatch?.[1] !== undefined) {
    const page: TenantPage = TENANT_PAGES.find((p) => p.path === tenantMatch[2])?.path ?? 'scim';
    return <TenantShell tenantId={tenantMatch[1]} page={page} session={session.session} onSignOut={signOut} />;
  }
  if (session.session.tenantId !== null) {
    return (
      <main className="page-pad">
        <Notice kind="info">This page is not part of your tenant's console.</Notice>
        <button type="button" className="primary" onClick={() => navigate(`/tenants/${String(session.session.tenantId)}/scim`)}>Go to your SCIM settings</button>
      </main>
    );
  }
  return <TenantsPage onSignOut={signOut} />;
}
