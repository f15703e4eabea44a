import Fastify, { type FastifyInstance } from 'fastify';
import type { ScimCapabilities } from '../scim/discovery.js';
import type { Services } from '../service/services.js';
import { scimPlugin } from './scim/plugin.js';

export interface AppOptions {
  readonly services: Services;
  /** scheme://host[:port] the public sees; meta.location and printed URLs use it. */
  readonly publicUrl?: string;
  /** pino level, or false for no request logging. */
  readonly logLevel?: string | false;
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  readonly pageSize?: { readonly default: number; readonly max: number };
}

export const DEFAULT_BODY_LIMIT = 1_048_576;

function capabilitiesOf(options: AppOptions): ScimCapabilities {
  return {
    documentationUri: 'https://github.com/roster-scim/roster#readme',
    patch: true,
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
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
  });
  const capabilities = capabilitiesOf(options);
  const scim = { services: options.services, capabilities, publicUrl: options.publicUrl };
  await app.register(scimPlugin, { ...scim, prefix: '/scim/v2' });
  await app.register(scimPlugin, { ...scim, prefix: '/scim/v2/:tenantId' });

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
