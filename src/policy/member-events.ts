import type { JsonObject } from '../scim/json.js';
import type { TenantMemberRecord } from '../store/member-store.js';
import type { NewEvent } from '../store/records.js';
import { eventPayload } from '../store/event-envelope.js';

/**
 * The events of the provisioning policies, appended in the same transaction as the change
 * they describe (payloads in docs/policies.md).
 */

/** Who changed a member: SCIM through a group, a person through the management API, or Roster itself (disabling SCIM). */
export type ChangedBy = 'scim' | 'hand' | 'system';

/** A member's roles (and so perhaps its role, the first of them) or access group changed. */
export function roleChangedEvent(before: TenantMemberRecord, after: TenantMemberRecord, by: ChangedBy): NewEvent {
  return {
    type: 'member.role_changed',
    resourceType: 'User',
    resourceId: after.userId,
    payload: eventPayload(after.tenantId, {
      userName: after.userName,
      role: after.role,
      previousRole: before.role,
      roles: [...after.roles],
      previousRoles: [...before.roles],
      accessGroupId: after.accessGroupId,
      previousAccessGroupId: before.accessGroupId,
      managedByScim: after.roleManaged,
      by,
    }),
  };
}

/**
 * The seats are all taken: `filled` when this write took the last seat, `inactive` when it left
 * a member inactive for want of one. (A rejected write leaves no event: it rolls back.)
 */
export function seatLimitReachedEvent(tenantId: string, seatLimit: number, userId: string, outcome: 'filled' | 'inactive'): NewEvent {
  return { type: 'seat.limit_reached', resourceType: 'Tenant', resourceId: tenantId, payload: eventPayload(tenantId, { seatLimit, userId, outcome }) };
}

export function scimEnabledEvent(tenantId: string): NewEvent {
  return { type: 'scim.enabled', resourceType: 'Tenant', resourceId: tenantId, payload: eventPayload(tenantId, {}) };
}

/** SCIM was disabled, or its setup deleted (`setupDeleted`), with what it removed. */
export function scimDisabledEvent(tenantId: string, summary: JsonObject): NewEvent {
  return { type: 'scim.disabled', resourceType: 'Tenant', resourceId: tenantId, payload: eventPayload(tenantId, summary) };
}

/** A member's status changed, whoever changed it (a SCIM write, sync, seats, a person). */
export function memberStatusEvent(member: TenantMemberRecord, previous: string): NewEvent {
  return { type: 'member.status_changed', resourceType: 'User', resourceId: member.userId, payload: eventPayload(member.tenantId, { userName: member.userName, status: member.status, previousStatus: previous }) };
}

/**
 * A hand-made member was linked to the SCIM user with its userName: it goes on under the
 * user's id (`resource.id`), provisioned by SCIM from now on.
 */
export function memberLinkedEvent(member: TenantMemberRecord, previousId: string): NewEvent {
  return { type: 'member.linked', resourceType: 'User', resourceId: member.userId, payload: eventPayload(member.tenantId, { userName: member.userName, previousId }) };
}

/** The SCIM setup was deleted: the member stays, made by hand from now on, without its SCIM user. */
export function memberUnlinkedEvent(member: TenantMemberRecord): NewEvent {
  return { type: 'member.unlinked', resourceType: 'User', resourceId: member.userId, payload: eventPayload(member.tenantId, { userName: member.userName }) };
}

/**
 * A member was made for a SCIM user (with its `user.created` or `user.restored`, or when sync
 * applies it while automatic sync is off): the member as made.
 */
export function memberProvisionedEvent(member: TenantMemberRecord): NewEvent {
  return {
    type: 'member.provisioned',
    resourceType: 'User',
    resourceId: member.userId,
    payload: eventPayload(member.tenantId, { userName: member.userName, status: member.status, role: member.role, roles: [...member.roles], accessGroupId: member.accessGroupId, managedByScim: member.roleManaged }),
  };
}

/** A member went with its SCIM user, removed for good (deletePolicy hard). */
export function memberDeletedEvent(member: TenantMemberRecord): NewEvent {
  return { type: 'member.deleted', resourceType: 'User', resourceId: member.userId, payload: eventPayload(member.tenantId, { userName: member.userName }) };
}

/** A member made by hand through the management API (SCIM-provisioned members come with user.created). */
export function memberCreatedEvent(member: TenantMemberRecord): NewEvent {
  return { type: 'member.created', resourceType: 'User', resourceId: member.userId, payload: eventPayload(member.tenantId, { userName: member.userName, role: member.role, roles: [...member.roles], status: member.status, creator: member.creator }) };
}

/** An admin discarded one member's queued changes unapplied (automatic sync off). */
export function pendingDiscardedEvent(tenantId: string, userId: string, userName: string | null, changes: number): NewEvent {
  return { type: 'pending.discarded', resourceType: 'User', resourceId: userId, payload: eventPayload(tenantId, { userName, changes }) };
}
