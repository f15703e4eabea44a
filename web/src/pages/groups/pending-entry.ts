import type { PendingMemberChange } from '../../api/types.js';

const FIELD_LABELS: Record<PendingMemberChange['fields'][number]['field'], string> = {
  status: 'status',
  role: 'role',
  accessGroup: 'access group',
  userName: 'user name',
  email: 'email',
  displayName: 'name',
};

const shown = (value: string | null): string => value ?? 'none';

/** Each thing sync changes for the member, in words: "added to Admins", "role member → admin". */
export function changesOf(entry: PendingMemberChange): string[] {
  const lines: string[] = [];
  if (entry.outcome === 'added') lines.push('becomes a member');
  if (entry.outcome === 'removed') lines.push('is removed (the user was deleted)');
  for (const group of entry.groups) {
    lines.push(group.change === 'added' ? `added to ${group.displayName}` : group.change === 'removed' ? `removed from ${group.displayName}` : `${group.displayName} deleted`);
  }
  for (const field of entry.fields) {
    // A new member's starting values read better without "none →".
    if (entry.outcome === 'added' && field.from === null) lines.push(`${FIELD_LABELS[field.field]} ${shown(field.to)}`);
    else if (entry.outcome !== 'removed') lines.push(`${FIELD_LABELS[field.field]} ${shown(field.from)} → ${shown(field.to)}`);
  }
  if (lines.length === 0) lines.push('no change to the member');
  return lines;
}

/** The member as people know it: its display name with its user name, else the user name. */
export function whoOf(entry: PendingMemberChange): string {
  return entry.displayName === null || entry.displayName === entry.userName ? entry.userName : `${entry.displayName} (${entry.userName})`;
}
