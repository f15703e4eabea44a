import type { JsonObject } from '../scim/json.js';
import type { GroupRecord, NewEvent, UserRecord } from '../store/records.js';
import type { MembershipChange } from './group-members.js';

/**
 * The events the SCIM services write to the outbox, in the same transaction as the change
 * they describe. Payload shapes are documented in docs/events.md.
 */
export function userEvent(type: string, user: UserRecord, extra: JsonObject = {}): NewEvent {
  return { type, resourceType: 'User', resourceId: user.id, payload: { userName: user.userName, active: user.active, ...extra } };
}

/** The event that describes a change of a user from `before` to `after`. */
export function userChangeEvent(before: UserRecord, after: UserRecord): NewEvent {
  if (before.active && !after.active) return userEvent('user.archived', after);
  if (!before.active && after.active) return userEvent('user.reactivated', after);
  return userEvent('user.updated', after);
}

export function groupEvent(type: string, group: GroupRecord, extra: JsonObject = {}): NewEvent {
  return { type, resourceType: 'Group', resourceId: group.id, payload: { displayName: group.displayName, ...extra } };
}

/** One event per member added or removed. */
export function membershipEvents(group: GroupRecord, change: MembershipChange): NewEvent[] {
  return [
    ...change.removed.map((memberId) => groupEvent('group.member_removed', group, { memberId })),
    ...change.added.map((memberId) => groupEvent('group.member_added', group, { memberId })),
  ];
}
