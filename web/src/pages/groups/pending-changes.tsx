import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { PendingChange } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Await, Notice, When } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';

function describe(change: PendingChange, names: ReadonlyMap<string, string>): string {
  const who = typeof change.detail.userName === 'string' ? change.detail.userName : (names.get(change.userId) ?? change.userId);
  const group = typeof change.detail.group === 'string' ? ` (${change.detail.group})` : typeof change.detail.displayName === 'string' ? ` (${change.detail.displayName})` : '';
  return `${who}: ${change.kind}${group}`;
}

/**
 * Automatic sync (seed 003): on, the IdP's changes apply at once; off, they wait here until
 * an admin clicks "Sync now".
 */
export function PendingChanges({ tenantId, autoSync, onChanged }: { tenantId: string; autoSync: boolean; onChanged: () => void }) {
  const { loaded, reload } = useLoad(async () => {
    const pending = await api.pendingChanges(tenantId);
    // Changes name users by id; the member list gives the names people know.
    const members = pending.total === 0 ? [] : (await api.memberNames(tenantId)).members;
    return { ...pending, names: new Map(members.map((m) => [m.userId, m.userName])) };
  }, `pending:${tenantId}:${String(autoSync)}`);
  // The switch shows the saved value at once, with the notice that says so, until the page's
  // settings reload and bring it (then `autoSync` has moved on from `over`).
  const [saved, setSaved] = useState<{ over: boolean; value: boolean }>();
  const on = saved?.over === autoSync ? saved.value : autoSync;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const run = async (work: () => Promise<string>): Promise<void> => {
    setBusy(true);
    try {
      setMessage({ kind: 'success', text: await work() });
      onChanged();
    } catch (failure) {
      setMessage({ kind: 'error', text: messageOf(failure) });
    } finally {
      setBusy(false);
      reload();
    }
  };
  const toggle = (): Promise<void> =>
    run(async () => {
      await api.updateSettings(tenantId, { autoSync: !on });
      setSaved({ over: autoSync, value: !on });
      return on ? 'Automatic sync is off: changes from your identity provider wait here until you sync.' : 'Automatic sync is on: waiting changes were applied.';
    });
  const sync = (): Promise<void> =>
    run(async () => {
      const result = await api.sync(tenantId);
      return `Applied ${result.applied} change${result.applied === 1 ? '' : 's'}.`;
    });
  return (
    <section className="card" aria-labelledby="sync">
      <div className="card-head">
        <h2 id="sync">Automatic sync</h2>
        <div className="switch-row">
          <span id="auto-sync-label">Apply changes from the identity provider at once</span>
          <button type="button" role="switch" aria-checked={on} aria-labelledby="auto-sync-label" className={`switch ${on ? 'on' : ''}`} onClick={() => void toggle()} disabled={busy}>
            <span className="visually-hidden">{on ? 'On' : 'Off'}</span>
          </button>
        </div>
      </div>
      {message === undefined ? null : <Notice kind={message.kind}>{message.text}</Notice>}
      <Await loaded={loaded}>
        {({ changes, total, names }) =>
          total === 0 ? (
            <p className="muted">{on ? 'Changes apply as they arrive.' : 'No pending changes.'}</p>
          ) : (
            <>
              <h3>
                Pending changes <span className="badge badge-warn">{total}</span>
              </h3>
              <ul className="pending-list">
                {changes.map((change) => (
                  <li key={change.seq}>
                    <When at={change.createdAt} /> · {describe(change, names)}
                  </li>
                ))}
              </ul>
              {total > changes.length ? <p className="muted small">and {total - changes.length} more…</p> : null}
              <button type="button" className="primary" onClick={() => void sync()} disabled={busy}>
                {busy ? 'Syncing…' : 'Sync now'}
              </button>
            </>
          )
        }
      </Await>
    </section>
  );
}
