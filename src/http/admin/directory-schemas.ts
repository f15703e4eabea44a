import { Type } from 'typebox';
import { GroupMapping, Member, Seats } from './member-schemas.js';

/** JSON Schemas of the directory read API (members with profiles, groups with members). */

const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('archived')]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }));
const Next = Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last.' });

/** The feed position every list response carries (the global feed's `position` joins it here). */
const FeedPosition = {
  seq: Type.Integer({
    minimum: 0,
    description: 'The tenant\'s last event seq, read in the same database snapshot as this page: follow GET /api/v1/events?tenant=…&after=seq from here.',
  }),
  position: Type.String({
    description: 'The global feed position, read in the same database snapshot as this page: follow GET /api/v1/events?after=position (or with tenant=…) from here.',
  }),
};

const Resource = Type.Record(Type.String(), Type.Unknown(), {
  description: 'The SCIM resource as the IdP sent it (never a password), with `id` and `meta` (`created`, `lastModified`, `version`): the shape of event payloads.',
});

export const MemberGroup = Type.Object({ id: Type.String(), displayName: Type.String() }, { $id: 'MemberGroup', description: 'A group the member belongs to directly.' });

export const DirectoryMember = Type.Object(
  {
    ...Member.properties,
    firstName: Type.Union([Type.String(), Type.Null()], { description: 'name.givenName of the SCIM profile.' }),
      lastName: Type.Union([Type.String(), Type.Null()], { description: 'name.familyName of the SCIM profile.' }),
      profile: Type.Union([Resource, Type.Null()], { description: 'The SCIM user (enterprise and custom extensions under their schema URNs); null for members made by hand.' }),
    groups: Type.Array(MemberGroup),
  },
  { $id: 'DirectoryMember', description: 'A member with its whole SCIM profile and its direct groups.' },
);

export const DirectoryMemberList = Type.Object(
  { members: Type.Array(DirectoryMember), seats: Seats, next: Next, ...FeedPosition },
  { $id: 'DirectoryMemberList' },
);

export const MemberSort = Type.Union(
  ['userId', 'userName', 'createdAt', 'updatedAt'].flatMap((key) => [Type.Literal(key), Type.Literal(`-${key}`)]),
  { description: 'userId (the default), userName, createdAt or updatedAt; "-" first for descending. Ties are ordered by userId.' },
);

export const DirectoryMemberQuery = Type.Object(
  {
    status: Type.Optional(Status),
    excludeArchived: Type.Optional(Type.Boolean({ description: 'Leave archived members out (deprovisioned users, such as an IdP\'s test user); ignored with `status`.' })),
    role: Type.Optional(Type.String({ maxLength: 100, description: 'Members holding this role anywhere in their roles (not only as the first).' })),
    group: Type.Optional(Type.String({ maxLength: 200, description: 'Direct members of this group id.' })),
    updatedSince: Type.Optional(Type.String({ format: 'date-time', description: 'Members changed at or after this time: the member, its profile, or its direct groups.' })),
    userName: Type.Optional(Type.String({ maxLength: 300, description: 'Exact userName (case-insensitive).' })),
    email: Type.Optional(Type.String({ maxLength: 300, description: 'Exact email (case-insensitive): the member\'s `email`.' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the name, userName or email (case-insensitive).' })),
    source: Type.Optional(Type.Union([Type.Literal('scim'), Type.Literal('manual')], { description: 'scim: provisioned by SCIM; manual: made by hand.' })),
    sort: Type.Optional(MemberSort),
    after: Type.Optional(Type.String({ maxLength: 1000 })),
    limit: Limit,
  },
  { additionalProperties: false },
);

export const DirectoryGroup = Type.Object(
  {
    ...GroupMapping.properties,
    memberCount: Type.Integer({ description: 'Direct members (users and groups).' }),
    profile: Type.Record(Type.String(), Type.Unknown(), { description: 'The SCIM group without its members (read them from /groups/{groupId}/members), with `id` and `meta`.' }),
  },
  { $id: 'DirectoryGroup', description: 'A SCIM group, what it gives its members, and how many it has.' },
);

export const DirectoryGroupList = Type.Object(
  { groups: Type.Array(DirectoryGroup), total: Type.Integer(), next: Next, ...FeedPosition },
  { $id: 'DirectoryGroupList' },
);

export const DirectoryGroupQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ maxLength: 1000, description: 'The `next` of the previous page (groups come in creation order).' })),
    offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Older paging: groups to skip (ignored with `after`). Prefer `after`.' })),
    limit: Limit,
  },
  { additionalProperties: false },
);

export const GroupMember = Type.Object(
  {
    id: Type.String(),
    type: Type.Union([Type.Literal('User'), Type.Literal('Group')]),
    display: Type.Union([Type.String(), Type.Null()], { description: 'The user\'s displayName (else userName) or the group\'s displayName.' }),
  },
  { $id: 'GroupMember' },
);

export const GroupMemberList = Type.Object({ members: Type.Array(GroupMember), next: Next, ...FeedPosition }, { $id: 'GroupMemberList' });

export const GroupMemberQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 200 })), limit: Limit }, { additionalProperties: false });

export const GroupParams = Type.Object({ tenantId: Type.String(), groupId: Type.String() });
