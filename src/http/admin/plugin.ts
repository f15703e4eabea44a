import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../service/services.js';
import { ApiError, apiErrorHandler } from './error-handler.js';
import { registerTenantRoutes } from './tenant-routes.js';
import { registerMemberRoutes } from './member-routes.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerPendingRoutes } from './pending-routes.js';
import { registerAttributeRoutes } from './attribute-routes.js';
import { registerDirectoryRoutes } from './directory-routes.js';
import { registerActivityRoutes } from './activity-routes.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { authenticateAdminRequest, checkTenantSessionChange } from './console-auth.js';
import { registerConsoleRoutes } from './console-routes.js';
import { registerSetupLinkRoutes } from './setup-link-routes.js';

export interface AdminApiOptions {
  readonly services: Services;
  readonly publicUrl: string | undefined;
}

/**
 * The management API at /api/v1, for the SaaS team: its own authentication (operator keys)
 * and its own error format, encapsulated apart from the SCIM API.
 */
export const adminApiPlugin: FastifyPluginAsync<AdminApiOptions> = (app, { services, publicUrl }) => {
  app.setErrorHandler(apiErrorHandler);
  app.setNotFoundHandler((request, reply) => apiErrorHandler(new ApiError('NOT_FOUND', 'No such management API endpoint.'), request, reply));

  // The OpenAPI document is public: it describes the API, it holds no data.
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  const originOf = (request: { protocol: string; host: string }): string => publicUrl ?? `${request.protocol}://${request.host}`;
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === `${app.prefix}/openapi.json`) return;
    // An operator key, or the admin console's session cookie (console-auth.ts).
    await authenticateAdminRequest(services, request, originOf, publicUrl !== undefined);
  });
  // Every answer of this API is about tokens, links, sessions, webhooks or personal data:
  // no browser or proxy cache may keep one (routes that chose a policy keep theirs).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control') && request.routeOptions.url !== `${app.prefix}/openapi.json`) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    checkTenantSessionChange(request, `${app.prefix}/tenants/:tenantId`);
    done();
  });
  // Every route under a tenant answers 404 for a tenant that does not exist or was deleted,
  // whether or not its service looks the tenant up (a deleted tenant's rows may not be purged yet).
  app.addHook('preHandler', async (request) => {
    const tenantId = (request.params as Record<string, string | undefined> | undefined)?.tenantId;
    if (tenantId !== undefined && (await services.tenants.get(tenantId)) === undefined) throw new ApiError('NOT_FOUND', `Tenant ${tenantId} does not exist.`);
  });

  registerTenantRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services, originOf);
  registerMemberRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerPolicyRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerPendingRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerAttributeRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerDirectoryRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerWebhookRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerActivityRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services);
  registerConsoleRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services, originOf, publicUrl);
  registerSetupLinkRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services, originOf);
  return Promise.resolve();
};
