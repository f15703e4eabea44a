import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../service/services.js';
import { ApiError, apiErrorHandler } from './error-handler.js';
import { registerTenantRoutes } from './tenant-routes.js';

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

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === `${app.prefix}/openapi.json`) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const key = match?.[1] === undefined ? undefined : await services.operatorKeys.authenticate(match[1]);
    if (key === undefined) throw new ApiError('UNAUTHORIZED', 'A valid operator key is required: Authorization: Bearer rok_…');
  });

  const originOf = (request: { protocol: string; host: string }): string => publicUrl ?? `${request.protocol}://${request.host}`;
  registerTenantRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), services, originOf);
  return Promise.resolve();
};
