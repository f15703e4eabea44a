import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { PendingMemberChange } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Await, Notice } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';
import { changesOf, whoOf } from './pending-entry.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function PendingEntry({ entry, busy, onApply, onDiscard }: { entry: PendingMemberChange; busy: boolean; onApply: () => void; onDiscard: () => void }) {
  const who = whoOf(entry);
  return (
    <li className="pending-entry">
      <div>
        <strong>{who}</strong>
        <ul className="pending-diff">
          {changesOf(entry).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      <div className="pending-actions">
        <button type="button" onClick={onApply} aria-disabled={busy} aria-label={`Apply the changes of ${who}`}>
          Apply
        </button>
        <button type="button" className="danger" onClick={onDiscard} aria-disabled={busy} aria-label={`Discard the changes of ${who}`}>
          Discard
        </button>
      </div>
    </li>
  );
}

/**
 * Automatic sync (seed 003): on, the IdP's changes apply at once; off, they wait here until
 * an admin syncs. The list is the server's preview of sync (run and rolled back), so each
 * entry says what sync will do; "Sync now" applies up to the change the preview covered, so
 * the count applied is the count shown. `refreshKey` changes with the settings (a mapping
 * saved queues changes too).
 */
export function PendingChanges({ tenantId, autoSync, refreshKey, onChanged }: { tenantId: string; autoSync: boolean; refreshKey: string; onChanged: () => void }) {
  const { loaded, reload } = useLoad(() => api.pendingPreview(tenantId), `pending:${tenantId}:${String(autoSync)}:${refreshKey}`);
  // The switch shows the saved value at once, with the notice that says so, until the page's
  // settings reload and bring it (then `autoSync` has moved on from `over`).
  const [saved, setSaved] = useState<{ over: boolean; value: boolean }>();
  const on = saved?.over === autoSync ? saved.value : autoSync;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const run = async (work: () => Promise<string>): Promise<void> => {
    if (busy) return;
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
  const sync = (upTo: number): Promise<void> =>
    run(async () => {
      const result = await api.sync(tenantId, upTo);
      return `Applied the changes of ${plural(result.members, 'member')}.`;
    });
  const applyOne = (entry: PendingMemberChange): Promise<void> =>
    run(async () => {
      await api.applyPending(tenantId, entry.userId);
      return `Applied the changes of ${whoOf(entry)}.`;
    });
  const discardOne = (entry: PendingMemberChange): Promise<void> =>
    run(async () => {
      const result = await api.discardPending(tenantId, entry.userId);
      return `Discarded ${plural(result.discarded, 'change')} of ${whoOf(entry)}: the member stays as it is.`;
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
        {({ upTo, members, entries }) =>
          members === 0 ? (
            <p className="muted">{on ? 'Changes apply as they arrive.' : 'No pending changes.'}</p>
          ) : (
            <>
              <h3>
                Pending changes <span className="badge badge-warn">{plural(members, 'member')}</span>
              </h3>
              <p className="help">What sync will change for each member. Apply or discard one member&apos;s changes, or sync them all.</p>
              <ul className="pending-list" aria-label="Pending changes">
                {entries.map((entry) => (
                  <PendingEntry key={entry.userId} entry={entry} busy={busy} onApply={() => void applyOne(entry)} onDiscard={() => void discardOne(entry)} />
                ))}
              </ul>
              {members > entries.length ? <p className="muted small">and {plural(members - entries.length, 'more member')}…</p> : null}
              <button type="button" className="primary" onClick={() => void sync(upTo)} aria-disabled={busy}>
                {busy ? 'Syncing…' : `Sync now (${plural(members, 'member')})`}
              </button>
            </>
          )
        }
      </Await>
    </section>
  );
}
