import { useEffect, useState } from 'react';
import type { MemberFilters } from '../../api/endpoints.js';
import type { GroupMapping } from '../../api/types.js';

/** Orders the API offers, as the select names them. */
const SORTS = [
  ['userName', 'User name, A to Z'],
  ['-userName', 'User name, Z to A'],
  ['-createdAt', 'Newest first'],
  ['createdAt', 'Oldest first'],
  ['-updatedAt', 'Recently changed'],
] as const;

/** Search text waits this long after the last key before it is sent (one request per pause, not per key). */
const DEBOUNCE_MS = 300;

/**
 * Search (sent to the server once typing pauses), status, role, group, source and sort. The
 * status "Active and inactive" (the default) leaves archived members out: deprovisioned users,
 * and IdP test users such as JumpCloud's, which stay archived.
 */
export function MemberFilterForm({ filters, roles, groups, onChange }: { filters: MemberFilters; roles: readonly string[]; groups: readonly GroupMapping[]; onChange: (filters: MemberFilters) => void }) {
  const [text, setText] = useState(filters.q ?? '');
  useEffect(() => {
    const q = text.trim();
    if (q === (filters.q ?? '')) return;
    const timer = setTimeout(() => onChange(withValue(filters, 'q', q)), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters, onChange]);
  const select = (key: keyof MemberFilters) => (event: { target: { value: string } }) => onChange(withValue(filters, key, event.target.value));
  return (
    <form role="search" aria-label="Members" className="filter-form" onSubmit={(event) => {
      event.preventDefault();
      onChange(withValue(filters, 'q', text.trim()));
    }}>
      <div>
        <label htmlFor="member-search">Search</label>
        <input id="member-search" type="search" placeholder="Name, user name or email" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
      </div>
      <div>
        <label htmlFor="member-status">Status</label>
        <select id="member-status" value={filters.status ?? ''} onChange={select('status')}>
          <option value="">Active and inactive</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
          <option value="archived">Archived</option>
        </select>
      </div>
      <div>
        <label htmlFor="member-role">Role</label>
        <select id="member-role" value={filters.role ?? ''} onChange={select('role')}>
          <option value="">Any role</option>
          {roles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="member-group">Group</label>
        <select id="member-group" value={filters.group ?? ''} onChange={select('group')}>
          <option value="">Any group</option>
          {groups.map((group) => (
            <option key={group.id} value={group.id}>
              {group.displayName}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="member-source">Source</label>
        <select id="member-source" value={filters.source ?? ''} onChange={select('source')}>
          <option value="">SCIM and by hand</option>
          <option value="scim">SCIM</option>
          <option value="manual">By hand</option>
        </select>
      </div>
      <div>
        <label htmlFor="member-sort">Sort</label>
        <select id="member-sort" value={filters.sort ?? 'userName'} onChange={select('sort')}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

/** The filters with one changed; an empty value removes it. */
function withValue(filters: MemberFilters, key: keyof MemberFilters, value: string): MemberFilters {
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (typeof v === 'string' && k !== key) next[k] = v;
  if (value !== '') next[key] = value;
  return next;
}
