import { useState } from 'react';
import { api } from '../api/endpoints.js';
import type { Member, MemberStatus, Seats } from '../api/types.js';
import { Await } from '../components/notice.js';
import { Tooltip } from '../components/tooltip.js';
import { useLoad } from '../components/use-load.js';
import type { TenantPageProps } from '../api/tenant-context.js';

const STATUS_BADGE: Readonly<Record<MemberStatus, string>> = { active: 'badge-ok', inactive: 'badge-warn', archived: 'badge-muted' };
const SIGN_IN: Readonly<Record<Member['signInMethod'], string>> = { saml: 'SAML SSO', oidc: 'OIDC SSO', password: 'Password' };

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

function RoleCell({ member }: { member: Member }) {
  return (
    <>
      {member.role}
      {member.roleManagedByScim ? (
        <>
          {' '}
          <Tooltip label={<span className="badge badge-info">Managed by SCIM</span>} tip="This role follows the member's groups in your identity provider (admin group or role mapping); change it there." />
        </>
      ) : null}
    </>
  );
}

/** Members: status, role, sign-in method, access group, seat use, and the SCIM markers. */
export function MembersPage({ context }: TenantPageProps) {
  const tenantId = context.tenant.id;
  const [status, setStatus] = useState<MemberStatus | ''>('');
  const { loaded, reload } = useLoad(async () => {
    const [members, groups] = await Promise.all([api.members(tenantId, status === '' ? undefined : status), api.groups(tenantId).catch(() => ({ groups: [], total: 0 }))]);
    return { ...members, groupNames: new Map(groups.groups.map((g) => [g.id, g.displayName])) };
  }, `members:${tenantId}:${status}`);
  return (
    <>
      <div className="page-head">
        <h1>Members</h1>
        <div className="filters">
          <label htmlFor="member-status">Status</label>
          <select id="member-status" value={status} onChange={(e) => setStatus(e.target.value as MemberStatus | '')}>
            <option value="">All</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
            <option value="archived">Archived</option>
          </select>
          <button type="button" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>
      <Await loaded={loaded}>
        {({ members, seats, groupNames }) => (
          <>
            <SeatUse seats={seats} />
            {members.length === 0 ? (
              <p className="muted">No members{status === '' ? '' : ` with status ${status}`} yet. Users your identity provider provisions appear here.</p>
            ) : (
              <div className="table-wrap">
                <table>
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
                    {members.map((member) => (
                      <tr key={member.userId} data-username={member.userName}>
                        <td>
                          <div>{member.displayName ?? member.userName}</div>
                          <div className="muted small">{member.email ?? member.userName}</div>
                        </td>
                        <td>
                          <span className={`badge ${STATUS_BADGE[member.status]}`}>{member.status}</span>
                        </td>
                        <td className="role-cell">
                          <RoleCell member={member} />
                        </td>
                        <td>{SIGN_IN[member.signInMethod]}</td>
                        <td>{member.accessGroupId === null ? <span className="muted">—</span> : (groupNames.get(member.accessGroupId) ?? member.accessGroupId)}</td>
                        <td>{member.managedByScim ? 'SCIM' : member.creator ? 'Account creator' : member.formerlyManagedByScim ? 'Formerly provisioned (SCIM)' : 'Added by hand'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Await>
    </>
  );
}
