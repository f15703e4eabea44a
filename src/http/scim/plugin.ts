import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { InvalidSyntaxError, InvalidValueError, NotFoundError, UnsupportedOperationError } from '../../scim/errors.js';
import type { ScimCapabilities } from '../../scim/discovery.js';
import type { Services } from '../../service/services.js';
import { scimAuthenticator, type ScimRequestState } from './auth.js';
import { registerBulkRoute } from './bulk-route.js';
import { registerDiscoveryRoutes } from './discovery-routes.js';
import { registerRequestLog } from './request-log.js';
import type { RosterMetrics } from '../metrics/roster-metrics.js';
import { enforceRateLimit } from './rate-limit.js';
import { jsonNestingExceeds } from '../json-depth.js';
import type { FilterParseLimits } from '../../scim/filter/parser.js';
import type { RateLimiter } from '../../service/rate-limiter.js';
import type { ListGuard } from './list-guard.js';
import type { ResourceLimits } from '../../limits.js';
import { scimErrorHandler } from './error-handler.js';
import { registerResourceRoutes, type ResourceEndpoint } from './resource-routes.js';
import { groupEndpoint } from './resources/groups.js';
import { userEndpoint } from './resources/users.js';
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
  /** Lists' deadline and per-tenant concurrency; none when undefined. */
  readonly list?: ListGuard | undefined;
  /** Sizes of resources and PATCH requests; the defaults when undefined. */
  readonly resource?: ResourceLimits | undefined;
}

const SCIM_MEDIA_TYPES = ['application/json', 'application/scim+json'];
/** PostgreSQL text cannot hold U+0000, so no engine stores it: refused wherever it comes. */
const NUL_REFUSED = 'Strings may not contain the NUL character (U+0000).';

/** Whether a parsed JSON value has U+0000 in any string or key. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  return false;
}
const DEFAULT_JSON_MAX_DEPTH = 32;

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
    void parseJson(request, body, (error, value) => {
      // JSON text can only put U+0000 in a string as the escape `\u0000` (a raw one is a
      // syntax error): without it in the text, the walk over a large body is skipped.
      if (error === null && body.includes('\\u0000') && holdsNul(value)) done(new InvalidValueError(NUL_REFUSED));
      else done(error, value);
    });
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(SCIM_MEDIA_TYPES, { parseAs: 'string' }, parser);
  app.addContentTypeParser('*', { parseAs: 'string' }, parser);
}

/** The SCIM API under one base path. Registered once per URL form. */
export const scimPlugin: FastifyPluginAsync<ScimPluginOptions> = (app, options) => {
  const { services, capabilities, publicUrl, guards } = options;
  registerBodyParsers(app, guards?.jsonMaxDepth ?? DEFAULT_JSON_MAX_DEPTH);
  app.decorateRequest('scim', null);
  app.decorateRequest('scimError', null);
  app.setErrorHandler(scimErrorHandler);
  const authenticate = scimAuthenticator(services.tokens, publicUrl, guards?.resource);
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url)) throw new InvalidValueError(NUL_REFUSED);
    request.scim = await authenticate(request);
    if (guards?.rateLimiter !== undefined) await enforceRateLimit(guards.rateLimiter, request.scim, request);
  });
  app.setNotFoundHandler(() => {
    throw new NotFoundError('No such SCIM endpoint.');
  });
  registerRequestLog(app, services, options.metrics);

  const limits = { ...capabilities.pagination, filter: guards?.filter, guard: guards?.list };
  // One declaration per resource type, used by its routes, the root search and /Bulk alike.
  const resources: readonly ResourceEndpoint<unknown>[] = [userEndpoint(services.users), groupEndpoint(services.groups)];
  for (const resource of resources) registerResourceRoutes(app, resource, limits);
  registerRootSearch(app, resources, limits);
  registerBulkRoute(app, resources, capabilities.bulk, services.store);
  registerDiscoveryRoutes(app, capabilities);
  // RFC 7644 §3.11: /Me needs a user subject; Roster's tokens belong to the IdP, not a user.
  endpoint(app, '/Me', {
    GET: () => Promise.reject(new UnsupportedOperationError('/Me is not supported: SCIM tokens identify an identity provider, not a user.')),
  });
  return Promise.resolve();
};
