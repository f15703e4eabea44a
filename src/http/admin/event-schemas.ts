import { Type, type TSchema } from 'typebox';

/**
 * Every event type as the OpenAPI document describes it (docs/events.md): the envelope, with
 * `type` a constant and `data` that type's payload, gathered in `Event`, a union discriminated
 * by `type`. Payloads may gain fields without a new schemaVersion, so none is closed.
 */

const Timestamp = Type.String({ format: 'date-time' });
const Meta = Type.Object({ created: Timestamp, lastModified: Timestamp, version: Type.Integer() });

const ScimUser = Type.Object(
  {
    id: Type.String(),
    schemas: Type.Optional(Type.Array(Type.String())),
    userName: Type.String(),
    externalId: Type.Optional(Type.String()),
    displayName: Type.Optional(Type.String()),
    name: Type.Optional(Type.Object({ givenName: Type.Optional(Type.String()), familyName: Type.Optional(Type.String()), formatted: Type.Optional(Type.String()) }, { additionalProperties: true })),
    emails: Type.Optional(Type.Array(Type.Object({ value: Type.String(), type: Type.Optional(Type.String()), primary: Type.Optional(Type.Boolean()) }, { additionalProperties: true }))),
    title: Type.Optional(Type.String()),
    active: Type.Optional(Type.Boolean()),
    meta: Meta,
  },
  { $id: 'ScimUser', additionalProperties: true, description: 'A SCIM user as stored (never a password): core, enterprise and custom extension attributes.' },
);

const ScimGroup = Type.Object(
  { id: Type.String(), schemas: Type.Optional(Type.Array(Type.String())), displayName: Type.String(), externalId: Type.Optional(Type.String()), meta: Meta },
  { $id: 'ScimGroup', additionalProperties: true, description: 'A SCIM group as stored, without its members (they are in member events).' },
);

/** A resource in an erased event: its id and meta, nothing else (docs/events.md, "Retention"). */
const ErasedResource = Type.Object({ id: Type.String(), meta: Type.Optional(Meta) });
/** Any user event's payload once the user was removed for good and its personal data erased. */
const ErasedUserData = Type.Object(
  {
    user: ErasedResource,
    before: Type.Optional(ErasedResource),
    changedAttributes: Type.Optional(Type.Array(Type.String())),
    archived: Type.Optional(Type.Boolean()),
    erased: Type.Literal(true),
  },
  { $id: 'ErasedUserData', description: 'The payload of a user event whose user was removed for good: ids, meta and codes only.' },
);
/** A user event's payload: as written, or erased. */
const userData = (data: TSchema): TSchema => Type.Union([data, ErasedUserData]);
const Erased = Type.Optional(Type.Literal(true, { description: 'Present once the user was removed for good: `userName` is gone.' }));
const ErasedUserName = Type.Optional(Type.String({ description: 'Absent once the user was removed for good (`erased`).' }));

const MemberRoles = Type.Array(Type.String(), { description: 'Every role the member holds, ranked: role is the first.' });
const GroupName = Type.Object({ id: Type.String(), displayName: Type.String() });
const ChangedAttributes = Type.Array(Type.String(), { description: 'Top-level attributes whose values differ, sorted.' });
const userChange = Type.Object({ user: ScimUser, before: ScimUser, changedAttributes: ChangedAttributes });
const membership = Type.Object(
  {
    group: GroupName,
    memberId: Type.String(),
    memberType: Type.Optional(Type.Union([Type.Literal('User'), Type.Literal('Group')], { description: 'What the member is (absent only in events written by versions before it was added).' })),
    userName: Type.Optional(Type.String({ description: 'A user member\'s userName; absent once that user was removed for good (`erased`).' })),
    displayName: Type.Optional(Type.String({ description: 'A group member\'s displayName.' })),
    erased: Type.Optional(Type.Literal(true, { description: 'Present once the user member was removed for good: its `userName` is gone, the group and `memberId` stay.' })),
  },
  { $id: 'MembershipChange', description: 'A member joined or left a group: the group, and the member by id, type and name.' },
);
const MemberNamed = Type.Object({ userName: ErasedUserName, erased: Erased }, { $id: 'MemberNamed', description: 'The member, by userName; `resource.id` is its id.' });
const TokenSummary = Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), expiresAt: Type.Optional(Type.Union([Timestamp, Type.Null()])) });

const TenantSummary = Type.Object({ id: Type.String(), name: Type.String(), externalId: Type.Optional(Type.Union([Type.String(), Type.Null()])) });

