import type { Services } from '../../service/services.js';
import type { ApiInstance } from './api-instance.js';
import { DirectoryGroup, GroupMemberList, GroupMemberQuery, GroupParams } from './directory-schemas.js';
import { ErrorBody } from './schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** A group and its direct members (the member and group lists are in member-routes and policy-routes). */
export function registerDirectoryRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/groups/:groupId',
    {
      schema: {
        tags: ['groups'],
        operationId: 'getGroup',
        summary: 'Read a SCIM group: its attributes, what it gives its members, and its member count',
        security,
        params: GroupParams,
        response: { 200: DirectoryGroup, ...errors },
      },
    },
    async (request) => services.directory.getGroup(request.params.tenantId, request.params.groupId),
  );

  api.get(
    '/tenants/:tenantId/groups/:groupId/members',
    {
      schema: {
        tags: ['groups'],
        operationId: 'listGroupMembers',
        summary: 'List a SCIM group\'s direct members (users and nested groups) by id, with the feed position of the page',
        security,
        params: GroupParams,
        querystring: GroupMemberQuery,
        response: { 200: GroupMemberList, ...errors },
      },
    },
    async (request) => {
      const page = await services.directory.listGroupMembers(request.params.tenantId, request.params.groupId, request.query.after, request.query.limit ?? 100);
      return { ...page, members: page.members.map((member) => ({ id: member.value, type: member.type, display: member.display })) };
    },
  );
}
