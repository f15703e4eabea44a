import { Type } from 'typebox';
import type { Services } from '../../service/services.js';
import type { LoginDecision as LoginDecisionValue } from '../../service/sso-login.js';
import type { TenantMemberRecord } from '../../store/member-store.js';
import type { ApiInstance } from './api-instance.js';
import { ApiError } from './error-handler.js';
import { memberJson } from './member-routes.js';
import { DirectoryGroupList, DirectoryGroupQuery } from './directory-schemas.js';
import { LoginCheck, LoginDecision } from './member-schemas.js';
import { ErrorBody, TenantParams } from './schemas.js';

const security = [{ operatorKey: [] }];

/** A decision with its (optional) member field, whatever its kind. */
function withMember(decision: LoginDecisionValue): LoginDecisionValue & { member?: TenantMemberRecord } {
  return decision;
}
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Groups and their role mapping, the SSO login decision, the SCIM setup. */
export function registerPolicyRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/groups',
    {
      schema: {
        tags: ['groups'],
        operationId: 'listGroups',
        summary: 'List the SCIM groups by id with the role and access group each gives (change them with the tenant settings), their member counts, and the feed position of the page',
        security,
        params: TenantParams,
        querystring: DirectoryGroupQuery,
        response: { 200: DirectoryGroupList, ...errors },
      },
    },
    async (request) => {
      const { after, offset, limit } = request.query;
      return services.directory.listGroups(request.params.tenantId, { ...(after === undefined ? {} : { after }), ...(offset === undefined ? {} : { offset }), limit: limit ?? 100 });
    },
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
      // Said in words before the schema would say "must be equal to constant" twice.
      preValidation: (request, _reply, done) => {
        const method = (request.body as { method?: unknown } | undefined)?.method;
        if (method !== undefined && method !== 'saml' && method !== 'oidc') {
          done(new ApiError('VALIDATION_FAILED', `The sign-in method must be "saml" or "oidc", not ${JSON.stringify(method)}: the login check is for SSO sign-ins (a password sign-in is the product's own, with nothing to check here).`));
          return;
        }
        done();
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
