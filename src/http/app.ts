import Fastify, { type FastifyInstance } from 'fastify';
import type { ScimCapabilities } from '../scim/discovery.js';
import type { Services } from '../service/services.js';
import { adminApiPlugin } from './admin/plugin.js';
import { scimPlugin } from './scim/plugin.js';
import { consolePlugin } from './console/plugin.js';
import swagger from '@fastify/swagger';

export interface AppOptions {
  readonly services: Services;
  /** scheme://host[:port] the public sees; meta.location and printed URLs use it. */
  readonly publicUrl?: string;
  /** pino level, or false for no request logging. */
  readonly logLevel?: string | false;
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  readonly pageSize?: { readonly default: number; readonly max: number };
  /** /Bulk limits (RFC 7644 §3.7.4), advertised in ServiceProviderConfig and enforced. */
  readonly bulk?: { readonly maxOperations?: number; readonly maxPayloadSize?: number };
}

export const DEFAULT_BODY_LIMIT = 1_048_576;
/** The RFC 7644 §5 example values: 1,000 operations, and the 1 MiB any other request may have. */
const DEFAULT_BULK_MAX_OPERATIONS = 1000;
const DEFAULT_BULK_MAX_PAYLOAD_SIZE = 1_048_576;

function capabilitiesOf(options: AppOptions): ScimCapabilities {
  return {
    documentationUri: 'https://github.com/roster-scim/roster#readme',
    patch: true,
    bulk: {
      supported: true,
      maxOperations: options.bulk?.maxOperations ?? DEFAULT_BULK_MAX_OPERATIONS,
      maxPayloadSize: options.bulk?.maxPayloadSize ?? DEFAULT_BULK_MAX_PAYLOAD_SIZE,
    },
    filterMaxResults: options.pageSize?.max ?? 1000,
    sort: true,
    etag: true,
    pagination: { cursor: true, index: true, defaultPageSize: options.pageSize?.default ?? 100, maxPageSize: options.pageSize?.max ?? 1000 },
  };
}

/** Builds the whole HTTP application without listening, so tests can inject requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === false || options.logLevel === undefined ? false : { level: options.logLevel },
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // IdPs differ on whether a configured base URL ends in a slash.
    routerOptions: { ignoreTrailingSlash: true },
    // Unknown properties in management API bodies are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // The OpenAPI document covers the management API only: its routes carry tags, SCIM's do not.
  await app.register(swagger, {
    openapi: {
      info: { title: 'Roster management API', version: '1', description: 'Tenants, tokens and settings. Errors: docs/api-errors.md.' },
      components: { securitySchemes: { operatorKey: { type: 'http', scheme: 'bearer', description: 'An operator key from `roster operator-key create`.' } } },
    },
    hideUntagged: true,
  });
  await app.register(adminApiPlugin, { prefix: '/api/v1', services: options.services, publicUrl: options.publicUrl });
  const capabilities = capabilitiesOf(options);
  const scim = { services: options.services, capabilities, publicUrl: options.publicUrl };
  await app.register(scimPlugin, { ...scim, prefix: '/scim/v2' });
  await app.register(scimPlugin, { ...scim, prefix: '/scim/v2/:tenantId' });
  // The admin console (web/), a single-page app over the management API.
  await app.register(consolePlugin);

  app.get('/healthz', () => ({ status: 'ok' }));
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
