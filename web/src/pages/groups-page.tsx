import { useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints.js';
import type { GroupMapping, TenantSettings } from '../api/types.js';
import { messageOf } from '../components/errors.js';
import { Await, Notice } from '../components/notice.js';
import { useLoad } from '../components/use-load.js';
import { GroupMembers } from './groups/group-members.js';
import { PendingChanges } from './groups/pending-changes.js';
import type { TenantPageProps } from '../api/tenant-context.js';

/** The groups as the table lists them: the saved access groups first, in priority order, then the others by name. */
function inPriorityOrder(groups: readonly GroupMapping[], accessGroupIds: readonly string[]): readonly GroupMapping[] {
  const rank = (g: GroupMapping): number => {
    const at = accessGroupIds.indexOf(g.id);
    return at < 0 ? accessGroupIds.length : at;
  };
  return [...groups].sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));
}

/** The mapping form: admin group, roles per group, access groups (in priority order); each group's member count and list. */
function MappingForm({ tenantId, groups, settings, onSaved }: { tenantId: string; groups: readonly GroupMapping[]; settings: TenantSettings; onSaved: () => void }) {
  const [adminGroupId, setAdminGroupId] = useState(settings.adminGroupId ?? '');
  const [roles, setRoles] = useState<Record<string, string>>({ ...settings.roleMappings });
  const [access, setAccess] = useState<string[]>([...settings.accessGroupIds]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  // The priority button pressed last, to keep the focus on it after the move.
  const [moved, setMoved] = useState<{ id: string; by: -1 | 1 } | undefined>();
  const priorityList = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (moved === undefined) return;
    // React may move the focused button's node, which blurs it; a button at the list's end stays focusable (aria-disabled).
    const direction = moved.by === -1 ? 'up' : 'down';
    priorityList.current?.querySelector<HTMLButtonElement>(`[data-group="${moved.id}"][data-direction="${direction}"]`)?.focus();
  }, [moved, access]);

  const save = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      const roleMappings = Object.fromEntries(Object.entries(roles).filter(([id, role]) => role.trim() !== '' && id !== adminGroupId).map(([id, role]) => [id, role.trim()]));
      await api.updateSettings(tenantId, { adminGroupId: adminGroupId === '' ? null : adminGroupId, roleMappings, accessGroupIds: access });
      // With automatic sync off the new roles wait with the other pending changes.
      setMessage({ kind: 'success', text: settings.autoSync ? 'Saved. Members\' roles and access groups follow the new mapping.' : 'Saved. Automatic sync is off: the roles and access groups this mapping gives wait under Pending changes until you sync.' });
      onSaved();
    } catch (failure) {
      setMessage({ kind: 'error', text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };
  const toggleAccess = (id: string, on: boolean): void => setAccess((current) => (on ? [...current.filter((g) => g !== id), id] : current.filter((g) => g !== id)));
  const move = (id: string, by: -1 | 1): void => {
    setMoved({ id, by });
    setAccess((current) => {
      const at = current.indexOf(id);
      const to = at + by;
      if (at < 0 || to < 0 || to >= current.length) return current;
      const next = [...current];
      [next[at], next[to]] = [next[to] as string, next[at] as string];
      return next;
    });
  };
  // The group whose members are listed below the table.
  const [shown, setShown] = useState<string>();
  const shownGroup = groups.find((g) => g.id === shown);
  const name = (id: string): string => groups.find((g) => g.id === id)?.displayName ?? id;

  return (
    <>
      <section className="card" aria-labelledby="admin-group">
        <h2 id="admin-group">Admin Group</h2>
        <p className="help">Members of this group get the admin role; members removed from it are demoted to member. Their roles show as managed by SCIM.</p>
        <label htmlFor="admin-group-select">Admin group</label>
        <select id="admin-group-select" value={adminGroupId} onChange={(e) => setAdminGroupId(e.target.value)}>
          <option value="">No admin group</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.displayName}
            </option>
          ))}
        </select>
      </section>
      <section className="card" aria-labelledby="roles">
        <h2 id="roles">Groups, roles and access groups</h2>
        <p className="help">Give a group a role (your product assigns the permissions of each role), and tick the groups that are access groups. A member holds at most one access group: the highest in the list below wins.</p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Role for its members</th>
                <th scope="col">Access group</th>
                <th scope="col">Members</th>
              </tr>
            </thead>
            <tbody>
              {inPriorityOrder(groups, settings.accessGroupIds).map((g) => (
                <tr key={g.id}>
                  <td>
                    <div>{g.displayName}</div>
                    {g.externalId === null ? null : <div className="muted small mono">{g.externalId}</div>}
                  </td>
                  <td>
                    {g.id === adminGroupId ? (
                      <span className="badge badge-info">admin (admin group)</span>
                    ) : (
                      <input aria-label={`Role for ${g.displayName}`} placeholder="no role" value={roles[g.id] ?? ''} onChange={(e) => setRoles({ ...roles, [g.id]: e.target.value })} maxLength={100} />
                    )}
                  </td>
                  <td>
                    <input type="checkbox" id={`access-${g.id}`} aria-label={`Access group: ${g.displayName}`} checked={access.includes(g.id)} onChange={(e) => toggleAccess(g.id, e.target.checked)} />
                    <label htmlFor={`access-${g.id}`} className="inline-label">
                      Access group
                    </label>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={shown === g.id}
                      aria-controls={shown === g.id ? 'group-members' : undefined}
                      aria-label={`${g.memberCount} member${g.memberCount === 1 ? '' : 's'} of ${g.displayName}`}
                      onClick={() => setShown(shown === g.id ? undefined : g.id)}
                    >
                      {g.memberCount} member{g.memberCount === 1 ? '' : 's'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {access.length < 2 ? null : (
          <>
            <h3>Access group priority</h3>
            <ol className="priority" ref={priorityList}>
              {access.map((id, index) => (
                <li key={id}>
                  <span>{name(id)}</span>
                  <button type="button" onClick={() => index > 0 && move(id, -1)} aria-disabled={index === 0} data-group={id} data-direction="up" aria-label={`Move ${name(id)} up`}>
                    ↑
                  </button>
                  <button type="button" onClick={() => index < access.length - 1 && move(id, 1)} aria-disabled={index === access.length - 1} data-group={id} data-direction="down" aria-label={`Move ${name(id)} down`}>
                    ↓
                  </button>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      {message === undefined ? null : <Notice kind={message.kind}>{message.text}</Notice>}
      <button type="button" className="primary" onClick={() => void save()} aria-disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      {shownGroup === undefined ? null : <GroupMembers key={shownGroup.id} tenantId={tenantId} group={shownGroup} id="group-members" />}
    </>
  );
}

/** Groups the IdP pushed, what they give their members, and the changes waiting for sync. */
export function GroupsPage({ context, reload }: TenantPageProps) {
  const tenantId = context.tenant.id;
  const { loaded } = useLoad(() => api.groups(tenantId), `groups:${tenantId}:${JSON.stringify(context.settings)}`);
  return (
    <>
      <h1>Groups</h1>
      <PendingChanges tenantId={tenantId} autoSync={context.settings.autoSync} refreshKey={JSON.stringify(context.settings)} onChanged={reload} />
      <Await loaded={loaded}>
        {({ groups }) =>
          groups.length === 0 ? (
            <Notice kind="info">No groups yet. Once your identity provider pushes groups, they appear here, ready to become the admin group, roles or access groups.</Notice>
          ) : (
            <MappingForm tenantId={tenantId} groups={groups} settings={context.settings} onSaved={reload} />
          )
        }
      </Await>
    </>
  );
}
