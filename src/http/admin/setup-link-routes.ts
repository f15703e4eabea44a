import { Type } from 'typebox';
import type { SetupLinkRecord } from '../../store/console-store.js';
import type { Services } from '../../service/services.js';
import type { ApiInstance } from './api-instance.js';
import type { OriginOf } from './console-auth.js';
import { IssuedSetupLink, NewSetupLink, SetupLinkList, SetupLinkParams } from './console-schemas.js';
import { ErrorBody, TenantParams } from './schemas.js';

const tags = ['setup links'];
const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

function linkJson(link: SetupLinkRecord) {
  return { id: link.id, tenantId: link.tenantId, note: link.note, createdAt: link.createdAt, expiresAt: link.expiresAt, revokedAt: link.revokedAt, lastUsedAt: link.lastUsedAt };
}

/**
 * Setup links, for operators only. The secret travels in the URL's fragment (`#token=…`),
 * which browsers never send to a server, so it stays out of access logs and Referer headers.
 */
export function registerSetupLinkRoutes(api: ApiInstance, services: Services, originOf: OriginOf): void {
  const config = { operatorOnly: true };

  api.post(
    '/tenants/:tenantId/setup-links',
    { config, schema: { tags, operationId: 'createSetupLink', summary: 'Create a setup link for a tenant\'s IT admin (the URL is in this response only)', security, params: TenantParams, body: NewSetupLink, response: { 201: IssuedSetupLink, ...errors } } },
    async (request, reply) => {
      const body = request.body ?? {};
      const issued = await services.setupLinks.create(request.params.tenantId, { expiresInSeconds: body.expiresInSeconds, note: body.note });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...linkJson(issued.link), url: `${originOf(request)}/admin/setup#token=${issued.secret}` });
    },
  );

  api.get(
    '/tenants/:tenantId/setup-links',
    { config, schema: { tags, operationId: 'listSetupLinks', summary: 'List a tenant\'s setup links', security, params: TenantParams, response: { 200: SetupLinkList, ...errors } } },
    async (request) => ({ setupLinks: (await services.setupLinks.list(request.params.tenantId)).map(linkJson) }),
  );

  api.delete(
    '/tenants/:tenantId/setup-links/:linkId',
    { config, schema: { tags, operationId: 'revokeSetupLink', summary: 'Revoke a setup link (its console sessions end at once)', security, params: SetupLinkParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await services.setupLinks.revoke(request.params.tenantId, request.params.linkId);
      return reply.code(204).send(null);
    },
  );
}
