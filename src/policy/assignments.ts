import type { TenantMemberRecord } from '../store/member-store.js';
import type { TenantSettings } from './settings-schema.js';
import { roleOfGroup, rolesMapped } from './settings.js';

/** A direct group of a user: its id and displayName (the role it gives under `groupsAsRoles`). */
export interface GroupOfUser {
  readonly id: string;
  readonly displayName: string;
}

/** What a member's SCIM groups give it. */
export interface Assignment {
  /** The roles its groups give, each once, unranked; empty when none of its groups gives one. */
  readonly roles: readonly string[];
  /** Its access group: the first of the tenant's access groups (in priority order) it is in. */
  readonly accessGroupId: string | null;
}

/**
 * The role one group gives: the admin group gives `admin`, a mapped group its mapping, and
 * with `groupsAsRoles` any other group a role named as the group (seed 002). With
 * `adminGroupOnly` (seed 000) only the admin group gives `admin`.
 */
export function roleOfGroupNamed(settings: TenantSettings, group: GroupOfUser): string | undefined {
  const role = roleOfGroup(settings, group.id) ?? (settings.groupsAsRoles ? group.displayName : undefined);
  if (role === 'admin' && settings.adminGroupOnly && settings.adminGroupId !== group.id) return undefined;
  return role;
}

const THE_BASE_ROLE = 'member';

/**
 * Ranks roles, each once: `admin` first, then the tenant's `roleOrder`, then the rest in
 * code-point order. `member` is what a member holds when it holds nothing else, so it is
 * left out beside any other role; with no role at all the list is `["member"]`.
 */
export function rankRoles(roles: Iterable<string>, settings: TenantSettings): string[] {
  const unique = [...new Set(roles)].filter((role) => role !== THE_BASE_ROLE);
  if (unique.length === 0) return [THE_BASE_ROLE];
  const rank = (role: string): number => {
    if (role === 'admin') return -1;
    const index = settings.roleOrder.indexOf(role);
    return index === -1 ? settings.roleOrder.length : index;
  };
  return unique.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The roles and access group of a user in `groups` (direct memberships). Deterministic
 * whatever the order of the groups; the access group is the first of `accessGroupIds` the user
 * is in, so the order of that setting is the priority (seed 003: at most one access group).
 */
export function assignmentOf(settings: TenantSettings, groups: readonly GroupOfUser[]): Assignment {
  const roles = new Set(groups.flatMap((group) => roleOfGroupNamed(settings, group) ?? []));
  const ids = new Set(groups.map((group) => group.id));
  return { roles: [...roles], accessGroupId: settings.accessGroupIds.find((id) => ids.has(id)) ?? null };
}

/** A member holding `roles` (ranked), `role` being the first. */
export function withRoles(member: TenantMemberRecord, roles: Iterable<string>, settings: TenantSettings): TenantMemberRecord {
  const ranked = rankRoles(roles, settings);
  return { ...member, roles: ranked, role: ranked[0] ?? THE_BASE_ROLE };
}

/**
 * A member with its assignment applied. While any group gives a role, the member holds every
 * role its groups give plus the one set by hand, and a member with a role from a group is
 * marked managed by SCIM; one whose groups give nothing any more keeps its hand-set role (or
 * becomes `member`), still managed (seed 000). With `adminGroupOnly` a hand-set `admin` is
 * dropped. With no group giving roles at all, roles stay as they are and become hand-editable.
 */
export function applyAssignment(member: TenantMemberRecord, assignment: Assignment, settings: TenantSettings): TenantMemberRecord {
  if (!rolesMapped(settings)) return { ...member, roleManaged: false, accessGroupId: assignment.accessGroupId };
  const handRole = settings.adminGroupOnly && member.handRole === 'admin' ? null : member.handRole;
  const roleManaged = assignment.roles.length > 0 || member.roleManaged;
  const roles = [...assignment.roles, ...(handRole === null ? [] : [handRole])];
  return { ...withRoles(member, roles, settings), handRole, roleManaged, accessGroupId: assignment.accessGroupId };
}

/**
 * A member whose SCIM groups are gone (SCIM disabled): it keeps its hand-set role, or the role
 * it had when SCIM did not set it, else `member`; every role becomes hand-editable.
 */
export function releaseAssignment(member: TenantMemberRecord, settings: TenantSettings): TenantMemberRecord {
  const handRole = member.handRole ?? (member.roleManaged ? THE_BASE_ROLE : member.role);
  return { ...withRoles(member, [handRole], settings), handRole, roleManaged: false, accessGroupId: null };
}
