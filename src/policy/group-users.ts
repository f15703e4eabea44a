import type { StoreSession } from '../store/store.js';

/** Members of a group are read this many at a time. */
const PAGE = 5000;

/** The user ids among the direct members of the given groups (nested groups left out), each once. */
export async function usersInGroups(tx: StoreSession, tenantId: string, groupIds: Iterable<string>): Promise<string[]> {
  const ids = new Set<string>();
  for (const groupId of groupIds) {
    for (let after: string | null = null; ; ) {
      const page = await tx.groups.memberships(tenantId, groupId, after, PAGE);
      for (const membership of page) if (membership.type === 'User') ids.add(membership.value);
      if (page.length < PAGE) break;
      after = page.at(-1)?.value ?? null;
    }
  }
  return [...ids];
}
