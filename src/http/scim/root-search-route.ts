import type { FastifyInstance } from 'fastify';
import { userResourceType } from '../../schema/registry.js';
import { listResponse } from '../../scim/discovery.js';
import { InvalidValueError } from '../../scim/errors.js';
import type { FilterNode } from '../../scim/filter/ast.js';
import { restrictFilterToType } from '../../scim/filter/restrict.js';
import { validateFilter } from '../../scim/filter/validate.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { parseFilterOrThrow } from '../../scim/filter/parser.js';
import type { JsonObject } from '../../scim/json.js';
import { readProjection } from '../../scim/projection.js';
import type { ScimRequestState } from './auth.js';
import { guardedList } from './list-guard.js';
import { readListRequest, type ListRequest, type PageLimits } from './list-params.js';
import { showResource, type ResourceEndpoint } from './resource-routes.js';
import { endpoint, scimState, sendScim } from './routing.js';
import { readSearchRequest } from './search-request.js';

/**
 * A resource type's part of a root search: the filter restricted to the attributes the type
 * has, or undefined when it can match nothing there.
 */
function listRequestFor(body: JsonObject, filter: FilterNode | undefined, state: ScimRequestState, type: ResourceTypeDefinition, limits: PageLimits): ListRequest | undefined {
  const { filter: _text, ...rest } = body;
  const request = readListRequest(rest, state.context.registry, type, limits);
  if (filter === undefined) return request;
  const restricted = restrictFilterToType(filter, state.context.registry, type);
  if (restricted === false) return undefined;
  if (restricted === true) return request;
  validateFilter(restricted, state.context.registry, type);
  return { ...request, params: { ...request.params, filter: restricted } };
}

/** POST /.search at the root: each resource type in turn (users, then groups), with index paging (RFC 7644 §3.4.3). */
export function registerRootSearch(app: FastifyInstance, resources: readonly ResourceEndpoint<unknown>[], limits: PageLimits): void {
  endpoint(app, '/.search', {
    POST: async (request, reply) => {
      const state = scimState(request);
      const body = readSearchRequest(request.body);
      if (body.sortBy !== undefined || body.cursor !== undefined) {
        throw new InvalidValueError('A search at the root supports filter and index paging only; search /Users or /Groups to sort or use cursors.');
      }
      const filter = typeof body.filter === 'string' && body.filter.trim() !== '' ? parseFilterOrThrow(body.filter, limits.filter) : undefined;
      // Every type's request is read (and refused, if it must be) before any is searched.
      const offered = resources.filter((resource) => resource.offered?.(state.context) ?? true);
      const searches = offered.map((resource) => ({ resource, listRequest: listRequestFor(body, filter, state, resource.resourceType, limits) }));
      const paging = readListRequest({ count: body.count, startIndex: body.startIndex }, state.context.registry, userResourceType, limits);
      const startIndex = paging.startIndex ?? 1;
      let wanted = paging.params.limit;
      let offset = startIndex - 1;
      const found: JsonObject[] = [];
      let total = 0;
      for (const { resource, listRequest } of searches) {
        if (listRequest === undefined) continue;
        const projection = readProjection(body, state.context.registry, resource.resourceType);
        const params = { ...listRequest.params, offset, limit: wanted };
        const page = await guardedList(limits.guard, state.context, params, (bounded) => resource.list(state.context, bounded, projection));
        found.push(...page.views.map((view) => showResource(resource, view, state, projection)));
        total += page.total;
        wanted -= page.views.length;
        offset = Math.max(0, offset - page.total);
      }
      return sendScim(reply, listResponse(found, total, { startIndex }));
    },
  });
}
