import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { URN } from '../../schema/urns.js';
import { readBulkRequest } from '../../scim/bulk/request.js';
import { runBulk, type BulkExecutor, type BulkResult, type ExecutableOperation, type Written } from '../../scim/bulk/run.js';
import type { BulkLimits } from '../../scim/bulk/types.js';
import { InternalError, InvalidSyntaxError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../../scim/errors.js';
import type { JsonObject } from '../../scim/json.js';
import { etagOf } from '../../service/preconditions.js';
import type { Store } from '../../store/store.js';
import { errorBody, scimErrorHandler, type SentError } from './error-handler.js';
import { SHOWS_NOTHING, type ResourceEndpoint } from './resource-routes.js';
import { scimState, sendScim } from './routing.js';

/** What a bulk operation answers after a write of `resource`. */
function written<View>(resource: ResourceEndpoint<View>, status: number, view: View): Written {
  return { status, id: resource.idOf(view), version: etagOf(resource.versionOf(view)) };
}

/**
 * Runs each operation through the same resource endpoints as the single-resource routes
 * (resources/), so validation, events, policies and PATCH answers match. Nothing of a
 * resource is shown in a bulk response, so nothing is read back for it (a group's members).
 */
function executorFor(request: FastifyRequest, resources: ReadonlyMap<string, ResourceEndpoint<unknown>>, store: Store): BulkExecutor {
  const { context, baseUrl } = scimState(request);
  return {
    group: (work) => store.transactionGroup(work),
    async execute(operation: ExecutableOperation): Promise<Written> {
      const resource = resources.get(operation.endpoint);
      if (resource === undefined) throw new NotFoundError(`No SCIM endpoint ${operation.endpoint}.`);
      const { id, data, ifMatch } = operation;
      if (operation.method === 'POST') {
        if (data === undefined) throw new InvalidSyntaxError('POST needs "data".');
        return written(resource, 201, await resource.create(context, data, SHOWS_NOTHING));
      }
      if (id === undefined) throw new MethodNotAllowedError(`${operation.method} needs a resource path.`);
      switch (operation.method) {
        case 'PUT':
          if (data === undefined) throw new InvalidSyntaxError('PUT needs "data".');
          return written(resource, 200, await resource.replace(context, id, data, ifMatch, SHOWS_NOTHING));
        case 'PATCH':
          if (data === undefined) throw new InvalidSyntaxError('PATCH needs "data".');
          return written(resource, resource.patchAnswer === 'resource' ? 200 : 204, await resource.patch(context, id, data, ifMatch, SHOWS_NOTHING));
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

/** What the provisioning log records of a bulk response: how many operations failed, and the first failure. */
function failureSummary(results: readonly BulkResult[]): SentError | null {
  const failed = results.flatMap((result) => result.error ?? []);
  const first = failed[0];
  if (first === undefined) return null;
  return { scimType: first.scimType ?? null, detail: `${failed.length} of ${results.length} bulk operations failed; first: ${first.detail}` };
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
export function registerBulkRoute(app: FastifyInstance, resourceList: readonly ResourceEndpoint<unknown>[], limits: BulkLimits, store: Store): void {
  const resources = new Map(resourceList.map((resource) => [resource.resourceType.endpoint, resource]));
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
      const results = await runBulk(bulk, executorFor(request, resources, store));
      request.scimError = failureSummary(results);
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
