// roster-scim-client: typed calls for Roster's whole management API (openapi-fetch over the
// types openapi-typescript makes from the server's OpenAPI document, api-types.ts), and the
// verification of Roster's webhooks returning typed events (webhooks.ts).
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './api-types.js';

export type { components, operations, paths } from './api-types.js';
export * as webhooks from './webhooks.js';

/** Every named schema of the management API: `Schemas['Member']`, `Schemas['Tenant']` … */
export type Schemas = components['schemas'];
/** Any event of the feed or a webhook; narrow it on `type`. */
export type RosterEvent = Schemas['Event'];
/** The management API's client: `GET`, `POST`, `PATCH`, `DELETE` … on its paths. */
export type RosterClient = Client<paths>;

export interface RosterClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where Roster answers, such as `https://roster.example.com` (the paths start with /api/v1). */
  readonly baseUrl: string;
  /** An operator key (`roster operator-key create`), sent as the bearer token of every call. */
  readonly operatorKey: string;
}

/** A client of the management API authenticated with an operator key. */
export function createRosterClient({ baseUrl, operatorKey, ...options }: RosterClientOptions): RosterClient {
  const client = createClient<paths>({ ...options, baseUrl: baseUrl.replace(/\/+$/, '') });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${operatorKey}`);
      return request;
    },
  });
  return client;
}
