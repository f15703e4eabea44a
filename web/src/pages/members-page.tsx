import { useEffect, useRef, useState } from 'react';
import { api, type MemberFilters } from '../api/endpoints.js';
import type { DirectoryMember, Seats } from '../api/types.js';
import { Notice } from '../components/notice.js';
import { Tooltip } from '../components/tooltip.js';
import { useLoad } from '../components/use-load.js';
import type { TenantPageProps } from '../api/tenant-context.js';
import { MemberDetail } from './members/member-detail.js';
import { MemberFilterForm } from './members/member-filters.js';
import { SIGN_IN, sourceOf, StatusBadge } from './members/member-labels.js';
import { useMemberPages } from './members/use-member-pages.js';

/** "12 of 50 seats used", with a meter; archived and inactive members hold no seat. */
function SeatUse({ seats }: { seats: Seats }) {
  if (seats.limit === null) return <p className="seats">{seats.used} active members · no seat limit</p>;
  const full = seats.used >= seats.limit;
  return (
    <div className="seats">
      <label htmlFor="seat-meter">
        {seats.used} of {seats.limit} seats used
        {full ? ` · limit reached: new users are ${seats.policy === 'reject' ? 'refused (409)' : 'created inactive'}` : ''}
      </label>
      <meter id="seat-meter" min={0} max={seats.limit} value={seats.used} high={seats.limit * 0.9} optimum={0} />
    </div>
  );
}

function RoleCell({ member }: { member: DirectoryMember }) {
  return (
    <>
      {member.role}
      {member.roles.length > 1 ? <span className="help"> (also {member.roles.slice(1).join(', ')})</span> : null}
      {member.roleManagedByScim ? (
        <>
          {' '}
          <Tooltip label={<span className="badge badge-info">Managed by SCIM</span>} tip="This role follows the member's groups in your identity provider (admin group, role mapping or groups as roles); change it there." />
        </>
      ) : null}
    </>
  );
}

const DEFAULT_FILTERS: MemberFilters = { sort: 'userName' };

/**
 * Members: searched, filtered and sorted by the server, a page at a time; seat use; a member's
 * detail with the changes an admin may make by hand.
 */
export function MembersPage({ context }: TenantPageProps) {
  const tenantId = context.tenant.id;
  const [filters, setFilters] = useState<MemberFilters>(DEFAULT_FILTERS);
  const { pages, loadMore, replace, reload } = useMemberPages(tenantId, filters);
  const { loaded: groupsLoaded } = useLoad(() => api.groups(tenantId).catch(() => ({ groups: [], total: 0 })), `member-groups:${tenantId}`);
  const groups = groupsLoaded.state === 'ready' ? groupsLoaded.data.groups : [];
  const groupNames = new Map(groups.map((g) => [g.id, g.displayName]));
  // The roles known here: the built-in two, the mapped ones, and every role of the members listed (roles set by
  // hand, groups as roles). The filter lists each member holding the role, whichever rank it has among its roles.
  const roles = [...new Set(['admin', 'member', ...Object.values(context.settings.roleMappings), ...pages.members.flatMap((m) => m.roles), ...(filters.role === undefined ? [] : [filters.role])])].sort();
  const [open, setOpen] = useState<string>();
  // Where the focus goes once the table shows it: the member whose detail closed, or the first row "Load more" added.
  const [focusTarget, setFocusTarget] = useState<{ readonly userId: string } | { readonly index: number }>();
  const table = useRef<HTMLTableElement>(null);
  const search = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusTarget === undefined) return;
    const userId = 'userId' in focusTarget ? focusTarget.userId : pages.members[focusTarget.index]?.userId;
    if (userId === undefined) return;
    setFocusTarget(undefined);
    const button = table.current?.querySelector<HTMLButtonElement>(`button[data-user-id="${CSS.escape(userId)}"]`);
    // A row no longer listed leaves the focus to the search box rather than to the page's body.
    if (button === null || button === undefined) search.current?.querySelector('input')?.focus();
    else button.focus();
  }, [focusTarget, pages.members]);

  const more = async (): Promise<void> => {
    const before = pages.members.length;
    // The first new row takes the focus: the reader goes on from there, and the button may be gone.
    if ((await loadMore()) > 0) setFocusTarget({ index: before });
  };

  const filtered = filters.q !== undefined || filters.status !== undefined || filters.role !== undefined || filters.group !== undefined || filters.source !== undefined;
  return (
    <>
      <div className="page-head">
        <h1>Members</h1>
        <div className="filters">
          <button type="button" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>
      <div ref={search}>
        <MemberFilterForm filters={filters} roles={roles} groups={groups} onChange={setFilters} />
      </div>
      {pages.seats === undefined ? null : <SeatUse seats={pages.seats} />}
      <p className="muted small" role="status" data-testid="member-count">
        {pages.state === 'ready' ? `${pages.members.length} member${pages.members.length === 1 ? '' : 's'} shown${pages.next === null ? '' : ', more to load'}` : ''}
      </p>
      {pages.state === 'failed' ? (
        <Notice kind="error" title="Could not load members">
          {pages.error?.message}
        </Notice>
      ) : pages.state === 'loading' ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : pages.members.length === 0 ? (
        <p className="muted">{filtered ? 'No members match these filters.' : 'No members yet. Users your identity provider provisions appear here.'}</p>
      ) : (
        <div className="table-wrap">
          <table ref={table}>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                <th scope="col">Sign-in</th>
                <th scope="col">Access group</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {pages.members.map((member) => (
                <tr key={member.userId} data-username={member.userName}>
                  <td>
                    <button type="button" className="link-button" data-user-id={member.userId} onClick={() => setOpen(member.userId)}>
                      {member.displayName ?? member.userName}
                    </button>
                    <div className="muted small">{member.email ?? member.userName}</div>
                  </td>
                  <td>
                    <StatusBadge status={member.status} />
                  </td>
                  <td className="role-cell">
                    <RoleCell member={member} />
                  </td>
                  <td>{SIGN_IN[member.signInMethod]}</td>
                  <td>{member.accessGroupId === null ? <span className="muted">—</span> : (groupNames.get(member.accessGroupId) ?? member.accessGroupId)}</td>
                  <td>{sourceOf(member)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.state === 'ready' && pages.moreError !== undefined ? (
        <Notice kind="error" title="Could not load more members">
          {pages.moreError.message} The members above stay shown; press "Load more" to try again.
        </Notice>
      ) : null}
      {pages.state === 'ready' && pages.next !== null ? (
        <div className="pager">
          <button type="button" aria-disabled={pages.loadingMore} onClick={() => void more()}>
            {pages.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
      {open === undefined ? null : (
        <MemberDetail
          tenantId={tenantId}
          userId={open}
          scimEnabled={context.settings.scimEnabled}
          onChanged={(member) => void replace(member)}
          onClose={() => {
            setOpen(undefined);
            setFocusTarget({ userId: open });
          }}
        />
      )}
    </>
  );
}
