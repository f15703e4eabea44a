import { jsonEqual, type JsonObject, type JsonValue } from '../scim/json.js';
import type { GroupRecord, NewEvent, UserRecord } from '../store/records.js';
import { eventPayload } from '../store/event-envelope.js';

/**
 * The user and group events (docs/events.md), written by the SCIM services and by the SCIM
 * teardown in the same transaction as the change they describe.
 */

/** A resource as events show it: its attributes as stored (no password: it is never stored) with id and meta. */
function snapshot(record: UserRecord | GroupRecord): JsonObject {
  return { id: record.id, ...record.data, meta: { created: record.created, lastModified: record.lastModified, version: record.version } };
}

/** Top-level attributes whose values differ, sorted: what a consumer checks before doing work. */
function changedAttributes(before: JsonObject, after: JsonObject): JsonValue[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !jsonEqual(before[name], after[name])).sort();
}

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
