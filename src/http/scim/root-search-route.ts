import type { FastifyInstance } from 'fastify';
import { groupResourceType, userResourceType } from '../../schema/registry.js';
import { listResponse } from '../../scim/discovery.js';
import { InvalidFilterError, InvalidValueError } from '../../scim/errors.js';
import { parseFilterOrThrow } from '../../scim/filter/parser.js';
import type { JsonObject } from '../../scim/json.js';
import { applyProjection, projectionShows, readProjection } from '../../scim/projection.js';
import type { Services } from '../../service/services.js';
import type { ScimRequestState } from './auth.js';
import { readListRequest, type ListRequest, type PageLimits } from './list-params.js';
import { presentGroup, presentUser } from './present.js';
import { endpoint, scimState, sendScim } from './routing.js';
import { readSearchRequest } from './search-request.js';

/**
 * A resource type's part of a root search, or undefined when the filter names an attribute
 * the type does not have: such a type has no matches (RFC 7644 §3.4.2.1 counts absent
 * attributes as unassigned; Roster keeps it simple and skips the type).
 */
function listRequestFor(body: JsonObject, state: ScimRequestState, type: typeof userResourceType, limits: PageLimits): ListRequest | undefined {
  try {
    return readListRequest(body, state.context.registry, type, limits);
  } catch (error) {
    // The filter's syntax was checked before, so this is about the type's attributes.
    if (error instanceof InvalidFilterError) return undefined;
    throw error;
  }
}

/** POST /.search at the root: users, then groups, with index paging (RFC 7644 §3.4.3). */
export function registerRootSearch(app: FastifyInstance, services: Services, limits: PageLimits): void {
  endpoint(app, '/.search', {
    POST: async (request, reply) => {
      const state = scimState(request);
      const body = readSearchRequest(request.body);
      if (body.sortBy !== undefined || body.cursor !== undefined) {
        throw new InvalidValueError('A search at the root supports filter and index paging only; search /Users or /Groups to sort or use cursors.');
      }
      if (typeof body.filter === 'string' && body.filter.trim() !== '') parseFilterOrThrow(body.filter);
      const users = listRequestFor(body, state, userResourceType, limits);
      const groups = listRequestFor(body, state, groupResourceType, limits);
      if (users === undefined && groups === undefined) throw new InvalidFilterError('The filter names attributes that neither Users nor Groups have.');
      const first = users ?? groups;
      const startIndex = first?.startIndex ?? 1;
      let wanted = first?.params.limit ?? 0;
      let offset = startIndex - 1;
      const resources: JsonObject[] = [];
      let total = 0;
      if (users !== undefined) {
        const projection = readProjection(body, state.context.registry, userResourceType);
        const page = await services.users.list(state.context, { ...users.params, offset, limit: wanted });
        resources.push(...page.views.map((view) => applyProjection(presentUser(view, state), projection, state.context.registry, userResourceType)));
        total += page.total;
        wanted -= page.views.length;
        offset = Math.max(0, offset - page.total);
      }
      if (groups !== undefined) {
        const projection = readProjection(body, state.context.registry, groupResourceType);
        const options = { withMembers: projectionShows(projection, 'members') };
        const page = await services.groups.list(state.context, { ...groups.params, offset, limit: wanted }, options);
        resources.push(...page.views.map((view) => applyProjection(presentGroup(view, state), projection, state.context.registry, groupResourceType)));
        total += page.total;
      }
      return sendScim(reply, listResponse(resources, total, { startIndex }));
    },
  });
}
