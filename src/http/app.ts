import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { DEFAULT_LIMITS, type ListLimits, type ResourceLimits } from '../limits.js';
import { TenantListGate } from '../service/list-gate.js';
import type { ScimCapabilities } from '../scim/discovery.js';
import type { FilterParseLimits } from '../scim/filter/parser.js';
import { MemoryRateCounters, RateLimiter, type RateLimits } from '../service/rate-limiter.js';
import type { Services } from '../service/services.js';
import { adminApiPlugin } from './admin/plugin.js';
import { Event } from './admin/event-schemas.js';
import { registerDepthLimitedJson } from './json-depth.js';
import { frameworkErrorHandler } from './framework-errors.js';
import { loggerOptions, type LogDestination } from './logging.js';
import { openApiComponents } from './openapi-components.js';
import { scimPlugin } from './scim/plugin.js';
import type { RosterMetrics } from './metrics/roster-metrics.js';
import { metricsFor, registerMetricsRoute } from './metrics/route.js';
import { consolePlugin } from './console/plugin.js';
import swagger from '@fastify/swagger';

/** Options of the HTTP application; a limit left out is its default in src/limits.ts. */
export interface AppOptions {
  readonly services: Services;
  /** scheme://host[:port] the public sees; meta.location and printed URLs use it. */
  readonly publicUrl?: string;
  /** Fastify's `trustProxy`: whose X-Forwarded-For gives the client address (ROSTER_TRUST_PROXY). */
  readonly trustProxy?: boolean | number | string | undefined;
  /** pino level, or false for no request logging. */
  readonly logLevel?: string | false;
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  readonly pageSize?: { readonly default: number; readonly max: number };
  /** /Bulk limits (RFC 7644 §3.7.4), advertised in ServiceProviderConfig and enforced. */
  readonly bulk?: { readonly maxOperations?: number; readonly maxPayloadSize?: number };
  /** Prometheus metrics, served at /metrics; made from the services when not given. */
  readonly metrics?: RosterMetrics;
  /** Deepest nesting of arrays and objects in a JSON body; deeper is 400. */
  readonly jsonMaxDepth?: number;
  /** Longest and deepest `filter` accepted (400 invalidFilter beyond); the parser's defaults when unset. */
  readonly filter?: FilterParseLimits;
  /** Per-token and per-tenant SCIM request limit (429 beyond); unset, no limit. */
  readonly rateLimit?: RateLimits;
  /** Lists' deadline and per-tenant concurrency of expensive lists. */
  readonly list?: ListLimits;
  /** Sizes of resources and PATCH requests (400 beyond). */
  readonly resource?: ResourceLimits;
  /** Where log lines go instead of stdout (tests read them). */
  readonly logDestination?: LogDestination;
  /** Called for every route as it is registered (the isolation tests list them all). */
  readonly onRoute?: (route: RouteOptions) => void;
}

function capabilitiesOf(options: AppOptions): ScimCapabilities {
  const pageSize = options.pageSize ?? DEFAULT_LIMITS.pageSize;
  return {
    documentationUri: 'https://github.com/roster-scim/roster#readme',
    patch: true,
    bulk: {
      supported: true,
      maxOperations: options.bulk?.maxOperations ?? DEFAULT_LIMITS.bulk.maxOperations,
      maxPayloadSize: options.bulk?.maxPayloadSize ?? DEFAULT_LIMITS.bulk.maxPayloadSize,
    },
    filterMaxResults: pageSize.max,
    sort: true,
    etag: true,
    pagination: { cursor: true, index: true, defaultPageSize: pageSize.default, maxPageSize: pageSize.max },
  };
}

/** Fastify's `trustProxy` from the setting; a number of hops becomes the function Fastify's types ask for. */
function trustProxyOption(setting: AppOptions['trustProxy']): { trustProxy?: boolean | string | ((address: string, hop: number) => boolean) } {
  if (setting === undefined) return {};
  if (typeof setting === 'number') return { trustProxy: (_address: string, hop: number) => hop < setting };
  return { trustProxy: setting };
}

/** Builds the whole HTTP application without listening, so tests can inject requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel, options.logDestination),
    bodyLimit: options.bodyLimit ?? DEFAULT_LIMITS.bodyLimit,
    ...trustProxyOption(options.trustProxy),
    // IdPs differ on whether a configured base URL ends in a slash.
    // A long schema URN is a valid /Schemas/:id; beyond this a parameter is no id Roster made.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // Refusals Fastify makes before routing answer in the API's own error format.
    frameworkErrors: frameworkErrorHandler,
    // Unknown properties in management API bodies are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute);
  const jsonMaxDepth = options.jsonMaxDepth ?? DEFAULT_LIMITS.jsonMaxDepth;
  registerDepthLimitedJson(app, jsonMaxDepth);
  // The OpenAPI document covers the management API only: its routes carry tags, SCIM's do not.
  const components = openApiComponents([Event]);
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema, as the routes' TypeBox schemas are.
      openapi: '3.1.0',
      info: { title: 'Roster management API', version: '1', description: 'Tenants, tokens and settings. Errors: docs/api-errors.md.' },
      components: { securitySchemes: { operatorKey: { type: 'http', scheme: 'bearer', description: 'An operator key from `roster operator-key create`.' } } },
    },
    hideUntagged: true,
    transform: components.transform,
    transformObject: components.transformObject,
  });
  await app.register(adminApiPlugin, { prefix: '/api/v1', services: options.services, publicUrl: options.publicUrl });
  const capabilities = capabilitiesOf(options);
  // One limiter for both URL forms: a tenant's requests count the same on either.
  const counters = options.services.store.rateCounters ?? new MemoryRateCounters();
  const rateLimiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit, counters);
  // One gate for both URL forms, as for the rate limiter.
  const listLimits = options.list ?? DEFAULT_LIMITS.list;
  const list = { gate: new TenantListGate(listLimits.concurrencyPerTenant), deadlineMs: listLimits.deadlineMs };
  const guards = { jsonMaxDepth, filter: options.filter, rateLimiter: rateLimiter?.enabled === true ? rateLimiter : undefined, list, resource: options.resource };
  const metrics = options.metrics ?? metricsFor(options.services);
  const scim = { services: options.services, capabilities, publicUrl: options.publicUrl, metrics, guards };
  await app.register(scimPlugin, { ...scim, prefix: '/scim/v2' });
  await app.register(scimPlugin, { ...scim, prefix: '/scim/v2/:tenantId' });
  // The admin console (web/), a single-page app over the management API.
  await app.register(consolePlugin);

  app.get('/healthz', () => ({ status: 'ok' }));
  registerMetricsRoute(app, metrics);
  // Log rows of the last requests are written before the store closes.
  app.addHook('onClose', async () => {
    await options.services.provisioningLog.recorder.close();
  });
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.services.store.ping();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  return app;
}
