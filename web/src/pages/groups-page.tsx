import { useState } from 'react';
import { api } from '../api/endpoints.js';
import type { GroupMapping, TenantSettings } from '../api/types.js';
import { messageOf } from '../components/errors.js';
import { Await, Notice } from '../components/notice.js';
import { useLoad } from '../components/use-load.js';
import { PendingChanges } from './groups/pending-changes.js';
import type { TenantPageProps } from '../api/tenant-context.js';

/** The mapping form: admin group, roles per group, access groups (in priority order). */
function MappingForm({ tenantId, groups, settings, onSaved }: { tenantId: string; groups: readonly GroupMapping[]; settings: TenantSettings; onSaved: () => void }) {
  const [adminGroupId, setAdminGroupId] = useState(settings.adminGroupId ?? '');
  const [roles, setRoles] = useState<Record<string, string>>({ ...settings.roleMappings });
  const [access, setAccess] = useState<string[]>([...settings.accessGroupIds]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async (): Promise<void> => {
    setBusy(true);
    try {
      const roleMappings = Object.fromEntries(Object.entries(roles).filter(([id, role]) => role.trim() !== '' && id !== adminGroupId).map(([id, role]) => [id, role.trim()]));
      await api.updateSettings(tenantId, { adminGroupId: adminGroupId === '' ? null : adminGroupId, roleMappings, accessGroupIds: access });
      setMessage({ kind: 'success', text: 'Saved. Members\' roles and access groups follow the new mapping.' });
      onSaved();
    } catch (failure) {
      setMessage({ kind: 'error', text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };
  const toggleAccess = (id: string, on: boolean): void => setAccess((current) => (on ? [...current.filter((g) => g !== id), id] : current.filter((g) => g !== id)));
  const move = (id: string, by: -1 | 1): void =>
    setAccess((current) => {
      const at = current.indexOf(id);
      const to = at + by;
      if (at < 0 || to < 0 || to >= current.length) return current;
      const next = [...current];
      [next[at], next[to]] = [next[to] as string, next[at] as string];
      return next;
    });
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
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
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
                    <input type="checkbox" id={`access-${g.id}`} checked={access.includes(g.id)} onChange={(e) => toggleAccess(g.id, e.target.checked)} />
                    <label htmlFor={`access-${g.id}`} className="inline-label">
                      Access group
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {access.length < 2 ? null : (
          <>
            <h3>Access group priority</h3>
            <ol className="priority">
              {access.map((id, index) => (
                <li key={id}>
                  <span>{name(id)}</span>
                  <button type="button" onClick={() => move(id, -1)} disabled={index === 0} aria-label={`Move ${name(id)} up`}>
                    ↑
                  </button>
                  <button type="button" onClick={() => move(id, 1)} disabled={index === access.length - 1} aria-label={`Move ${name(id)} down`}>
                    ↓
                  </button>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      {message === undefined ? null : <Notice kind={message.kind}>{message.text}</Notice>}
      <button type="button" className="primary" onClick={() => void save()} disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
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
      <PendingChanges tenantId={tenantId} autoSync={context.settings.autoSync} onChanged={reload} />
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
