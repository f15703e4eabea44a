import { Type } from 'typebox';
import type { Services } from '../../service/services.js';
import { NotFound } from '../../service/errors.js';
import type { TokenRecord } from '../../store/records.js';
import type { TenantView } from '../../service/tenants.js';
import type { ApiInstance } from './api-instance.js';
import { ErrorBody, IssuedToken, NewTenant, NewToken, RotatedToken, Tenant, TenantList, TenantListQuery, TenantParams, TenantUpdate, TokenList, TokenParams, TokenRotation, type TenantJson } from './schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function tokenJson(token: TokenRecord) {
  return { id: token.id, name: token.name, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt, expiresAt: token.expiresAt, revokedAt: token.revokedAt };
}

/** Tenants and their SCIM tokens. */
export function registerTenantRoutes(api: ApiInstance, services: Services, originOf: (request: { protocol: string; host: string }) => string): void {
  const tenantJson = (tenant: TenantView, origin: string): TenantJson => ({
    id: tenant.id,
    name: tenant.name,
    createdAt: tenant.createdAt,
    externalId: tenant.externalId,
    scimBaseUrl: `${origin}/scim/v2/${tenant.id}`,
    // Every setting, defaults included (docs/policies.md).
    settings: tenant.settings,
  });
  const findTenant = async (id: string): Promise<TenantView> => {
    const tenant = await services.tenants.get(id);
    if (tenant === undefined) throw new NotFound(`Tenant ${id} does not exist.`);
    return tenant;
  };

  api.get(
    '/tenants',
    { schema: { tags: ['tenants'], operationId: 'listTenants', summary: 'List tenants (with ?externalId=, the one that has it)', security, querystring: TenantListQuery, response: { 200: TenantList, 400: ErrorBody, 401: ErrorBody } } },
    async (request) => ({
      tenants: (await services.tenants.list(request.query.externalId === undefined ? {} : { externalId: request.query.externalId })).map((tenant) => tenantJson(tenant, originOf(request))),
    }),
  );

  api.post('/tenants', { schema: { tags: ['tenants'], operationId: 'createTenant', summary: 'Create a tenant', security, body: NewTenant, response: { 201: Tenant, ...errors } } }, async (request, reply) => {
    const { name, externalId, scimEnabled } = request.body;
    const tenant = await services.tenants.create(name, { ...(externalId === undefined ? {} : { externalId }), ...(scimEnabled === undefined ? {} : { scimEnabled }) });
    if (request.body.creator !== undefined) await services.members.create(tenant.id, { ...request.body.creator, creator: true });
    return reply.code(201).send(tenantJson(tenant, originOf(request)));
  });

  api.get('/tenants/:tenantId', { schema: { tags: ['tenants'], operationId: 'getTenant', summary: 'Read a tenant', security, params: TenantParams, response: { 200: Tenant, ...errors } } }, async (request) =>
    tenantJson(await findTenant(request.params.tenantId), originOf(request)),
  );

  api.patch(
    '/tenants/:tenantId',
    { schema: { tags: ['tenants'], operationId: 'updateTenant', summary: 'Rename a tenant or change its settings (docs/policies.md)', security, params: TenantParams, body: TenantUpdate, response: { 200: Tenant, ...errors } } },
    async (request) => {
      if (request.body.name !== undefined) await services.tenants.rename(request.params.tenantId, request.body.name);
      if (request.body.externalId !== undefined) await services.tenants.setExternalId(request.params.tenantId, request.body.externalId);
      if (request.body.settings !== undefined) await services.settings.update(request.params.tenantId, request.body.settings);
      return tenantJson(await findTenant(request.params.tenantId), originOf(request));
    },
  );

  api.delete(
    '/tenants/:tenantId',
    {
      // A setup link opens one tenant's console; deleting the tenant is the operator's.
      config: { operatorOnly: true },
      schema: {
        tags: ['tenants'],
        operationId: 'deleteTenant',
        summary: 'Delete a tenant: gone at once for every API (its SCIM tokens stop working); its data is purged in the background (docs/operations.md)',
        security,
        params: TenantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await services.tenants.delete(request.params.tenantId);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/tenants/:tenantId/tokens',
    { schema: { tags: ['tokens'], operationId: 'listTokens', summary: 'List a tenant\'s SCIM tokens', security, params: TenantParams, response: { 200: TokenList, ...errors } } },
    async (request) => ({ tokens: (await services.tokens.list(request.params.tenantId)).map(tokenJson) }),
  );

  api.post(
    '/tenants/:tenantId/tokens',
    {
      schema: {
        tags: ['tokens'],
        operationId: 'issueToken',
        summary: 'Issue a SCIM bearer token (the secret is in this response only)',
        security,
        params: TenantParams,
        body: NewToken,
        response: { 201: IssuedToken, ...errors },
      },
    },
    async (request, reply) => {
      const issued = await services.tokens.issue(request.params.tenantId, { name: request.body.name, expiresAt: request.body.expiresAt ?? null });
      return reply.code(201).send({ ...tokenJson(issued.token), token: issued.secret });
    },
  );

  api.post(
    '/tenants/:tenantId/tokens/:tokenId/rotate',
    {
      schema: {
        operationId: 'rotateToken',
        tags: ['tokens'],
        summary: 'Issue a token to replace another (the secret is in this response only); the old token keeps working until revoked, or for overlapHours',
        security,
        params: TokenParams,
        body: TokenRotation,
        response: { 201: RotatedToken, ...errors },
      },
      // The body is optional: a rotation without one keeps the old token until it is revoked.
      preValidation: (request, _reply, done) => {
        request.body ??= {};
        done();
      },
    },
    async (request, reply) => {
      const { overlapHours } = request.body;
      const rotated = await services.tokens.rotate(request.params.tenantId, request.params.tokenId, overlapHours === undefined ? {} : { overlapHours });
      return reply.code(201).send({ ...tokenJson(rotated.token), token: rotated.secret, previous: tokenJson(rotated.previous) });
    },
  );

  api.delete(
    '/tenants/:tenantId/tokens/:tokenId',
    { schema: { tags: ['tokens'], operationId: 'revokeToken', summary: 'Revoke a SCIM token (it stops working at once)', security, params: TokenParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await services.tokens.revoke(request.params.tenantId, request.params.tokenId);
      return reply.code(204).send(null);
    },
  );
}
