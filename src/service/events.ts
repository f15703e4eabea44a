import type { JsonObject } from '../scim/json.js';
import type { GroupRecord, MemberName, NewEvent, TenantRecord, TokenRecord, UserGroupRecord } from '../store/records.js';
import { eventPayload } from '../store/event-envelope.js';
import type { MembershipChange } from './group-memberships.js';

/** What a membership event says of its member: its id, its type, and its userName (users) or displayName (groups). */
function memberFields(memberId: string, name: MemberName | undefined): JsonObject {
  if (name === undefined) return { memberId };
  return { memberId, memberType: name.type, ...(name.type === 'User' ? { userName: name.name } : { displayName: name.name }) };
}

/**
 * One event per member added or removed. The group is named, not copied: a PUT of a large
 * group writes one event per member, and each stays small. `names` holds the members' types
 * and names, read in the same transaction.
 */
export function membershipEvents(group: GroupRecord, change: MembershipChange, names: ReadonlyMap<string, MemberName>): NewEvent[] {
  const membershipEvent = (type: string, memberId: string): NewEvent => ({
    type,
    resourceType: 'Group',
    resourceId: group.id,
    payload: eventPayload(group.tenantId, { group: { id: group.id, displayName: group.displayName }, ...memberFields(memberId, names.get(memberId)) }),
  });
  return [...change.removed.map((id) => membershipEvent('group.member_removed', id)), ...change.added.map((id) => membershipEvent('group.member_added', id))];
}

/**
 * `group.member_removed` for each group a deleted user or group was a direct member of, so
 * that a copy following the feed drops those memberships (the deleted group's own members
 * are implied by `group.deleted`: docs/events.md). A user removed for good (`erased`) is
 * named by id alone from the start, as its erasure would leave it.
 */
export function removedFromGroupsEvents(tenantId: string, member: MemberName & { readonly id: string }, groups: readonly UserGroupRecord[], erased = false): NewEvent[] {
  const fields = erased ? { memberId: member.id, memberType: member.type, erased: true } : memberFields(member.id, member);
  return groups.map((group) => ({
    type: 'group.member_removed',
    resourceType: 'Group',
    resourceId: group.value,
    payload: eventPayload(tenantId, { group: { id: group.value, displayName: group.display }, ...fields }),
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
