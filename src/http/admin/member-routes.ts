import type { Static } from 'typebox';
import type { Services } from '../../service/services.js';
import type { TenantMemberRecord } from '../../store/member-store.js';
import type { ApiInstance } from './api-instance.js';
import { Member, MemberList, MemberParams, MemberQuery, MemberUpdate, NewMember } from './member-schemas.js';
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
    roleManagedByScim: member.roleManaged,
    accessGroupId: member.accessGroupId,
    signInMethod: member.signInMethod,
    confirmed: member.confirmed,
    managedByScim: member.scimManaged,
    creator: member.creator,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

/** Members of a tenant: list with seat use, read, make by hand, change role or status by hand. */
export function registerMemberRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/members',
    { schema: { tags: ['members'], operationId: 'listMembers', summary: 'List members with their seat use', security, params: TenantParams, querystring: MemberQuery, response: { 200: MemberList, ...errors } } },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const { members, seats } = await services.members.list(request.params.tenantId, { ...request.query, limit });
      return { members: members.map(memberJson), seats, next: members.length === limit ? (members.at(-1)?.userId ?? null) : null };
    },
  );

  api.post(
    '/tenants/:tenantId/members',
    { schema: { tags: ['members'], operationId: 'createMember', summary: 'Make a member by hand (not through SCIM), such as the tenant\'s creator', security, params: TenantParams, body: NewMember, response: { 201: Member, ...errors } } },
    async (request, reply) => reply.code(201).send(memberJson(await services.members.create(request.params.tenantId, request.body))),
  );

  api.get(
    '/tenants/:tenantId/members/:userId',
    { schema: { tags: ['members'], operationId: 'getMember', summary: 'Read a member', security, params: MemberParams, response: { 200: Member, ...errors } } },
    async (request) => memberJson(await services.members.get(request.params.tenantId, request.params.userId)),
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
