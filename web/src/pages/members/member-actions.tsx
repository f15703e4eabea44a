import { useId, useState } from 'react';
import { api } from '../../api/endpoints.js';
import { ApiFailure } from '../../api/client.js';
import type { DirectoryMember, MemberStatus } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Notice } from '../../components/notice.js';

/** The API's refusals of a hand change, in words an admin can act on. */
function wordsFor(failure: unknown): string {
  if (!(failure instanceof ApiFailure)) return messageOf(failure);
  switch (failure.code) {
    case 'SEAT_LIMIT_REACHED':
      return 'No seat is free: every seat of your plan is taken by an active member. Deactivate a member, or ask your provider for more seats, then try again.';
    case 'ROLE_MANAGED_BY_SCIM':
      return 'This role is managed by SCIM: it comes from the member\'s groups in your identity provider (the admin group or a role mapping). Change the groups there, or the mapping on the Groups page.';
    case 'STATUS_MANAGED_BY_SCIM':
      return 'This member\'s status is managed by SCIM: it follows your identity provider while SCIM is on. Only a member who was refused a seat can be activated here.';
    case 'VALIDATION_FAILED':
      return 'A role is 1 to 100 characters, and not only spaces.';
    default:
      return failure.message;
  }
}

/** What the status button does for this member, or why the API would refuse it. */
function statusAction(member: DirectoryMember, scimEnabled: boolean): { to: MemberStatus; label: string; refused?: string } {
  const byIdp = member.managedByScim && scimEnabled;
  if (member.status === 'active') {
    return { to: 'inactive', label: 'Deactivate', ...(byIdp ? { refused: 'Managed by SCIM: this member\'s status follows your identity provider. Deactivate or unassign the user there.' } : {}) };
  }
  if (byIdp && member.status === 'archived') {
    return { to: 'active', label: 'Activate', refused: 'Managed by SCIM: your identity provider removed this user. It comes back when the identity provider provisions it again.' };
  }
  return { to: 'active', label: 'Activate' };
}

/**
 * Activate or deactivate, and change the role, for the members the API lets an admin change
 * by hand. A change the API would refuse shows its button aria-disabled with the reason; a
 * refusal the page could not foresee (no free seat) is shown in words in an alert. The focus
 * stays on the pressed button throughout.
 */
export function MemberActions({ tenantId, member, scimEnabled, onChanged }: { tenantId: string; member: DirectoryMember; scimEnabled: boolean; onChanged: () => Promise<void> }) {
  const [role, setRole] = useState(member.role);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string }>();
  const statusWhyId = useId();
  const roleWhyId = useId();
  const status = statusAction(member, scimEnabled);
  const name = member.displayName ?? member.userName;

  const change = async (body: { status?: MemberStatus; role?: string }, done: string): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      await api.updateMember(tenantId, member.userId, body);
      await onChanged();
      setMessage({ kind: 'success', text: done });
    } catch (failure) {
      setMessage({ kind: 'error', text: wordsFor(failure) });
    } finally {
      setBusy(false);
    }
  };
  const roleRefused = member.roleManagedByScim ? 'Managed by SCIM: this role comes from the member\'s groups in your identity provider (the admin group or a role mapping); change it there.' : undefined;

  return (
    <section aria-labelledby={`${statusWhyId}-heading`} className="member-actions">
      <h3 id={`${statusWhyId}-heading`}>Change by hand</h3>
      <div className="inline-form">
        <button
          type="button"
          className={status.to === 'inactive' ? 'danger-outline' : 'primary'}
          aria-disabled={busy || status.refused !== undefined}
          aria-describedby={status.refused === undefined ? undefined : statusWhyId}
          onClick={() => void (status.refused === undefined && change({ status: status.to }, `${name} is now ${status.to}.`))}
        >
          {status.label}
        </button>
        {status.refused === undefined ? null : (
          <span id={statusWhyId} className="muted small">
            {status.refused}
          </span>
        )}
      </div>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (roleRefused === undefined && role.trim() !== member.role) void change({ role: role.trim() }, `${name}'s role is now ${role.trim()}.`);
        }}
      >
        <label htmlFor={`${roleWhyId}-role`}>Role</label>
        <input id={`${roleWhyId}-role`} value={role} maxLength={100} readOnly={roleRefused !== undefined} aria-describedby={roleRefused === undefined ? undefined : roleWhyId} onChange={(e) => setRole(e.target.value)} list={`${roleWhyId}-roles`} />
        <datalist id={`${roleWhyId}-roles`}>
          <option value="admin" />
          <option value="member" />
        </datalist>
        <button type="submit" aria-disabled={busy || roleRefused !== undefined} aria-describedby={roleRefused === undefined ? undefined : roleWhyId}>
          Change role
        </button>
        {roleRefused === undefined ? null : (
          <span id={roleWhyId} className="muted small">
            {roleRefused}
          </span>
        )}
      </form>
      {message === undefined ? null : <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  );
}
