import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import { createServices, type ServiceOptions, type Services } from '../../src/service/services.js';
import type { Store } from '../../src/store/store.js';
import type { TestEngine } from './engines.js';

export type Json = Record<string, unknown>;

export interface ScimResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: Json;
  readonly text: string;
}

/** A running Roster (in-process, through app.inject) with one tenant and its token. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly store: Store;
  readonly tenantId: string;
  readonly token: string;
  /** `/scim/v2/{tenantId}` */
  readonly base: string;
  /** A SCIM request with the tenant's token; `path` is relative to `base` unless it starts with /scim/. */
  request(method: InjectOptions['method'], path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimResponse>;
  /** Creates another tenant with a token, for isolation tests. */
  addTenant(name: string): Promise<{ tenantId: string; token: string }>;
  close(): Promise<void>;
}

/** `options` adds to or overrides buildApp's (limits, logging), `serviceOptions` createServices', for the tests that need them. */
export async function startServer(engine: TestEngine, options: Partial<Omit<AppOptions, 'services'>> = {}, serviceOptions: ServiceOptions = {}): Promise<TestServer> {
  const store = await engine.open();
  const services = createServices(store, serviceOptions);
  const app = await buildApp({ services, publicUrl: 'https://roster.test', ...options });
  const addTenant = async (name: string): Promise<{ tenantId: string; token: string }> => {
    const tenant = await services.tenants.create(name);
    const issued = await services.tokens.issue(tenant.id, { name: 'test' });
    return { tenantId: tenant.id, token: issued.secret };
  };
  const { tenantId, token } = await addTenant('Acme');
  const base = `/scim/v2/${tenantId}`;
  return {
    app,
    services,
    store,
    tenantId,
    token,
    base,
    async request(method, path, body, headers = {}) {
      // Paths under /scim/ are absolute; anything else is relative to the tenant's base URL.
      const url = path.startsWith('/scim/') ? path : `${base}${path}`;
      const response = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      let parsed: Json = {};
      if (response.body !== '') parsed = JSON.parse(response.body) as Json;
      return { status: response.statusCode, headers: response.headers, body: parsed, text: response.body };
    },
    addTenant,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/**
 * Waits until the provisioning log holds the requests made so far: an entry is completed after
 * its response is sent (onResponse), a moment later, and the recorder writes in batches.
 */
export async function flushProvisioningLog(server: TestServer): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  await server.services.provisioningLog.recorder.flush();
}

/** Asserts a SCIM error response: status (as number and string), scimType, SCIM media type. */
export function assertScimError(response: ScimResponse, status: number, scimType?: string): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
  assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(response.body.status, String(status));
  assert.equal(response.body.scimType, scimType);
  assert.equal(typeof response.body.detail, 'string');
  assert.match(String(response.headers['content-type']), /^application\/scim\+json/);
  assert.doesNotMatch(response.text, /\bat .+\.(ts|js):\d+/, 'error bodies carry no stack trace');
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export function userBody(userName: string, extra: Json = {}): Json {
  return { schemas: [USER_SCHEMA], userName, name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: userName, type: 'work', primary: true }], ...extra };
}
