import type { Static } from 'typebox';
import { isJsonObject } from '../../scim/json.js';
import type { DirectoryMember as DirectoryMemberValue } from '../../service/directory.js';
import type { Services } from '../../service/services.js';
import type { TenantMemberRecord } from '../../store/member-store.js';
import type { ApiInstance } from './api-instance.js';
import { DirectoryMember, DirectoryMemberList, DirectoryMemberQuery } from './directory-schemas.js';
import { Member, MemberParams, MemberUpdate, NewMember } from './member-schemas.js';
import { ErrorBody, TenantParams } from './schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** A member as the management API shows it (never its sign-in secret). */
export function memberJson(member: TenantMemberRecord): Static<typeof Member> {
  return {
    userId: member.userId,
    userName: member.userName,
    email: member.email,
    displayName: member.displayName,
    status: member.status,
    role: member.role,
    roles: [...member.roles],
    roleManagedByScim: member.roleManaged,
    accessGroupId: member.accessGroupId,
    signInMethod: member.signInMethod,
    confirmed: member.confirmed,
    managedByScim: member.scimManaged,
    formerlyManagedByScim: member.formerlyScimManaged,
    creator: member.creator,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

function namePart(profile: DirectoryMemberValue['profile'], part: 'givenName' | 'familyName'): string | null {
  const name = profile?.name;
  const value = isJsonObject(name) ? name[part] : undefined;
  return typeof value === 'string' ? value : null;
}

/** A member with its SCIM profile and direct groups, as the directory read API shows it. */
export function directoryMemberJson(record: DirectoryMemberValue): Static<typeof DirectoryMember> {
  return {
    ...memberJson(record.member),
    firstName: namePart(record.profile, 'givenName'),
    lastName: namePart(record.profile, 'familyName'),
    profile: record.profile,
    groups: [...record.groups],
  };
}

/** Members of a tenant: list with seat use, read, make by hand, change role or status by hand. */
export function registerMemberRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/members',
    {
      schema: {
        tags: ['members'],
        operationId: 'listMembers',
        summary: 'List members with their SCIM profiles and groups, their seat use, and the feed position of the page',
        security,
        params: TenantParams,
        querystring: DirectoryMemberQuery,
        response: { 200: DirectoryMemberList, ...errors },
      },
    },
    async (request) => {
      const page = await services.directory.listMembers(request.params.tenantId, { ...request.query, limit: request.query.limit ?? 100 });
      return { ...page, members: page.members.map(directoryMemberJson) };
    },
  );

  api.post(
    '/tenants/:tenantId/members',
    { schema: { tags: ['members'], operationId: 'createMember', summary: 'Make a member by hand (not through SCIM), such as the tenant\'s creator', security, params: TenantParams, body: NewMember, response: { 201: Member, ...errors } } },
    async (request, reply) => reply.code(201).send(memberJson(await services.members.create(request.params.tenantId, request.body))),
  );

  api.get(
    '/tenants/:tenantId/members/:userId',
    { schema: { tags: ['members'], operationId: 'getMember', summary: 'Read a member with its SCIM profile and groups', security, params: MemberParams, response: { 200: DirectoryMember, ...errors } } },
    async (request) => directoryMemberJson(await services.directory.getMember(request.params.tenantId, request.params.userId)),
  );

  api.patch(
    '/tenants/:tenantId/members/:userId',
    {
      schema: {
        tags: ['members'],
        operationId: 'updateMember',
        summary: 'Change a member\'s role or status by hand (ROLE_MANAGED_BY_SCIM, STATUS_MANAGED_BY_SCIM, SEAT_LIMIT_REACHED)',
        security,
        params: MemberParams,
        body: MemberUpdate,
        response: { 200: Member, ...errors },
      },
    },
    async (request) => memberJson(await services.members.update(request.params.tenantId, request.params.userId, request.body)),
  );
}
