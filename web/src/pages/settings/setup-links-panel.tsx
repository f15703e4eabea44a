import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.js';
import type { SetupLink } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { CopyField } from '../../components/copy-field.js';
import { messageOf } from '../../components/errors.js';
import { Await, Notice, When } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';

function state(link: SetupLink): string {
  if (link.revokedAt !== null) return 'revoked';
  return Date.parse(link.expiresAt) <= Date.now() ? 'expired' : 'active';
}

/** Operators only: the tenant's setup links, a new one (shown once), and revocation. */
export function SetupLinksPanel({ tenantId }: { tenantId: string }) {
  const { loaded, reload } = useLoad(() => api.setupLinks(tenantId), `links:${tenantId}`);
  const [note, setNote] = useState('');
  const [hours, setHours] = useState('72');
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | undefined>();
  const [revoking, setRevoking] = useState<SetupLink | undefined>();
  const [error, setError] = useState<string | undefined>();
  const act = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
      setError(undefined);
    } catch (failure) {
      setError(messageOf(failure));
    }
    reload();
  };
  const create = (event: FormEvent): void => {
    event.preventDefault();
    void act(async () => {
      setCreated(await api.createSetupLink(tenantId, { note: note.trim(), expiresInSeconds: Math.round(Number(hours) * 3600) }));
      setNote('');
    });
  };
  return (
    <section className="card" aria-labelledby="setup-links">
      <h2 id="setup-links">Setup links</h2>
      <p className="help">A setup link opens this tenant's console, and nothing else, for the customer's IT admin: no other credential is needed. It works until it expires or you revoke it.</p>
      {created === undefined ? null : (
        <div className="notice notice-info" role="status">
          <CopyField label="New setup link" value={created.url} secret />
          <p>Shown once. Valid until {new Date(created.expiresAt).toLocaleString()}.</p>
        </div>
      )}
      <form className="inline-form" onSubmit={create}>
        <label htmlFor="link-note">For</label>
        <input id="link-note" value={note} onChange={(e) => setNote(e.target.value)} placeholder="e.g. Ada, Acme IT" maxLength={200} />
        <label htmlFor="link-hours">Valid for (hours)</label>
        <input id="link-hours" type="number" min={1} max={720} value={hours} onChange={(e) => setHours(e.target.value)} />
        <button type="submit" className="primary">
          Create setup link
        </button>
      </form>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      <Await loaded={loaded}>
        {({ setupLinks }) =>
          setupLinks.length === 0 ? (
            <p className="muted">No setup links yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">For</th>
                    <th scope="col">State</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {setupLinks.map((link) => (
                    <tr key={link.id}>
                      <td>{link.note === '' ? <span className="muted">—</span> : link.note}</td>
                      <td>{state(link)}</td>
                      <td>
                        <When at={link.expiresAt} />
                      </td>
                      <td>
                        <When at={link.lastUsedAt} />
                      </td>
                      <td>
                        {state(link) === 'active' ? (
                          <button type="button" className="danger-outline" onClick={() => setRevoking(link)}>
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Await>
      <ConfirmDialog
        open={revoking !== undefined}
        title="Revoke this setup link?"
        confirmLabel="Revoke link"
        danger
        onConfirm={() => {
          const link = revoking;
          setRevoking(undefined);
          if (link !== undefined) void act(() => api.revokeSetupLink(tenantId, link.id));
        }}
        onCancel={() => setRevoking(undefined)}
      >
        <p>The link stops working, and everyone signed in with it is signed out at once.</p>
      </ConfirmDialog>
    </section>
  );
}