/** Each event type: the resource it names and its payload. */
const PAYLOADS: Readonly<Record<string, { readonly resource: string; readonly data: TSchema }>> = {
  'user.created': { resource: 'User', data: userData(Type.Object({ user: ScimUser })) },
  'user.restored': { resource: 'User', data: userData(Type.Object({ user: ScimUser })) },
  'user.updated': { resource: 'User', data: userData(userChange) },
  'user.archived': { resource: 'User', data: userData(userChange) },
  'user.reactivated': { resource: 'User', data: userData(userChange) },
  'user.deleted': { resource: 'User', data: userData(Type.Object({ user: ScimUser, archived: Type.Boolean({ description: 'Kept and hidden from SCIM (true), or removed for good.' }) })) },
  'group.created': { resource: 'Group', data: Type.Object({ group: ScimGroup }) },
  'group.updated': { resource: 'Group', data: Type.Object({ group: ScimGroup, before: ScimGroup, changedAttributes: ChangedAttributes }) },
  'group.deleted': { resource: 'Group', data: Type.Object({ group: ScimGroup }) },
  'group.member_added': { resource: 'Group', data: membership },
  'group.member_removed': { resource: 'Group', data: membership },
  'member.role_changed': {
    resource: 'User',
    data: Type.Object({
      userName: ErasedUserName,
      role: Type.String(),
      previousRole: Type.String(),
      roles: Type.Array(Type.String(), { description: 'Every role the member now holds, ranked: role is the first.' }),
      previousRoles: Type.Array(Type.String()),
      accessGroupId: Type.Union([Type.String(), Type.Null()]),
      previousAccessGroupId: Type.Union([Type.String(), Type.Null()]),
      managedByScim: Type.Boolean(),
      by: Type.Union([Type.Literal('scim'), Type.Literal('hand'), Type.Literal('system')]),
      erased: Erased,
    }),
  },
  'member.status_changed': { resource: 'User', data: Type.Object({ userName: ErasedUserName, status: Type.String(), previousStatus: Type.String(), erased: Erased }) },
  'member.linked': {
    resource: 'User',
    data: Type.Object(
      { userName: ErasedUserName, erased: Erased, previousId: Type.String({ description: 'The id the hand-made member had; `resource.id` is its id from now on (its SCIM user\'s).' }) },
      { $id: 'MemberLinked' },
    ),
  },
  'member.unlinked': { resource: 'User', data: MemberNamed },
  'member.provisioned': {
    resource: 'User',
    data: Type.Object(
      {
        userName: ErasedUserName,
        erased: Erased,
        status: Type.String(),
        role: Type.String(),
        roles: MemberRoles,
        accessGroupId: Type.Union([Type.String(), Type.Null()]),
        managedByScim: Type.Boolean({ description: 'The role comes from an IdP group.' }),
      },
      { $id: 'MemberProvisioned', description: 'The member made for a SCIM user, as made.' },
    ),
  },
  'member.deleted': { resource: 'User', data: MemberNamed },
  'member.created': { resource: 'User', data: Type.Object({ userName: ErasedUserName, role: Type.String(), roles: MemberRoles, status: Type.String(), creator: Type.Boolean(), erased: Erased }) },
  'seat.limit_reached': { resource: 'Tenant', data: Type.Object({ seatLimit: Type.Integer(), userId: Type.String(), outcome: Type.Union([Type.Literal('filled'), Type.Literal('inactive')]) }) },
  'pending.discarded': {
    resource: 'User',
    data: Type.Object({
      userName: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Null when unknown; absent once the user was removed for good (`erased`).' })),
      changes: Type.Integer({ description: 'How many queued changes were discarded.' }),
      erased: Erased,
    }),
  },
  'scim.enabled': { resource: 'Tenant', data: Type.Object({}) },
  'scim.disabled': {
    resource: 'Tenant',
    data: Type.Object({
      tokensDeleted: Type.Integer(),
      groupsRemoved: Type.Integer(),
      externalIdsCleared: Type.Integer(),
      pendingDiscarded: Type.Integer(),
      creatorPromoted: Type.Boolean(),
      setupDeleted: Type.Boolean(),
      usersDeleted: Type.Optional(Type.Integer({ description: 'When the setup was deleted.' })),
    }),
  },
  'token.created': { resource: 'Token', data: Type.Object({ token: TokenSummary }) },
  'token.revoked': { resource: 'Token', data: Type.Object({ token: TokenSummary }) },
  'tenant.created': { resource: 'Tenant', data: Type.Object({ tenant: TenantSummary }) },
  'tenant.deleted': { resource: 'Tenant', data: Type.Object({ tenant: TenantSummary }) },
  'webhook.test': { resource: 'Webhook', data: Type.Object({ webhook: Type.Object({ id: Type.String(), url: Type.String() }) }) },
};

/** `group.member_added` → `GroupMemberAddedEvent`. */
function schemaName(type: string): string {
  return `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Event`;
}

function eventSchema(type: string, resource: string, data: TSchema): TSchema {
  return Type.Object(
    {
      schemaVersion: Type.Integer(),
      id: Type.String({ description: 'Unique; de-duplicate on it (it is the webhook-id header).' }),
      seq: Type.Integer({ description: 'Position in the tenant\'s outbox (0 for webhook.test, which is in no feed).' }),
      position: Type.Optional(Type.String({ description: 'Position in the global feed: pass it as `after` to GET /api/v1/events.' })),
      type: Type.Literal(type),
      tenantId: type === 'webhook.test' ? Type.Union([Type.String(), Type.Null()]) : Type.String(),
      occurredAt: Timestamp,
      resource: Type.Object({ type: Type.Literal(resource), id: Type.String() }),
      data,
    },
    { $id: schemaName(type) },
  );
}

const types = Object.keys(PAYLOADS);

/** Every event, discriminated by `type`: the document's `Event` schema (documentation only; see EventPage). */
export const Event = {
  $id: 'Event',
  description: 'An event, in the feed or a webhook body (docs/events.md); `type` says which payload `data` holds.',
  oneOf: types.map((type) => {
    const { resource, data } = PAYLOADS[type] ?? { resource: '', data: Type.Object({}) };
    return eventSchema(type, resource, data);
  }),
  discriminator: { propertyName: 'type', mapping: Object.fromEntries(types.map((type) => [type, `#/components/schemas/${schemaName(type)}`])) },
};
