import { groupResourceType, userResourceType } from '../../schema/registry.js';
import type { JsonObject } from '../../scim/json.js';
import { renderResource } from '../../scim/resource/render.js';
import type { GroupView } from '../../service/groups.js';
import { etagOf } from '../../service/preconditions.js';
import type { UserView } from '../../service/users.js';
import type { ScimRequestState } from './auth.js';

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
      data: record.data,
      created: record.created,
      lastModified: record.lastModified,
      version: etagOf(record.version),
      location: `${state.baseUrl}/Users/${record.id}`,
      computed: groups.length > 0 ? { groups } : {},
    },
    state.context.registry,
  );
}

/** A group as SCIM JSON, with `members` when they were read. */
export function presentGroup(view: GroupView, state: ScimRequestState): JsonObject {
  const { record } = view;
  const members = (view.members ?? []).map((member) => ({
    value: member.value,
    $ref: `${state.baseUrl}/${member.type === 'Group' ? 'Groups' : 'Users'}/${member.value}`,
    type: member.type,
    ...(member.display === null ? {} : { display: member.display }),
  }));
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
