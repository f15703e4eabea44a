import { Type } from 'typebox';
import type { Services } from '../../service/services.js';
import type { LoginDecision as LoginDecisionValue } from '../../service/sso-login.js';
import type { TenantMemberRecord } from '../../store/member-store.js';
import type { ApiInstance } from './api-instance.js';
import { memberJson } from './member-routes.js';
import { GroupMapping, LoginCheck, LoginDecision, PageQuery, PendingChange, PendingQuery } from './member-schemas.js';
import { ErrorBody, TenantParams } from './schemas.js';

const security = [{ operatorKey: [] }];

/** A decision with its (optional) member field, whatever its kind. */
function withMember(decision: LoginDecisionValue): LoginDecisionValue & { member?: TenantMemberRecord } {
  return decision;
}
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Groups and their role mapping, pending changes and sync, the SSO login decision, the SCIM setup. */
export function registerPolicyRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/groups',
    {
      schema: {
        tags: ['groups'],
        operationId: 'listGroupMappings',
        summary: 'List the SCIM groups with the role and access group each gives (change them with the tenant settings)',
        security,
        params: TenantParams,
        querystring: PageQuery,
        response: { 200: Type.Object({ groups: Type.Array(GroupMapping), total: Type.Integer() }, { $id: 'GroupMappingList' }), ...errors },
      },
    },
    async (request) => services.groupMappings.list(request.params.tenantId, request.query.offset ?? 0, request.query.limit ?? 100),
  );

  api.get(
    '/tenants/:tenantId/pending-changes',
    {
      schema: {
        tags: ['sync'],
        operationId: 'listPendingChanges',
        summary: 'List the member changes waiting while automatic sync is off, oldest first',
        security,
        params: TenantParams,
        querystring: PendingQuery,
        response: { 200: Type.Object({ changes: Type.Array(PendingChange), total: Type.Integer() }, { $id: 'PendingChangeList' }), ...errors },
      },
    },
    async (request) => {
      const { changes, total } = await services.pendingChanges.list(request.params.tenantId, request.query.after ?? 0, request.query.limit ?? 100);
      return { changes: changes.map(({ tenantId: _tenant, ...change }) => change), total };
    },
  );

  api.post(
    '/tenants/:tenantId/sync',
    {
      schema: {
        tags: ['sync'],
        operationId: 'syncPendingChanges',
        summary: 'Sync now: apply every pending change in order',
        security,
        params: TenantParams,
        response: { 200: Type.Object({ applied: Type.Integer({ description: 'How many pending changes were applied.' }) }, { $id: 'SyncResult' }), ...errors },
      },
    },
    async (request) => ({ applied: await services.pendingChanges.sync(request.params.tenantId) }),
  );

  api.post(
    '/tenants/:tenantId/sso/login-check',
    {
      schema: {
        tags: ['sso'],
        operationId: 'checkSsoLogin',
        summary: 'May this SSO login go ahead, and as which member? (refuses to create users SCIM did not provision while SCIM is on)',
        security,
        params: TenantParams,
        body: LoginCheck,
        response: { 200: LoginDecision, ...errors },
      },
    },
    async (request) => {
      const { member, ...decision } = withMember(await services.ssoLogin.check(request.params.tenantId, request.body.identifier, request.body.method));
      return { ...decision, ...(member === undefined ? {} : { member: memberJson(member) }) };
    },
  );

  api.delete(
    '/tenants/:tenantId/scim',
    {
      schema: {
        tags: ['tenants'],
        operationId: 'deleteScimSetup',
        summary: 'Delete the SCIM setup: tokens, groups and SCIM users (members stay); refused with SCIM_MEMBERS_ACTIVE while provisioned members are active',
        security,
        params: TenantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await services.scimSetup.deleteSetup(request.params.tenantId);
      return reply.code(204).send(null);
    },
  );
}
