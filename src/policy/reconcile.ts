import type { TenantMemberRecord } from '../store/member-store.js';
import type { NewEvent, UserRecord } from '../store/records.js';
import { applyAssignment, assignmentOf, type GroupOfUser } from './assignments.js';
import { heldInactive } from './inactive-attribute.js';
import { memberDeletedEvent, memberLinkedEvent, memberProvisionedEvent, memberStatusEvent, roleChangedEvent, type ChangedBy } from './member-events.js';
import { profileOf, randomSecretHash, signInMethodFor } from './member-profile.js';
import type { PolicyContext } from './policy-context.js';
import { decideSeat, recordSeat, type SeatOutcome } from './seats.js';

/**
 * Members follow their SCIM users. Reconciling a member makes it what the user's current
 * SCIM state (record, memberships) and the tenant's settings say, inside the caller's
 * transaction, with its events. With automatic sync on this runs in each SCIM write; with it
 * off, sync runs it for each queued user in order.
 */

/** Which parts of a member to bring up to date. */
export interface ReconcileScope {
  readonly status: boolean;
  readonly profile: boolean;
  /** Role and access group, from the user's groups. */
  readonly assignment: boolean;
}

export const FULL_SCOPE: ReconcileScope = { status: true, profile: true, assignment: true };

/** Members are reassigned this many at a time. */
const BATCH = 500;

async function append(context: PolicyContext, events: readonly NewEvent[]): Promise<void> {
  await context.tx.events.append(context.tenantId, events, context.at);
}

/**
 * The status a user's record asks for. A deactivated or deleted user is archived; a member
 * refused a seat (by this write, or inactive already), or held inactive by the tenant's
 * `inactiveAttribute`, stays inactive until it gets one. A member becoming active takes the
 * seat the write decided, or else one decided now.
 */
async function withStatus(context: PolicyContext, member: TenantMemberRecord, user: UserRecord, seat: SeatOutcome): Promise<TenantMemberRecord> {
  if (user.deletedAt !== null) return { ...member, status: 'archived' };
  if (!user.active) {
    if (seat === 'refused') {
      await recordSeat(context, user.id, seat);
      return { ...member, status: 'inactive' };
    }
    return { ...member, status: member.status === 'inactive' ? 'inactive' : 'archived' };
  }
  if (heldInactive(context.settings, user)) return { ...member, status: 'inactive' };
  if (member.status === 'active') return member;
  const decision = seat === 'kept' ? await decideSeat(context) : seat;
  await recordSeat(context, user.id, decision);
  return { ...member, status: decision === 'refused' ? 'inactive' : 'active' };
}

async function groupsOf(context: PolicyContext, userIds: readonly string[], excludeGroupId?: string): Promise<Map<string, GroupOfUser[]>> {
  const byUser = new Map<string, GroupOfUser[]>(userIds.map((id) => [id, []]));
  for (const group of await context.tx.users.groupsOf(context.tenantId, userIds)) {
    if (group.value !== excludeGroupId) byUser.get(group.userId)?.push({ id: group.value, displayName: group.display });
  }
  return byUser;
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role, index) => role === b[index]);
}

function changed(a: TenantMemberRecord, b: TenantMemberRecord): boolean {
  const keys = Object.keys(a) as (keyof TenantMemberRecord)[];
  return keys.some((key) => key !== 'updatedAt' && key !== 'roles' && a[key] !== b[key]) || !sameRoles(a.roles, b.roles);
}

/**
 * Writes a member that changed, with `member.status_changed` when its status did and
 * `member.role_changed` when its role, access group or SCIM management of the role did: the
 * one place members change after they are made, so each change has its event whoever made it.
 */
export async function saveMember(context: PolicyContext, before: TenantMemberRecord, after: TenantMemberRecord, by: ChangedBy = 'scim'): Promise<TenantMemberRecord> {
  if (!changed(before, after)) return before;
  const saved = { ...after, updatedAt: context.at };
  await context.tx.members.update(saved, before.roles);
  const events: NewEvent[] = [];
  if (before.status !== saved.status) events.push(memberStatusEvent(saved, before.status));
  if (before.role !== saved.role || !sameRoles(before.roles, saved.roles) || before.accessGroupId !== saved.accessGroupId || before.roleManaged !== saved.roleManaged) events.push(roleChangedEvent(before, saved, by));
  if (events.length > 0) await append(context, events);
  return saved;
}

