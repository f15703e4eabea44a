import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { listResponse } from '../../scim/discovery.js';
import type { JsonObject } from '../../scim/json.js';
import { applyProjection, readProjection, type Projection } from '../../scim/projection.js';
import type { ScimContext } from '../../service/context.js';
import { etagOf } from '../../service/preconditions.js';
import type { ListPage, ListParams } from '../../service/list.js';
import type { ScimRequestState } from './auth.js';
import { guardedList } from './list-guard.js';
import { readListRequest, type PageLimits } from './list-params.js';
import { readSearchRequest } from './search-request.js';
import { SCIM_CONTENT_TYPE } from './error-handler.js';
import { endpoint, header, scimState, sendScim } from './routing.js';

/**
 * One resource type's SCIM operations, declared once (resources/) and called by its routes,
 * the root search and /Bulk. `projection` tells the service what the response will show, so
 * it can skip work (a group's members).
 */
export interface ResourceEndpoint<View> {
  readonly resourceType: ResourceTypeDefinition;
  create(context: ScimContext, body: unknown, projection: Projection): Promise<View>;
  get(context: ScimContext, id: string, projection: Projection): Promise<View>;
  list(context: ScimContext, params: ListParams, projection: Projection): Promise<ListPage<View>>;
  replace(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, projection: Projection): Promise<View>;
  patch(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, projection: Projection): Promise<View>;
  remove(context: ScimContext, id: string, ifMatch: string | undefined): Promise<void>;
  present(view: View, state: ScimRequestState): JsonObject;
  versionOf(view: View): number;
  idOf(view: View): string;
  /**
   * A body to stream instead of `present` for a GET of one resource, or undefined to present
   * as usual (a group with all its members: they are read a page at a time).
   */
  streamItem?(view: View, state: ScimRequestState, projection: Projection): Promise<Readable | JsonObject> | undefined;
  /**
   * `noContent`: a PATCH answers 204 unless the request names attributes (RFC 7644 §3.5.2
   * allows it; Entra prefers it for groups, and it spares reading a large group's members).
   * A PATCH in /Bulk answers the same status, 200 or 204.
   */
  readonly patchAnswer: 'resource' | 'noContent';
  /** Whether the tenant accepts this resource type; a search at the root leaves out those it does not (default: always). */
  offered?(context: ScimContext): boolean;
}

/** A projection that shows nothing: for answers without a resource body (PATCH 204, /Bulk). */
export const SHOWS_NOTHING: Projection = { kind: 'include', selectors: [] };

/** A resource as SCIM JSON, with only the attributes the projection asks for. */
export function showResource<View>(resource: ResourceEndpoint<View>, view: View, state: ScimRequestState, projection: Projection): JsonObject {
  return applyProjection(resource.present(view, state), projection, state.context.registry, resource.resourceType);
}

/** Registers the collection and item routes of one resource type (RFC 7644 §3.2). */
export function registerResourceRoutes<View>(app: FastifyInstance, resource: ResourceEndpoint<View>, limits: PageLimits): void {
  const path = resource.resourceType.endpoint;
  const projectionOf = (request: FastifyRequest, state: ScimRequestState): Projection =>
    readProjection(request.query as Record<string, unknown>, state.context.registry, resource.resourceType);
  const show = (view: View, state: ScimRequestState, projection: Projection): JsonObject => showResource(resource, view, state, projection);

  /** A query, from a GET's query string or a /.search body (RFC 7644 §3.4.3: same answer). */
  const query = async (params: Readonly<Record<string, unknown>>, state: ScimRequestState): Promise<JsonObject> => {
    const projection = readProjection(params, state.context.registry, resource.resourceType);
    const { startIndex, params: listParams } = readListRequest(params, state.context.registry, resource.resourceType, limits);
    const page = await guardedList(limits.guard, state.context, listParams, (bounded) => resource.list(state.context, bounded, projection));
    return listResponse(
      page.views.map((view) => show(view, state, projection)),
      page.total,
      {
        startIndex,
        nextCursor: page.nextCursor,
        previousCursor: page.previousCursor,
      },
    );
  };

  endpoint(app, `${path}/.search`, {
    POST: async (request, reply) => {
      const state = scimState(request);
      return sendScim(reply, await query(readSearchRequest(request.body), state));
    },
  });

  endpoint(app, path, {
    GET: async (request, reply) => {
      const state = scimState(request);
      return sendScim(reply, await query(request.query as Record<string, unknown>, state));
    },
    POST: async (request, reply) => {
      const state = scimState(request);
      const projection = projectionOf(request, state);
      const view = await resource.create(state.context, request.body, projection);
      const location = `${state.baseUrl}${path}/${resource.idOf(view)}`;
      return sendScim(reply, show(view, state, projection), { status: 201, etag: etagOf(resource.versionOf(view)), location });
    },
  });

  endpoint(app, `${path}/:id`, {
    GET: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const projection = projectionOf(request, state);
      const view = await resource.get(state.context, id, projection);
      const etag = etagOf(resource.versionOf(view));
      // RFC 7644 §3.14: an unchanged resource answers 304 with no body.
      if (header(request, 'if-none-match') === etag) return reply.code(304).header('etag', etag).send();
      const streamed = await resource.streamItem?.(view, state, projection);
      if (streamed instanceof Readable) return reply.code(200).type(SCIM_CONTENT_TYPE).header('etag', etag).send(streamed);
      return sendScim(reply, streamed ?? show(view, state, projection), { etag });
    },
    PUT: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const projection = projectionOf(request, state);
      const view = await resource.replace(state.context, id, request.body, header(request, 'if-match'), projection);
      return sendScim(reply, show(view, state, projection), { etag: etagOf(resource.versionOf(view)) });
    },
    PATCH: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const query = request.query as Record<string, unknown>;
      const wantsBody = resource.patchAnswer === 'resource' || query.attributes !== undefined || query.excludedAttributes !== undefined;
      const projection = wantsBody ? projectionOf(request, state) : SHOWS_NOTHING;
      const view = await resource.patch(state.context, id, request.body, header(request, 'if-match'), projection);
      const etag = etagOf(resource.versionOf(view));
      if (!wantsBody) return reply.code(204).header('etag', etag).send();
      return sendScim(reply, show(view, state, projection), { etag });
    },
    DELETE: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      await resource.remove(state.context, id, header(request, 'if-match'));
      return reply.code(204).send();
    },
  });
}
