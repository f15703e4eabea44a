import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { GroupMapping, GroupMember } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Notice } from '../../components/notice.js';

/**
 * A group's direct members, users and nested groups, read a page at a time from
 * GET /groups/{groupId}/members (each page costs the same, whatever the group's size).
 */
export function GroupMembers({ tenantId, group, id }: { tenantId: string; group: GroupMapping; id: string }) {
  const [members, setMembers] = useState<readonly GroupMember[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'more'>('loading');
  const [error, setError] = useState<string>();
  const list = useRef<HTMLTableSectionElement>(null);
  // The row "Load more" added first, to take the focus.
  const [focusIndex, setFocusIndex] = useState<number>();
  useEffect(() => {
    let current = true;
    setState('loading');
    api.groupMembers(tenantId, group.id).then(
      (page) => {
        if (!current) return;
        setMembers(page.members);
        setNext(page.next);
        setState('ready');
      },
      (failure: unknown) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [tenantId, group.id]);
  useEffect(() => {
    if (focusIndex === undefined) return;
    list.current?.querySelectorAll<HTMLElement>('tr')[focusIndex]?.focus();
    setFocusIndex(undefined);
  }, [focusIndex, members]);

  const more = async (): Promise<void> => {
    if (next === null || state !== 'ready') return;
    setState('more');
    try {
      const page = await api.groupMembers(tenantId, group.id, next);
      setFocusIndex(members.length);
      setMembers([...members, ...page.members]);
      setNext(page.next);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setState('ready');
    }
  };

  return (
    <section className="card group-members" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Members of {group.displayName}</h2>
      <p className="help">
        {group.memberCount} direct member{group.memberCount === 1 ? '' : 's'}: users, and groups nested in it.
      </p>
      {error !== undefined ? <Notice kind="error">{error}</Notice> : null}
      {state === 'loading' && error === undefined ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : members.length === 0 ? (
        error === undefined ? <p className="muted">This group has no members.</p> : null
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">ID</th>
              </tr>
            </thead>
            <tbody ref={list}>
              {members.map((member) => (
                // tabIndex -1: "Load more" moves the focus to the first new row.
                <tr key={member.id} tabIndex={-1} data-member-id={member.id}>
                  <td>{member.display ?? <span className="muted">—</span>}</td>
                  <td>{member.type === 'User' ? 'User' : 'Group'}</td>
                  <td className="mono small">{member.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next === null || state === 'loading' ? null : (
        <div className="pager">
          <button type="button" aria-disabled={state === 'more'} onClick={() => void more()}>
            {state === 'more' ? 'Loading…' : 'Load more members'}
          </button>
        </div>
      )}
    </section>
  );
}