/** What the caller of reconcileUser knows already. */
export interface ReconcileHints {
  /** What the write decided about a seat (default `kept`: decide one when needed). */
  readonly seat?: SeatOutcome;
  /** The user as the write stored it (saves reading it again). */
  readonly user?: UserRecord;
  /** The user was created by this write, so it is in no group yet. */
  readonly created?: boolean;
}

/** A member for a user that has none: the hand-made member with its userName, linked, or a new one. */
async function provision(context: PolicyContext, user: UserRecord, hints: ReconcileHints): Promise<void> {
  const { tx, tenantId, settings, at } = context;
  const linked = await tx.members.findUnmanagedByUserName(tenantId, user.userName);
  if (linked !== undefined) await tx.members.rekey(tenantId, linked.userId, user.id);
  const method = signInMethodFor(settings.ssoPolicy);
  const base: TenantMemberRecord = linked === undefined
    ? { tenantId, userId: user.id, ...profileOf(user), status: 'archived', role: 'member', roles: ['member'], handRole: null, roleManaged: false, accessGroupId: null, signInMethod: method, confirmed: true, scimManaged: true, formerlyScimManaged: false, creator: false, createdAt: at, updatedAt: at }
    : { ...linked, userId: user.id, ...profileOf(user), confirmed: true, scimManaged: true, formerlyScimManaged: false };
  const withState = await withStatus(context, base, user, hints.seat ?? 'kept');
  // A restored user, or one queued while sync was off, may be in groups already.
  const groups = hints.created === true ? [] : ((await groupsOf(context, [user.id])).get(user.id) ?? []);
  const member = applyAssignment(withState, assignmentOf(settings, groups), settings);
  if (linked === undefined) {
    // Seed 000: provisioned users are confirmed at once; a password is random and unknown.
    await tx.members.insert(member, randomSecretHash(method));
    await append(context, [memberProvisionedEvent(member), ...(member.role !== 'member' || member.roles.length > 1 || member.accessGroupId !== null ? [roleChangedEvent(base, member, 'scim')] : [])]);
  } else {
    const relinked = { ...linked, userId: user.id };
    await append(context, [memberLinkedEvent(relinked, linked.userId)]);
    await saveMember(context, relinked, member);
  }
}

/**
 * Brings one user's member up to date: created (or linked) when missing, removed when the
 * user is gone for good, else the parts `scope` names.
 */
export async function reconcileUser(context: PolicyContext, userId: string, scope: ReconcileScope, hints: ReconcileHints = {}): Promise<void> {
  const { tx, tenantId, settings } = context;
  const user = hints.user ?? (await tx.users.get(tenantId, userId));
  // A user created by this write has a new id: no member has it yet.
  const member = hints.created === true ? undefined : await tx.members.get(tenantId, userId);
  if (user === undefined) {
    if (member !== undefined) {
      await tx.members.remove(tenantId, userId);
      await append(context, [memberDeletedEvent(member)]);
    }
    return;
  }
  if (member === undefined) {
    await provision(context, user, hints);
    return;
  }
  let next = member;
  if (scope.profile) next = { ...next, ...profileOf(user) };
  if (scope.status) next = await withStatus(context, next, user, hints.seat ?? 'kept');
  if (scope.assignment) next = applyAssignment(next, assignmentOf(settings, (await groupsOf(context, [userId])).get(userId) ?? []), settings);
  await saveMember(context, member, next);
}

/**
 * Recomputes the role and access group of the members among `userIds` from their groups,
 * a batch at a time; ids that are not members (nested groups) are skipped. `excludeGroupId`
 * is a group about to be deleted.
 */
export async function reassign(context: PolicyContext, userIds: readonly string[], excludeGroupId?: string): Promise<void> {
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += BATCH) {
    const members = await context.tx.members.getMany(context.tenantId, ids.slice(i, i + BATCH));
    const groups = await groupsOf(context, [...members.keys()], excludeGroupId);
    for (const member of members.values()) {
      const next = applyAssignment(member, assignmentOf(context.settings, groups.get(member.userId) ?? []), context.settings);
      await saveMember(context, member, next);
    }
  }
}
