import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { groupResourceType, userResourceType } from '../../schema/registry.js';
import { URN } from '../../schema/urns.js';
import { readBulkRequest } from '../../scim/bulk/request.js';
import { runBulk, type BulkExecutor, type BulkResult, type ExecutableOperation, type Written } from '../../scim/bulk/run.js';
import type { BulkLimits } from '../../scim/bulk/types.js';
import { InternalError, InvalidSyntaxError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../../scim/errors.js';
import type { JsonObject } from '../../scim/json.js';
import type { ScimContext } from '../../service/context.js';
import { etagOf } from '../../service/preconditions.js';
import type { Services } from '../../service/services.js';
import { errorBody, scimErrorHandler } from './error-handler.js';
import { scimState, sendScim } from './routing.js';

/** The resource's id and version after a write. */
interface Saved {
  readonly id: string;
  readonly version: number;
}

/** One resource type's writes, as bulk operations call them. */
interface BulkResource {
  create(context: ScimContext, body: JsonObject): Promise<Saved>;
  replace(context: ScimContext, id: string, body: JsonObject, ifMatch: string | undefined): Promise<Saved>;
  patch(context: ScimContext, id: string, body: JsonObject, ifMatch: string | undefined): Promise<Saved>;
  remove(context: ScimContext, id: string, ifMatch: string | undefined): Promise<void>;
  /** What a PATCH answers when sent alone: Users 200 with the resource, Groups 204 (resource-routes.ts). */
  readonly patchStatus: number;
}

/** The same service calls as the single-resource routes (plugin.ts), so validation, events and policies match. */
function bulkResources(services: Services): ReadonlyMap<string, BulkResource> {
  const { users, groups } = services;
  const saved = (view: { record: Saved }): Saved => ({ id: view.record.id, version: view.record.version });
  // Nothing of a group is shown in a bulk response, so its members are never read back.
  const noMemberships = { withMemberships: false };
  return new Map<string, BulkResource>([
    [
      userResourceType.endpoint,
      {
        create: async (context, body) => saved(await users.create(context, body)),
        replace: async (context, id, body, ifMatch) => saved(await users.replace(context, id, body, ifMatch)),
        patch: async (context, id, body, ifMatch) => saved(await users.patch(context, id, body, ifMatch)),
        remove: (context, id, ifMatch) => users.remove(context, id, ifMatch),
        patchStatus: 200,
      },
    ],
    [
      groupResourceType.endpoint,
      {
        create: async (context, body) => saved(await groups.create(context, body)),
        replace: async (context, id, body, ifMatch) => saved(await groups.replace(context, id, body, ifMatch)),
        patch: async (context, id, body, ifMatch) => saved(await groups.patch(context, id, body, ifMatch, noMemberships)),
        remove: (context, id, ifMatch) => groups.remove(context, id, ifMatch),
        patchStatus: 204,
      },
    ],
  ]);
}

function executorFor(request: FastifyRequest, resources: ReadonlyMap<string, BulkResource>): BulkExecutor {
  const { context, baseUrl } = scimState(request);
  const written = (status: number, saved: Saved): Written => ({ status, id: saved.id, version: etagOf(saved.version) });
  return {
    async execute(operation: ExecutableOperation): Promise<Written> {
      const resource = resources.get(operation.endpoint);
      if (resource === undefined) throw new NotFoundError(`No SCIM endpoint ${operation.endpoint}.`);
      const { id, data, ifMatch } = operation;
      if (operation.method === 'POST') {
        if (data === undefined) throw new InvalidSyntaxError('POST needs "data".');
        return written(201, await resource.create(context, data));
      }
      if (id === undefined) throw new MethodNotAllowedError(`${operation.method} needs a resource path.`);
      switch (operation.method) {
        case 'PUT':
          if (data === undefined) throw new InvalidSyntaxError('PUT needs "data".');
          return written(200, await resource.replace(context, id, data, ifMatch));
        case 'PATCH':
          if (data === undefined) throw new InvalidSyntaxError('PATCH needs "data".');
          return written(resource.patchStatus, await resource.patch(context, id, data, ifMatch));
        case 'DELETE':
          await resource.remove(context, id, ifMatch);
          return { status: 204, id, version: undefined };
      }
    },
    location: (endpoint, id) => `${baseUrl}${endpoint}/${encodeURIComponent(id)}`,
    unexpected(error) {
      request.log.error({ err: error }, 'SCIM bulk operation failed');
      return new InternalError('An unexpected error occurred; it has been logged.');
    },
  };
}

/** One entry of the BulkResponse's Operations (RFC 7644 §3.7.3); status is a string as in the RFC's examples. */
function renderResult(result: BulkResult): JsonObject {
  return {
    ...(result.location === undefined ? {} : { location: result.location }),
    ...(result.method === undefined ? {} : { method: result.method }),
    ...(result.bulkId === undefined ? {} : { bulkId: result.bulkId }),
    ...(result.version === undefined ? {} : { version: result.version }),
    status: String(result.status),
    ...(result.error === undefined ? {} : { response: errorBody(result.error) }),
  };
}

const OTHER_METHODS: readonly HTTPMethods[] = ['GET', 'PUT', 'PATCH', 'DELETE'];

/**
 * POST /Bulk (RFC 7644 §3.7). The route's body limit is maxPayloadSize, and a larger body
 * answers 413 naming that limit (§3.7.4); other methods answer 405.
 */
export function registerBulkRoute(app: FastifyInstance, services: Services, limits: BulkLimits): void {
  const resources = bulkResources(services);
  const endpoints = [...resources.keys()];
  app.route({
    method: 'POST',
    url: '/Bulk',
    bodyLimit: limits.maxPayloadSize,
    errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
      const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
      const answer = tooLarge ? new PayloadTooLargeError(`The size of the bulk request exceeds maxPayloadSize (${limits.maxPayloadSize} bytes).`) : error;
      void scimErrorHandler(answer, request, reply);
    },
    handler: async (request, reply) => {
      const bulk = readBulkRequest(request.body, { maxOperations: limits.maxOperations, endpoints });
      const results = await runBulk(bulk, executorFor(request, resources));
      // The whole job was processed, whatever each operation's outcome: 200 (RFC 7644 §3.7).
      return sendScim(reply, { schemas: [URN.bulkResponse], Operations: results.map(renderResult) });
    },
  });
  for (const method of OTHER_METHODS) {
    app.route({
      method,
      url: '/Bulk',
      handler: () => Promise.reject(new MethodNotAllowedError(`${method} is not supported on /Bulk; use POST.`)),
    });
  }
}
