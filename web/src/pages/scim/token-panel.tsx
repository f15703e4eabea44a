import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.js';
import type { IssuedToken, RotatedToken, ScimToken } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { messageOf } from '../../components/errors.js';
import { Await, Notice, When } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';
import { NewTokenBox } from './new-token-box.js';
import { RotateDialog } from './rotate-dialog.js';

/** Generate, name, rotate and revoke the tenant's SCIM bearer tokens. */
export function TokenPanel({ tenantId }: { tenantId: string }) {
  const { loaded, reload } = useLoad(() => api.tokens(tenantId), `tokens:${tenantId}`);
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<IssuedToken | RotatedToken | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<ScimToken | undefined>();
  const [rotating, setRotating] = useState<ScimToken | undefined>();
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const doneNotice = useRef<HTMLParagraphElement>(null);

  // Buttons stay enabled while busy (a disabled button drops the keyboard focus); a second press is ignored.
  const act = async (work: () => Promise<void>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      await work();
      setError(undefined);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
      reload();
    }
  };
  const generate = (event: FormEvent): void => {
    event.preventDefault();
    void act(async () => {
      setIssued(await api.issueToken(tenantId, name.trim() === '' ? 'SCIM token' : name.trim()));
      setDone(undefined);
      setName('');
    });
  };
  const rotate = (token: ScimToken, overlapHours: number | undefined): void =>
    void act(async () => {
      setIssued(await api.rotateToken(tenantId, token.id, overlapHours));
      setDone(undefined);
      setRotating(undefined);
    });
  const revoke = (token: ScimToken): void =>
    void act(async () => {
      await api.revokeToken(tenantId, token.id);
      setRevoking(undefined);
      // A revoked secret does not stay on screen.
      if (issued?.id === token.id) setIssued(undefined);
      setDone(`Token "${token.name}" revoked: it no longer works.`);
    });
  // The pressed Revoke button goes with its row: the focus goes to what happened, once the
  // confirmation dialog has handed it back to that button.
  useEffect(() => {
    if (done === undefined) return;
    const timer = setTimeout(() => doneNotice.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [done]);

  return (
    <section className="card" aria-labelledby="tokens">
      <h2 id="tokens">2. Bearer tokens</h2>
      <p className="help">Your identity provider authenticates with a bearer token. You can keep several (one per IdP or environment); each can be rotated or revoked on its own.</p>
      {issued === undefined ? null : (
        <NewTokenBox
          issued={issued}
          onDone={() => {
            setIssued(undefined);
            nameInput.current?.focus();
          }}
        />
      )}
      {done === undefined ? null : (
        <p className="notice notice-success" role="status" tabIndex={-1} ref={doneNotice}>
          {done}
        </p>
      )}
      <form className="inline-form" onSubmit={generate}>
        <label htmlFor="token-name">Token name</label>
        <input id="token-name" ref={nameInput} placeholder="e.g. Entra ID production" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        <button type="submit" className="primary" aria-disabled={busy}>
          Generate New Token
        </button>
      </form>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      <Await loaded={loaded}>
        {({ tokens }) => {
          const live = tokens.filter((t) => t.revokedAt === null);
          return live.length === 0 ? (
            <p className="muted">No active tokens: generate one for your identity provider.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Active tokens</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {live.map((token) => (
                    <tr key={token.id} data-token-id={token.id}>
                      <td>{token.name}</td>
                      <td>
                        <When at={token.createdAt} />
                      </td>
                      <td>
                        <When at={token.lastUsedAt} />
                      </td>
                      <td>{token.expiresAt === null ? 'Never' : <When at={token.expiresAt} />}</td>
                      <td className="row-actions">
                        <button type="button" onClick={() => setRotating(token)} aria-disabled={busy} aria-label={`Rotate token ${token.name}`}>
                          Rotate
                        </button>
                        <button type="button" className="danger-outline" onClick={() => setRevoking(token)} aria-disabled={busy} aria-label={`Revoke token ${token.name}`}>
                          Revoke
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Await>
      <RotateDialog token={rotating} busy={busy} onRotate={rotate} onCancel={() => setRotating(undefined)} />
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke "${revoking?.name ?? ''}"?`}
        confirmLabel="Revoke token"
        danger
        busy={busy}
        onConfirm={() => revoking !== undefined && revoke(revoking)}
        onCancel={() => setRevoking(undefined)}
      >
        <p>The token stops working at once. An identity provider still using it gets 401 until you give it another token.</p>
      </ConfirmDialog>
    </section>
  );
}
