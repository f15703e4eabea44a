import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { DEFAULT_LIMITS } from '../../limits.js';
import { groupResourceType, userResourceType } from '../../schema/registry.js';
import { InvalidSyntaxError, NotFoundError, UnsupportedOperationError } from '../../scim/errors.js';
import type { ScimCapabilities } from '../../scim/discovery.js';
import type { GroupReadOptions, GroupView } from '../../service/groups.js';
import { projectionShows, type Projection } from '../../scim/projection.js';
import type { Services } from '../../service/services.js';
import type { UserView } from '../../service/users.js';
import { authenticate, type ScimRequestState } from './auth.js';
import { registerBulkRoute } from './bulk-route.js';
import { registerDiscoveryRoutes } from './discovery-routes.js';
import { registerRequestLog } from './request-log.js';
import type { RosterMetrics } from '../metrics/roster-metrics.js';
import { enforceRateLimit } from './rate-limit.js';
import { jsonNestingExceeds } from '../json-depth.js';
import type { FilterParseLimits } from '../../scim/filter/parser.js';
import type { RateLimiter } from '../../service/rate-limiter.js';
import { scimErrorHandler } from './error-handler.js';
import { presentGroup, presentUser } from './present.js';
import { streamGroup } from './group-stream.js';
import { registerResourceRoutes } from './resource-routes.js';
import { registerRootSearch } from './root-search-route.js';
import { endpoint } from './routing.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the SCIM plugin's authentication hook. */
    scim: ScimRequestState | null;
  }
}

export interface ScimPluginOptions {
  readonly services: Services;
  readonly capabilities: ScimCapabilities;
  /** The public origin (scheme://host[:port]) used in meta.location; else taken from the request. */
  readonly publicUrl: string | undefined;
  /** Where SCIM request metrics go; none when undefined. */
  readonly metrics?: RosterMetrics;
  /** Limits on what a client may send (docs/operations.md, "Limits"). */
  readonly guards?: ScimGuards;
}

/** The request limits the SCIM API enforces beyond body size, page size and Bulk. */
export interface ScimGuards {
  /** Deepest nesting of a JSON body; deeper is 400 invalidSyntax. */
  readonly jsonMaxDepth: number;
  /** Longest and deepest `filter`; the parser's defaults when undefined. */
  readonly filter: FilterParseLimits | undefined;
  /** Per-token and per-tenant request limit (429); none when undefined. */
  readonly rateLimiter: RateLimiter | undefined;
}

const SCIM_MEDIA_TYPES = ['application/json', 'application/scim+json'];

/**
 * JSON bodies under either media type, and under none at all (Okta sends some requests
 * without a Content-Type, IdP rule T17). `__proto__` and `constructor.prototype` keys
 * are refused by Fastify's secure parser.
 */
function registerBodyParsers(app: FastifyInstance, maxDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const parser = (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void => {
    if (body.trim() === '') {
      done(null, undefined);
      return;
    }
    if (jsonNestingExceeds(body, maxDepth)) {
      done(new InvalidSyntaxError(`The request body nests arrays and objects deeper than ${maxDepth} levels.`));
      return;
    }
    void parseJson(request, body, done);
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(SCIM_MEDIA_TYPES, { parseAs: 'string' }, parser);
  app.addContentTypeParser('*', { parseAs: 'string' }, parser);
}

/** The SCIM API under one base path. Registered once per URL form. */
export const scimPlugin: FastifyPluginAsync<ScimPluginOptions> = (app, options) => {
  const { services, capabilities, publicUrl, guards } = options;
  registerBodyParsers(app, guards?.jsonMaxDepth ?? DEFAULT_LIMITS.jsonMaxDepth);
  app.decorateRequest('scim', null);
  app.setErrorHandler(scimErrorHandler);
  app.addHook('onRequest', async (request) => {
    request.scim = await authenticate(request, services.tokens, publicUrl);
    if (guards?.rateLimiter !== undefined) await enforceRateLimit(guards.rateLimiter, request.scim, request);
  });
  app.setNotFoundHandler(() => {
    throw new NotFoundError('No such SCIM endpoint.');
  });
  registerRequestLog(app, services, options.metrics);

  const limits = { ...capabilities.pagination, filter: guards?.filter };
  const { users, groups } = services;
  registerResourceRoutes<UserView>(
    app,
    {
      resourceType: userResourceType,
      create: (context, body) => users.create(context, body),
      get: (context, id) => users.get(context, id),
      list: (context, params) => users.list(context, params),
      replace: (context, id, body, ifMatch) => users.replace(context, id, body, ifMatch),
      patch: (context, id, body, ifMatch) => users.patch(context, id, body, ifMatch),
      remove: (context, id, ifMatch) => users.remove(context, id, ifMatch),
      present: presentUser,
      versionOf: (view) => view.record.version,
      idOf: (view) => view.record.id,
      patchAnswer: 'resource',
    },
    limits,
  );
  // A group's members are read only when the response will show them (Entra sends
  // excludedAttributes=members on every group read).
  const memberships = (projection: Projection): GroupReadOptions => ({ withMemberships: projectionShows(projection, 'members') });
  // A plain GET of one group streams its members instead of reading them all first.
  const streams = (projection: Projection): boolean => projection.kind === 'default';
  registerResourceRoutes<GroupView>(
    app,
    {
      resourceType: groupResourceType,
      create: (context, body) => groups.create(context, body),
      get: (context, id, projection) => groups.get(context, id, streams(projection) ? { withMemberships: false } : memberships(projection)),
      streamItem: (view, state, projection) =>
        streams(projection) ? streamGroup(view, groups.membershipPages(state.context, view.record.id)[Symbol.asyncIterator](), state) : undefined,
      list: (context, params, projection) => groups.list(context, params, memberships(projection)),
      replace: (context, id, body, ifMatch) => groups.replace(context, id, body, ifMatch),
      patch: (context, id, body, ifMatch, projection) => groups.patch(context, id, body, ifMatch, memberships(projection)),
      remove: (context, id, ifMatch) => groups.remove(context, id, ifMatch),
      present: presentGroup,
      versionOf: (view) => view.record.version,
      idOf: (view) => view.record.id,
      patchAnswer: 'noContent',
    },
    limits,
  );
  registerRootSearch(app, services, limits);
  registerBulkRoute(app, services, capabilities.bulk);
  registerDiscoveryRoutes(app, capabilities);
  // RFC 7644 §3.11: /Me needs a user subject; Roster's tokens belong to the IdP, not a user.
  endpoint(app, '/Me', {
    GET: () => Promise.reject(new UnsupportedOperationError('/Me is not supported: SCIM tokens identify an identity provider, not a user.')),
  });
  return Promise.resolve();
};
