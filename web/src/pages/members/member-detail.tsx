import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { DirectoryMember } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Notice } from '../../components/notice.js';
import { MemberActions } from './member-actions.js';
import { MemberProfile } from './member-profile.js';
import { SIGN_IN, sourceOf, StatusBadge } from './member-labels.js';

/**
 * One member in a modal panel (the native <dialog>: the focus moves in, Escape closes, the
 * page behind is out of reach), read from GET /members/{userId}: the whole profile, groups,
 * status, role and the changes an admin may make by hand.
 */
export function MemberDetail({ tenantId, userId, scimEnabled, onChanged, onClose }: { tenantId: string; userId: string; scimEnabled: boolean; onChanged: (member: DirectoryMember) => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [member, setMember] = useState<DirectoryMember>();
  const [error, setError] = useState<string>();
  const load = useCallback(async (): Promise<void> => {
    try {
      const fresh = await api.member(tenantId, userId);
      setMember(fresh);
      return onChanged(fresh);
    } catch (failure) {
      setError(messageOf(failure));
    }
    // onChanged is the page's; a new closure each render does not call for a new read.
  }, [tenantId, userId]);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    void api.member(tenantId, userId).then(setMember, (failure: unknown) => setError(messageOf(failure)));
  }, [tenantId, userId]);
  const name = member === undefined ? 'Member' : (member.displayName ?? member.userName);
  return (
    <dialog
      ref={ref}
      className="member-panel"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="card-head">
        <h2 id={titleId}>{name}</h2>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      {error !== undefined ? (
        <Notice kind="error" title="Could not load this member">
          {error}
        </Notice>
      ) : member === undefined ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : (
        <>
          <dl className="pairs">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={member.status} />
            </dd>
            <dt>Role</dt>
            <dd>
              {member.role}
              {member.roleManagedByScim ? <span className="badge badge-info">Managed by SCIM</span> : null}
            </dd>
            <dt>Source</dt>
            <dd>{sourceOf(member)}</dd>
            <dt>Sign-in</dt>
            <dd>{SIGN_IN[member.signInMethod]}</dd>
            <dt>Email</dt>
            <dd>{member.email ?? <span className="muted">—</span>}</dd>
            <dt>User ID</dt>
            <dd className="mono">{member.userId}</dd>
          </dl>
          <MemberActions tenantId={tenantId} member={member} scimEnabled={scimEnabled} onChanged={load} />
          <h3>Groups</h3>
          {member.groups.length === 0 ? (
            <p className="muted small">Not in any group.</p>
          ) : (
            <ul className="plain-list">
              {member.groups.map((group) => (
                <li key={group.id}>{group.displayName}</li>
              ))}
            </ul>
          )}
          <MemberProfile member={member} />
        </>
      )}
    </dialog>
  );
}
