import { groupResourceType, userResourceType } from '../../schema/registry.js';
import { isJsonObject, type JsonObject } from '../../scim/json.js';
import { URN } from '../../schema/urns.js';
import { renderResource } from '../../scim/resource/render.js';
import type { GroupView } from '../../service/groups.js';
import type { MembershipRecord } from '../../store/records.js';
import { etagOf } from '../../service/preconditions.js';
import type { UserView } from '../../service/users.js';
import type { ScimRequestState } from './auth.js';

/**
 * The enterprise manager as RFC 7643 §4.3 shows it: `value`, plus the computed `$ref` and,
 * when the manager is a user of the tenant, its `displayName` (IdP rule T8).
 */
function withManagerReference(data: JsonObject, managerName: string | undefined, state: ScimRequestState): JsonObject {
  const extension = data[URN.enterpriseUser];
  const manager = isJsonObject(extension) ? extension.manager : undefined;
  if (!isJsonObject(extension) || !isJsonObject(manager) || typeof manager.value !== 'string') return data;
  const shown: JsonObject = { value: manager.value, $ref: `${state.baseUrl}/Users/${manager.value}`, ...(managerName === undefined ? {} : { displayName: managerName }) };
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
      data: withManagerReference(record.data, view.managerName, state),
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
export function presentMembership(membership: MembershipRecord, state: ScimRequestState): JsonObject {
  return {
    value: membership.value,
    $ref: `${state.baseUrl}/${membership.type === 'Group' ? 'Groups' : 'Users'}/${membership.value}`,
    type: membership.type,
    ...(membership.display === null ? {} : { display: membership.display }),
  };
}

/** A group as SCIM JSON, with `members` when they were read. */
export function presentGroup(view: GroupView, state: ScimRequestState): JsonObject {
  const { record } = view;
  const members = (view.memberships ?? []).map((membership) => presentMembership(membership, state));
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
