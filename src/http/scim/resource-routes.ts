import type { FastifyInstance } from 'fastify';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { listResponse } from '../../scim/discovery.js';
import type { JsonObject } from '../../scim/json.js';
import type { ScimContext } from '../../service/context.js';
import { etagOf } from '../../service/preconditions.js';
import type { ListParams } from '../../service/users.js';
import type { ScimRequestState } from './auth.js';
import { readListRequest, type PageLimits } from './list-params.js';
import { endpoint, header, scimState, sendScim } from './routing.js';

/** What /Users and /Groups have in common: the SCIM operations of a resource service. */
export interface ResourceService<View> {
  create(context: ScimContext, body: unknown): Promise<View>;
  get(context: ScimContext, id: string): Promise<View>;
  list(context: ScimContext, params: ListParams): Promise<{ total: number; views: readonly View[] }>;
  replace(context: ScimContext, id: string, body: unknown, ifMatch?: string): Promise<View>;
  remove(context: ScimContext, id: string, ifMatch?: string): Promise<void>;
}

export interface ResourceEndpoint<View> {
  readonly resourceType: ResourceTypeDefinition;
  readonly service: ResourceService<View>;
  present(view: View, state: ScimRequestState): JsonObject;
  versionOf(view: View): number;
  idOf(view: View): string;
}

/** Registers the collection and item routes of one resource type (RFC 7644 §3.2). */
export function registerResourceRoutes<View>(app: FastifyInstance, resource: ResourceEndpoint<View>, limits: PageLimits): void {
  const path = resource.resourceType.endpoint;
  const { service } = resource;

  endpoint(app, path, {
    GET: async (request, reply) => {
      const state = scimState(request);
      const query = readListRequest(request.query as Record<string, unknown>, state.context.registry, resource.resourceType, limits);
      const { total, views } = await service.list(state.context, {
        ...(query.filter === undefined ? {} : { filter: query.filter }),
        offset: query.startIndex - 1,
        limit: query.count,
      });
      return sendScim(reply, listResponse(views.map((view) => resource.present(view, state)), total, query.startIndex));
    },
    POST: async (request, reply) => {
      const state = scimState(request);
      const view = await service.create(state.context, request.body);
      const location = `${state.baseUrl}${path}/${resource.idOf(view)}`;
      return sendScim(reply, resource.present(view, state), { status: 201, etag: etagOf(resource.versionOf(view)), location });
    },
  });

  endpoint(app, `${path}/:id`, {
    GET: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const view = await service.get(state.context, id);
      const etag = etagOf(resource.versionOf(view));
      // RFC 7644 §3.14: an unchanged resource answers 304 with no body.
      if (header(request, 'if-none-match') === etag) return reply.code(304).header('etag', etag).send();
      return sendScim(reply, resource.present(view, state), { etag });
    },
    PUT: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const view = await service.replace(state.context, id, request.body, header(request, 'if-match'));
      return sendScim(reply, resource.present(view, state), { etag: etagOf(resource.versionOf(view)) });
    },
    DELETE: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      await service.remove(state.context, id, header(request, 'if-match'));
      return reply.code(204).send();
    },
  });
}
