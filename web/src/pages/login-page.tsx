import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints.js';
import type { Session } from '../api/types.js';
import { messageOf } from '../components/errors.js';
import { Notice } from '../components/notice.js';

/** Sign-in with an operator key; people with a setup link never see this page unless the link failed. */
export function LoginPage({ reason, onSignedIn }: { reason?: string | undefined; onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
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
    <main id="main" className="login">
      <div className="card login-card">
        <div className="brand brand-large">
          <span className="logo" aria-hidden="true">R</span>
          <h1>Roster admin console</h1>
        </div>
        {reason === undefined ? null : <Notice kind="warning">{reason}</Notice>}
        <form onSubmit={(e) => void submit(e)}>
          <label htmlFor="operator-key">Operator key</label>
          <input id="operator-key" type="password" autoComplete="current-password" required value={key} onChange={(e) => setKey(e.target.value)} aria-describedby="operator-key-help" />
          <p id="operator-key-help" className="help">
            Create one on the server with <code>npx roster operator-key create --name me</code>.
          </p>
          {error === undefined ? null : <Notice kind="error">{error}</Notice>}
          <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="help">
          Setting up SCIM for your organisation? Open the <strong>setup link</strong> your provider sent you: it signs you in to your account only, with no key.
        </p>
      </div>
    </main>
  );
}
