import type { TenantMemberRecord } from '../store/member-store.js';
import type { NewEvent, UserRecord } from '../store/records.js';
import type { StoreSession } from '../store/store.js';
import { applyAssignment, assignmentOf } from './assignments.js';
import { roleChangedEvent, seatLimitReachedEvent, type ChangedBy } from './member-events.js';
import { profileOf, randomSecretHash, signInMethodFor } from './member-profile.js';
import type { TenantSettings } from './settings.js';

/**
 * Members follow their SCIM users. Reconciling a member makes it what the user's current
 * SCIM state (record, memberships) and the tenant's settings say, inside the caller's
 * transaction, with its events. With automatic sync on this runs in each SCIM write; with it
 * off, sync runs it for each queued user in order.
 */

/** Where a reconciliation happens: one tenant, one transaction, one instant. */
export interface PolicyContext {
  readonly tx: StoreSession;
  readonly tenantId: string;
  readonly settings: TenantSettings;
  readonly at: string;
}

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
 * Whether a member may take a seat; appends `seat.limit_reached` when the seats are all
 * taken (after this one takes the last, or when there is none for it). The tenant stays
 * locked until the transaction ends, so that two writes cannot take the same last seat.
 */
export async function takeSeat(context: PolicyContext, userId: string): Promise<boolean> {
  const limit = context.settings.seatLimit;
  if (limit === null) return true;
  await context.tx.members.lockTenant(context.tenantId);
  const used = await context.tx.members.countActive(context.tenantId);
  if (used < limit) {
    if (used + 1 === limit) await append(context, [seatLimitReachedEvent(context.tenantId, limit, userId, 'filled')]);
    return true;
  }
  await append(context, [seatLimitReachedEvent(context.tenantId, limit, userId, 'inactive')]);
  return false;
}

/**
 * The status a user's record asks for. A deactivated or deleted user is archived; a member
 * refused a seat (`seatless`, or inactive already) stays inactive until it gets one.
 */
async function withStatus(context: PolicyContext, member: TenantMemberRecord, user: UserRecord, seatless: boolean): Promise<TenantMemberRecord> {
  if (user.deletedAt !== null) return { ...member, status: 'archived' };
  if (!user.active) {
    if (seatless && context.settings.seatLimit !== null) await append(context, [seatLimitReachedEvent(context.tenantId, context.settings.seatLimit, user.id, 'inactive')]);
    return { ...member, status: seatless || member.status === 'inactive' ? 'inactive' : 'archived' };
  }
  if (member.status === 'active') return member;
  return { ...member, status: (await takeSeat(context, user.id)) ? 'active' : 'inactive' };
}

async function groupIdsOf(context: PolicyContext, userIds: readonly string[], excludeGroupId?: string): Promise<Map<string, Set<string>>> {
  const byUser = new Map<string, Set<string>>(userIds.map((id) => [id, new Set<string>()]));
  for (const group of await context.tx.users.groupsOf(context.tenantId, userIds)) {
    if (group.value !== excludeGroupId) byUser.get(group.userId)?.add(group.value);
  }
  return byUser;
}

function changed(a: TenantMemberRecord, b: TenantMemberRecord): boolean {
  const keys = Object.keys(a) as (keyof TenantMemberRecord)[];
  return keys.some((key) => key !== 'updatedAt' && a[key] !== b[key]);
}

/** Writes a member that changed, with `member.role_changed` when its role or access group did. */
export async function saveMember(context: PolicyContext, before: TenantMemberRecord, after: TenantMemberRecord, by: ChangedBy = 'scim'): Promise<TenantMemberRecord> {
  if (!changed(before, after)) return before;
  const saved = { ...after, updatedAt: context.at };
  await context.tx.members.update(saved);
  if (before.role !== saved.role || before.accessGroupId !== saved.accessGroupId) await append(context, [roleChangedEvent(before, saved, by)]);
  return saved;
}

/** What the caller of reconcileUser knows already. */
export interface ReconcileHints {
  /** The write just made the user inactive for want of a seat (seatPolicy createInactive). */
  readonly seatless?: boolean;
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
    ? { tenantId, userId: user.id, ...profileOf(user), status: 'archived', role: 'member', roleManaged: false, accessGroupId: null, signInMethod: method, confirmed: true, scimManaged: true, creator: false, createdAt: at, updatedAt: at }
    : { ...linked, userId: user.id, ...profileOf(user), confirmed: true, scimManaged: true };
  const withState = await withStatus(context, base, user, hints.seatless === true);
  // A restored user, or one queued while sync was off, may be in groups already.
  const groups = hints.created === true ? new Set<string>() : ((await groupIdsOf(context, [user.id])).get(user.id) ?? new Set<string>());
  const member = applyAssignment(withState, assignmentOf(settings, groups), settings);
  if (linked === undefined) {
    // Seed 000: provisioned users are confirmed at once; a password is random and unknown.
    await tx.members.insert(member, randomSecretHash(method));
    if (member.role !== 'member' || member.accessGroupId !== null) await append(context, [roleChangedEvent(base, member, 'scim')]);
  } else {
    await saveMember(context, { ...linked, userId: user.id }, member);
  }
}

/**
 * Brings one user's member up to date: created (or linked) when missing, removed when the
 * user is gone for good, else the parts `scope` names.
 */
export async function reconcileUser(context: PolicyContext, userId: string, scope: ReconcileScope, hints: ReconcileHints = {}): Promise<void> {
  const { tx, tenantId, settings } = context;
  const user = hints.user ?? (await tx.users.get(tenantId, userId));
  const member = await tx.members.get(tenantId, userId);
  if (user === undefined) {
    if (member !== undefined) await tx.members.remove(tenantId, userId);
    return;
  }
  if (member === undefined) {
    await provision(context, user, hints);
    return;
  }
  let next = member;
  if (scope.profile) next = { ...next, ...profileOf(user) };
  if (scope.status) next = await withStatus(context, next, user, hints.seatless === true);
  if (scope.assignment) next = applyAssignment(next, assignmentOf(settings, (await groupIdsOf(context, [userId])).get(userId) ?? new Set()), settings);
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
    const groups = await groupIdsOf(context, [...members.keys()], excludeGroupId);
    for (const member of members.values()) {
      const next = applyAssignment(member, assignmentOf(context.settings, groups.get(member.userId) ?? new Set()), context.settings);
      await saveMember(context, member, next);
    }
  }
}
