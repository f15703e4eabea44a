import { jsonEqual, type JsonObject, type JsonValue } from '../scim/json.js';
import type { GroupRecord, NewEvent, TenantRecord, TokenRecord, UserGroupRecord, UserRecord } from '../store/records.js';
import { eventPayload } from '../store/event-envelope.js';
import type { MembershipChange } from './group-memberships.js';

/** A resource as events show it: its attributes as stored (no password: it is never stored) with id and meta. */
function snapshot(record: UserRecord | GroupRecord): JsonObject {
  return { id: record.id, ...record.data, meta: { created: record.created, lastModified: record.lastModified, version: record.version } };
}

/** Top-level attributes whose values differ, sorted: what a consumer checks before doing work. */
function changedAttributes(before: JsonObject, after: JsonObject): JsonValue[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !jsonEqual(before[name], after[name])).sort();
}

/**
 * The events the SCIM services write to the outbox, in the same transaction as the change
 * they describe. Payload shapes are documented in docs/events.md.
 */
export function userEvent(type: string, user: UserRecord, extra: JsonObject = {}): NewEvent {
  return { type, resourceType: 'User', resourceId: user.id, payload: eventPayload(user.tenantId, { user: snapshot(user), ...extra }) };
}

/**
 * The event that describes a change of a user from `before` to `after`: archived when it
 * became inactive, reactivated when it became active, else updated. Each carries both states.
 */
export function userChangeEvent(before: UserRecord, after: UserRecord): NewEvent {
  const extra = { before: snapshot(before), changedAttributes: changedAttributes(before.data, after.data) };
  if (before.active && !after.active) return userEvent('user.archived', after, extra);
  if (!before.active && after.active) return userEvent('user.reactivated', after, extra);
  return userEvent('user.updated', after, extra);
}

export function groupEvent(type: string, group: GroupRecord, extra: JsonObject = {}): NewEvent {
  return { type, resourceType: 'Group', resourceId: group.id, payload: eventPayload(group.tenantId, { group: snapshot(group), ...extra }) };
}

/** group.updated with the group's attributes before and after (members are in member events). */
export function groupChangeEvent(before: GroupRecord, after: GroupRecord): NewEvent {
  return groupEvent('group.updated', after, { before: snapshot(before), changedAttributes: changedAttributes(before.data, after.data) });
}

/**
 * One event per member added or removed. The group is named, not copied: a PUT of a large
 * group writes one event per member, and each stays small.
 */
export function membershipEvents(group: GroupRecord, change: MembershipChange): NewEvent[] {
  const membershipEvent = (type: string, memberId: string): NewEvent => ({
    type,
    resourceType: 'Group',
    resourceId: group.id,
    payload: eventPayload(group.tenantId, { group: { id: group.id, displayName: group.displayName }, memberId }),
  });
  return [...change.removed.map((id) => membershipEvent('group.member_removed', id)), ...change.added.map((id) => membershipEvent('group.member_added', id))];
}

/**
 * `group.member_removed` for each group a deleted user or group was a direct member of, so
 * that a copy following the feed drops those memberships (the deleted group's own members
 * are implied by `group.deleted`: docs/events.md).
 */
export function removedFromGroupsEvents(tenantId: string, memberId: string, groups: readonly UserGroupRecord[]): NewEvent[] {
  return groups.map((group) => ({
    type: 'group.member_removed',
    resourceType: 'Group',
    resourceId: group.value,
    payload: eventPayload(tenantId, { group: { id: group.value, displayName: group.display }, memberId }),
  }));
}

/** token.created and token.revoked: the token's metadata, never its secret. */
export function tokenEvent(type: 'token.created' | 'token.revoked', token: Pick<TokenRecord, 'tenantId' | 'id'> & Partial<TokenRecord>): NewEvent {
  const metadata: JsonObject = { id: token.id };
  if (token.name !== undefined) metadata.name = token.name;
  if (token.expiresAt !== undefined) metadata.expiresAt = token.expiresAt;
  return { type, resourceType: 'Token', resourceId: token.id, payload: eventPayload(token.tenantId, { token: metadata }) };
}

/** tenant.created and tenant.deleted (the tenant's last event: its data is purged after it, this event stays; docs/events.md). */
export function tenantEvent(type: 'tenant.created' | 'tenant.deleted', tenant: TenantRecord): NewEvent {
  return {
    type,
    resourceType: 'Tenant',
    resourceId: tenant.id,
    payload: eventPayload(tenant.id, { tenant: { id: tenant.id, name: tenant.name, externalId: tenant.externalId ?? null } }),
  };
}
