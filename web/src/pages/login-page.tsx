import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints.js';
import type { Session } from '../api/types.js';
import { messageOf } from '../components/errors.js';
import { Notice } from '../components/notice.js';
import { usePageTitle } from '../components/page-title.js';

/** The operator's sign-in form. */
function OperatorSignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy || key.trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.signIn({ operatorKey: key.trim() }));
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <label htmlFor="operator-key">Operator key</label>
      <input id="operator-key" type="password" autoComplete="current-password" required value={key} onChange={(e) => setKey(e.target.value)} aria-describedby="operator-key-help" />
      <p id="operator-key-help" className="help">
        Create one on the server with <code>npx roster operator-key create --name me</code>.
      </p>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      {/* aria-disabled, not disabled: the button keeps the keyboard focus while signing in. */}
      <button type="submit" className="primary" aria-disabled={busy || key.trim() === ''}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/**
 * Sign-in with an operator key. People with a setup link never see this page unless the link
 * failed; then the page tells them what to do (ask for a new link), and the operator's form
 * folds away beneath.
 */
export function LoginPage({ reason, setupLink = false, onSignedIn }: { reason?: string | undefined; setupLink?: boolean; onSignedIn: (session: Session) => void }) {
  usePageTitle(setupLink ? 'Setup link no longer works' : 'Sign in');
  return (
    <main id="main" className="login">
      <div className="card login-card">
        <div className="brand brand-large">
          <span className="logo" aria-hidden="true">R</span>
          <h1>{setupLink ? 'This setup link no longer works' : 'Roster admin console'}</h1>
        </div>
        {setupLink ? (
          <>
            <Notice kind="warning">{reason}</Notice>
            <p>
              Setup links expire, and your provider can revoke them. <strong>Ask your provider (the company whose product you are connecting) for a new setup link</strong>, then open it: it signs you in to your account again, with no password.
            </p>
            <details className="operator-signin">
              <summary>Operator of this Roster server? Sign in with a key</summary>
              <OperatorSignIn onSignedIn={onSignedIn} />
            </details>
          </>
        ) : (
          <>
            {reason === undefined ? null : <Notice kind="warning">{reason}</Notice>}
            <OperatorSignIn onSignedIn={onSignedIn} />
            <p className="help">
              Setting up SCIM for your organisation? Open the <strong>setup link</strong> your provider sent you: it signs you in to your account only, with no key.
            </p>
          </>
        )}
      </div>
    </main>
  );
}
