import type { SyncedMember } from '../policy/pending.js';
import type { PendingChangeRecord, TenantMemberRecord } from '../store/member-store.js';
import type { StoreSession } from '../store/store.js';

/**
 * What sync does to one member, in words an admin can check (seed 003): which groups the
 * IdP added it to or removed it from, and each field of the member that changes, from → to.
 */

export type ChangedField = 'status' | 'role' | 'accessGroup' | 'userName' | 'email' | 'displayName';

export interface FieldChange {
  readonly field: ChangedField;
  /** The value before; null when the member does not exist yet or the value is empty. */
  readonly from: string | null;
  readonly to: string | null;
}

export interface GroupChange {
  readonly groupId: string;
  readonly displayName: string;
  readonly change: 'added' | 'removed' | 'deleted';
}

export interface PendingMemberChange {
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string | null;
  /** added: sync creates the member; removed: sync deletes it (the user is gone for good). */
  readonly outcome: 'added' | 'updated' | 'removed' | 'unchanged';
  readonly fields: readonly FieldChange[];
  /** The IdP's group changes behind the member's new role or access group, last change per group. */
  readonly groups: readonly GroupChange[];
  /** The queued changes this entry stands for. */
  readonly queued: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

function outcomeOf(before: TenantMemberRecord | undefined, after: TenantMemberRecord | undefined, fields: readonly FieldChange[]): PendingMemberChange['outcome'] {
  if (before === undefined) return after === undefined ? 'unchanged' : 'added';
  if (after === undefined) return 'removed';
  return fields.length === 0 ? 'unchanged' : 'updated';
}

function groupChanges(queued: readonly PendingChangeRecord[]): GroupChange[] {
  const last = new Map<string, GroupChange>();
  for (const { kind, detail } of queued) {
    if (kind !== 'groups' || typeof detail.groupId !== 'string') continue;
    const change = detail.change === 'added' || detail.change === 'removed' || detail.change === 'deleted' ? detail.change : 'removed';
    last.set(detail.groupId, { groupId: detail.groupId, displayName: typeof detail.group === 'string' ? detail.group : detail.groupId, change });
  }
  return [...last.values()];
}

/** Describes synced members: reads names in `tx` (the sync's own transaction, so deleted groups are gone already). */
export async function describeSynced(tx: StoreSession, tenantId: string, synced: readonly SyncedMember[], queuedOf: (userId: string) => readonly PendingChangeRecord[]): Promise<PendingMemberChange[]> {
  const groupNames = new Map<string, string>();
  const nameOf = async (groupId: string | null | undefined, queued: readonly GroupChange[]): Promise<string | null> => {
    if (groupId === null || groupId === undefined) return null;
    if (!groupNames.has(groupId)) {
      const group = await tx.groups.get(tenantId, groupId);
      groupNames.set(groupId, group?.displayName ?? queued.find((g) => g.groupId === groupId)?.displayName ?? groupId);
    }
    return groupNames.get(groupId) ?? groupId;
  };
  const entries: PendingMemberChange[] = [];
  for (const { userId, firstSeq, before, after } of synced) {
    const queued = queuedOf(userId);
    const groups = groupChanges(queued);
    const fields: FieldChange[] = [];
    const compare = (field: ChangedField, from: string | null, to: string | null): void => {
      if (from !== to) fields.push({ field, from, to });
    };
    compare('status', before?.status ?? null, after?.status ?? null);
    compare('role', before?.role ?? null, after?.role ?? null);
    compare('accessGroup', await nameOf(before?.accessGroupId, groups), await nameOf(after?.accessGroupId, groups));
    if (before !== undefined && after !== undefined) {
      compare('userName', before.userName, after.userName);
      compare('email', before.email, after.email);
      compare('displayName', before.displayName, after.displayName);
    }
    const named = after ?? before;
    const queuedName = queued.map((change) => change.detail.userName).find((name): name is string => typeof name === 'string');
    entries.push({
      userId,
      userName: named?.userName ?? queuedName ?? userId,
      displayName: named?.displayName ?? null,
      outcome: outcomeOf(before, after, fields),
      fields,
      groups,
      queued: queued.length,
      firstSeq,
      lastSeq: queued.at(-1)?.seq ?? firstSeq,
    });
  }
  return entries;
}
