import { ConflictError } from '../scim/errors.js';
import type { JsonObject } from '../scim/json.js';
import type { PendingChangeKind } from '../store/member-store.js';
import type { GroupRecord, UserRecord } from '../store/records.js';
import type { StoreSession } from '../store/store.js';
import { checkCanonicalValues } from './extension-schemas.js';
import { usersInGroups } from './group-users.js';
import { profileOf, sameProfile } from './member-profile.js';
import { queueChanges } from './pending.js';
import type { PolicyContext } from './policy-context.js';
import type { MembershipDelta, PolicyTenant, ProvisioningPolicy, UserWrite } from './provisioning-policy.js';
import { reassign, reconcileUser } from './reconcile.js';
import { decideSeat } from './seats.js';
import { groupAssigns } from './settings.js';
import { wantsActive } from './inactive-attribute.js';
import type { TenantSettings } from './settings-schema.js';

function contextOf(tx: StoreSession, tenant: PolicyTenant): PolicyContext {
  return { tx, tenantId: tenant.id, settings: tenant.settings, at: new Date().toISOString() };
}

/**
 * Whether a write makes a user active that was not (created, restored or reactivated active,
 * or no longer held inactive by the tenant's `inactiveAttribute`).
 */
function asksForSeat(settings: TenantSettings, before: UserRecord | undefined, after: UserRecord): boolean {
  return wantsActive(settings, after) && (before === undefined || !wantsActive(settings, before));
}

function pendingKind(before: UserRecord | undefined, after: UserRecord): PendingChangeKind {
  if (before === undefined) return 'created';
  if (before.deletedAt !== null) return 'restored';
  if (before.active && !after.active) return 'archived';
  if (!before.active && after.active) return 'reactivated';
  return 'updated';
}

/**
 * The seeds' provisioning policies, run by the SCIM services inside each write's transaction
 * (see ProvisioningPolicy): seats, sign-in methods, archiving, admin group, role mappings,
 * access groups, and queueing while automatic sync is off. The settings are the ones the
 * service read inside that transaction.
 */
export class TenantPolicy implements ProvisioningPolicy {
  async beforeUserWrite(tx: StoreSession, tenant: PolicyTenant, before: UserRecord | undefined, after: UserRecord): Promise<UserWrite> {
    const context = contextOf(tx, tenant);
    const { settings } = context;
    checkCanonicalValues(after.data, settings);
    // With sync off the record is the IdP's view; seats are decided when the change is applied.
    if (!settings.autoSync || settings.seatLimit === null || !asksForSeat(settings, before, after)) return { record: after, seat: 'kept' };
    const member = (await tx.members.get(tenant.id, after.id)) ?? (before === undefined ? await tx.members.findUnmanagedByUserName(tenant.id, after.userName) : undefined);
    if (member?.status === 'active') return { record: after, seat: 'kept' };
    const seat = await decideSeat(context);
    if (seat !== 'refused') return { record: after, seat };
    switch (settings.seatPolicy) {
      case 'reject':
        throw new ConflictError(`The seat limit of ${settings.seatLimit} is reached: every seat is taken by an active member, so "${after.userName}" cannot be made active.`);
      case 'createInactive':
        return { record: { ...after, active: false, data: { ...after.data, active: false } }, seat };
    }
  }

  async afterUserWrite(tx: StoreSession, tenant: PolicyTenant, before: UserRecord | undefined, written: UserWrite): Promise<void> {
    const context = contextOf(tx, tenant);
    const { record: after, seat } = written;
    const provisioned = before === undefined || before.deletedAt !== null;
    // A reactivation refused a seat leaves `active` as it was, yet the member becomes inactive.
    const status = provisioned || seat === 'refused' || before.active !== after.active || wantsActive(context.settings, before) !== wantsActive(context.settings, after);
    const profile = provisioned || !sameProfile(profileOf(before), profileOf(after));
    if (!status && !profile) return;
    if (!context.settings.autoSync) {
      await queueChanges(context, [{ userId: after.id, kind: pendingKind(before, after), detail: { userName: after.userName, active: after.active } }]);
      return;
    }
    await reconcileUser(context, after.id, { status, profile, assignment: false }, { seat, user: after, created: before === undefined });
  }

  async afterUserRemove(tx: StoreSession, tenant: PolicyTenant, before: UserRecord, removedForGood: boolean): Promise<void> {
    const context = contextOf(tx, tenant);
    if (!context.settings.autoSync) {
      await queueChanges(context, [{ userId: before.id, kind: 'deleted', detail: { userName: before.userName, archived: !removedForGood } }]);
      return;
    }
    // The user left every group with the delete: its SCIM-given role goes too.
    await reconcileUser(context, before.id, { status: true, profile: false, assignment: true });
  }

  async afterMembershipChange(tx: StoreSession, tenant: PolicyTenant, group: GroupRecord, delta: MembershipDelta): Promise<void> {
    const context = contextOf(tx, tenant);
    if (!groupAssigns(context.settings, group.id)) return;
    // A renamed group gives its members another role under groupsAsRoles.
    const renamed = delta.renamed === true && context.settings.groupsAsRoles ? await usersInGroups(tx, tenant.id, [group.id]) : [];
    const ids = [...new Set([...delta.added, ...delta.removed, ...renamed])];
    if (context.settings.autoSync) {
      await reassign(context, ids);
      return;
    }
    const added = new Set(delta.added);
    const removed = new Set(delta.removed);
    const users = await tx.users.displayNames(tenant.id, ids);
    const changes = ids.filter((id) => users.has(id)).map((id) => ({
      userId: id,
      kind: 'groups' as const,
      detail: { groupId: group.id, group: group.displayName, change: added.has(id) ? 'added' : removed.has(id) ? 'removed' : 'renamed' } satisfies JsonObject,
    }));
    await queueChanges(context, changes);
  }

  async beforeGroupRemove(tx: StoreSession, tenant: PolicyTenant, group: GroupRecord): Promise<void> {
    const context = contextOf(tx, tenant);
    if (!groupAssigns(context.settings, group.id)) return;
    const ids = await usersInGroups(tx, tenant.id, [group.id]);
    if (context.settings.autoSync) await reassign(context, ids, group.id);
    else await queueChanges(context, ids.map((id) => ({ userId: id, kind: 'groups', detail: { groupId: group.id, group: group.displayName, change: 'deleted' } })));
    // The settings keep the deleted group's id (it gives nothing now), so that the roles it gave
    // stay managed by SCIM and queued demotions still apply at sync.
  }
}
