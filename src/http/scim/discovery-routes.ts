import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../scim/errors.js';
import { listResponse, resourceTypeResources, schemaResource, serviceProviderConfig, type ScimCapabilities } from '../../scim/discovery.js';
import { groupResourceType } from '../../schema/registry.js';
import type { SchemaDefinition } from '../../schema/types.js';
import type { ScimRequestState } from './auth.js';
import { endpoint, scimState, sendScim } from './routing.js';

/** RFC 7644 §4: discovery ignores paging and answers 403 to a filter. */
function refuseFilter(request: FastifyRequest): void {
  if ((request.query as Record<string, unknown>).filter !== undefined) {
    throw new ForbiddenError('Discovery endpoints do not support filtering.');
  }
}

/** The tenant's resource types: a tenant that takes Users only (`groupsEnabled` false, seed 004) shows no Group. */
function offeredTypes(state: ScimRequestState) {
  const types = resourceTypeResources(state.context.registry, state.baseUrl);
  return state.context.tenant.settings.groupsEnabled ? types : types.filter((type) => type.id !== groupResourceType.id);
}

/** The tenant's schemas: without groups (`groupsEnabled` false) the Group schema is not offered either. */
function offeredSchemas(state: ScimRequestState): readonly SchemaDefinition[] {
  const schemas = state.context.registry.schemas();
  return state.context.tenant.settings.groupsEnabled ? schemas : schemas.filter((schema) => schema.id !== groupResourceType.schema);
}

export function registerDiscoveryRoutes(app: FastifyInstance, capabilities: ScimCapabilities): void {
  endpoint(app, '/ServiceProviderConfig', {
    GET: async (request, reply) => {
      refuseFilter(request);
      const state = scimState(request);
      return sendScim(reply, serviceProviderConfig(capabilities, `${state.baseUrl}/ServiceProviderConfig`));
    },
  });

  endpoint(app, '/ResourceTypes', {
    GET: async (request, reply) => {
      refuseFilter(request);
      const state = scimState(request);
      const types = offeredTypes(state);
      return sendScim(reply, listResponse(types, types.length, { startIndex: 1 }));
    },
  });

  endpoint(app, '/ResourceTypes/:id', {
    GET: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const type = state.context.registry.resourceType(id);
      const found = offeredTypes(state).find((resource) => resource.id === type?.id);
      if (found === undefined) throw new NotFoundError(`Resource type ${id} not found.`);
      return sendScim(reply, found);
    },
  });

  endpoint(app, '/Schemas', {
    GET: async (request, reply) => {
      refuseFilter(request);
      const state = scimState(request);
      const schemas = offeredSchemas(state).map((schema) => schemaResource(schema, `${state.baseUrl}/Schemas/${schema.id}`));
      return sendScim(reply, listResponse(schemas, schemas.length, { startIndex: 1 }));
    },
  });

  endpoint(app, '/Schemas/:id', {
    GET: async (request, reply) => {
      const state = scimState(request);
      const { id } = request.params as { id: string };
      const schema = offeredSchemas(state).find((offered) => offered.id === state.context.registry.schema(id)?.id);
      if (schema === undefined) throw new NotFoundError(`Schema ${id} not found.`);
      return sendScim(reply, schemaResource(schema, `${state.baseUrl}/Schemas/${schema.id}`));
    },
  });
}
