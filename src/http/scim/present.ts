import { groupResourceType, userResourceType } from '../../schema/registry.js';
import { isJsonObject, type JsonObject } from '../../scim/json.js';
import { URN } from '../../schema/urns.js';
import { renderResource } from '../../scim/resource/render.js';
import type { GroupView } from '../../service/groups.js';
import type { MembershipRecord } from '../../store/records.js';
import { etagOf } from '../../service/preconditions.js';
import type { ManagerView, UserView } from '../../service/users.js';
import type { ScimRequestState } from './auth.js';

/**
 * The enterprise manager as RFC 7643 §4.3 shows it: `value`, plus the computed `$ref` and,
 * when the manager is a user of the tenant, its `displayName` (IdP rule T8), as the
 * service resolved it.
 */
function withManagerReference(data: JsonObject, manager: ManagerView | undefined, state: ScimRequestState): JsonObject {
  const extension = data[URN.enterpriseUser];
  if (manager === undefined || !isJsonObject(extension)) return data;
  const shown: JsonObject = { value: manager.value, $ref: `${state.baseUrl}/Users/${manager.value}`, ...(manager.displayName === undefined ? {} : { displayName: manager.displayName }) };
  return { ...data, [URN.enterpriseUser]: { ...extension, manager: shown } };
}

/** A user as SCIM JSON, with its `groups` computed from memberships (RFC 7643 §4.1.2). */
export function presentUser(view: UserView, state: ScimRequestState): JsonObject {
  const { record } = view;
  const groups = view.groups.map((group) => ({
    value: group.value,
    $ref: `${state.baseUrl}/Groups/${group.value}`,
    display: group.display,
    type: 'direct',
  }));
  return renderResource(
    {
      resourceType: userResourceType,
      id: record.id,
      data: withManagerReference(record.data, view.manager, state),
      created: record.created,
      lastModified: record.lastModified,
      version: etagOf(record.version),
      location: `${state.baseUrl}/Users/${record.id}`,
      computed: groups.length > 0 ? { groups } : {},
    },
    state.context.registry,
  );
}

/** One member as the group's `members` attribute shows it. */
export function presentMembership(member: MembershipRecord, state: ScimRequestState): JsonObject {
  return {
    value: member.value,
    $ref: `${state.baseUrl}/${member.type === 'Group' ? 'Groups' : 'Users'}/${member.value}`,
    type: member.type,
    ...(member.display === null ? {} : { display: member.display }),
  };
}

/** A group as SCIM JSON, with `members` when they were read. */
export function presentGroup(view: GroupView, state: ScimRequestState): JsonObject {
  const { record } = view;
  const members = (view.members ?? []).map((member) => presentMembership(member, state));
  return renderResource(
    {
      resourceType: groupResourceType,
      id: record.id,
      data: record.data,
      created: record.created,
      lastModified: record.lastModified,
      version: etagOf(record.version),
      location: `${state.baseUrl}/Groups/${record.id}`,
      computed: members.length > 0 ? { members } : {},
    },
    state.context.registry,
  );
}
