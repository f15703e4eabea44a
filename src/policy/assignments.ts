import type { TenantMemberRecord } from '../store/member-store.js';
import type { TenantSettings } from './settings-schema.js';
import { roleOfGroup, rolesMapped } from './settings.js';

/** What a member's SCIM groups give it. */
export interface Assignment {
  /** The role its groups give; undefined when none of its groups is mapped to a role. */
  readonly role: string | undefined;
  /** Its access group: the first of the tenant's access groups (in priority order) it is in. */
  readonly accessGroupId: string | null;
}

/**
 * The role and access group of a user in `groupIds` (direct memberships). Deterministic
 * whatever the order of the groups: `admin` wins over every other role, and among other roles
 * the alphabetically first wins; the access group is the first of `accessGroupIds` the user
 * is in, so the order of that setting is the priority (seed 003: at most one access group).
 */
export function assignmentOf(settings: TenantSettings, groupIds: ReadonlySet<string>): Assignment {
  const roles = [...groupIds].flatMap((id) => roleOfGroup(settings, id) ?? []).sort();
  const role = roles.includes('admin') ? 'admin' : roles[0];
  return { role, accessGroupId: settings.accessGroupIds.find((id) => groupIds.has(id)) ?? null };
}

/**
 * A member with its assignment applied. While any group gives a role, a role from a group is
 * marked managed by SCIM, and a member whose SCIM-given role no group gives any more is
 * demoted to `member` (seed 000), still managed. A role set by hand is left alone until a
 * group gives one. With no role mapped at all, roles stay as they are and become hand-editable.
 */
export function applyAssignment(member: TenantMemberRecord, assignment: Assignment, settings: TenantSettings): TenantMemberRecord {
  let { role, roleManaged } = member;
  if (!rolesMapped(settings)) roleManaged = false;
  else if (assignment.role !== undefined) [role, roleManaged] = [assignment.role, true];
  else if (roleManaged) role = 'member';
  return { ...member, role, roleManaged, accessGroupId: assignment.accessGroupId };
}
