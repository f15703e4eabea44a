import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { after, before } from 'node:test';
import { adminClient, type AdminApi, type ApiResponse } from '../support/admin-client.js';
import type { TestEngine } from '../support/engines.js';
import { GROUP_SCHEMA, startServer, userBody, type Json, type ScimResponse, type TestServer } from '../support/scim-client.js';

type Method = InjectOptions['method'];

/** One fresh tenant, reached through the real SCIM and management APIs. */
export interface PolicyTenant {
  readonly id: string;
  token: string;
  /** A SCIM request with the tenant's token; `path` is relative to its base URL. */
  scim(method: Method, path: string, body?: unknown): Promise<ScimResponse>;
  /** A management API request; `path` is relative to `/api/v1/tenants/{id}`. */
  readonly api: (method: Method, path: string, body?: unknown) => Promise<ApiResponse>;
  /** PATCH the tenant's settings; asserts success and returns the settings in force. */
  settings(patch: Json): Promise<Json>;
  createUser(userName: string, extra?: Json): Promise<string>;
  createGroup(displayName: string, membershipIds?: readonly string[]): Promise<string>;
  addToGroup(groupId: string, userIds: readonly string[]): Promise<void>;
  removeFromGroup(groupId: string, userIds: readonly string[]): Promise<void>;
  member(userId: string): Promise<Json>;
  members(query?: string): Promise<Json[]>;
  events(): Promise<{ type: string; payload: Json }[]>;
  /** Issues a new SCIM token (after re-enabling SCIM) and uses it from now on. */
  newToken(): Promise<void>;
}

export type Admin = AdminApi;

/** The server of a describe block and its management client: started before its tests, closed after them. */
export interface PolicyServer {
  readonly server: TestServer;
  readonly admin: Admin;
  /** `newTenant` on this server. */
  tenant(name?: string, extra?: Json): Promise<PolicyTenant>;
}

/** Registers the block's `before` and `after`; read `server` and `admin` in tests, not while declaring them. */
export function policyServer(engine: TestEngine): PolicyServer {
  let started: { server: TestServer; admin: Admin } | undefined;
  const get = (): { server: TestServer; admin: Admin } => {
    if (started === undefined) throw new Error('policyServer: the server starts in before()');
    return started;
  };
  before(async () => {
    const server = await startServer(engine);
    started = { server, admin: await adminClient(server) };
  });
  after(() => get().server.close());
  return {
    get server() {
      return get().server;
    },
    get admin() {
      return get().admin;
    },
    tenant: (name, extra) => newTenant(get().server, get().admin, name, extra),
  };
}

/** Makes a tenant through the management API, with a token, and returns its client. */
export async function newTenant(server: TestServer, admin: Admin, name = 'Tenant', extra: Json = {}): Promise<PolicyTenant> {
  const created = await admin('POST', '/tenants', { name, ...extra });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = String(created.body.id);
  const issue = async (): Promise<string> => {
    const issued = await admin('POST', `/tenants/${id}/tokens`, { name: 'idp' });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return String(issued.body.token);
  };
  const tenant: PolicyTenant = {
    id,
    token: await issue(),
    scim: (method, path, body) => server.request(method, `/scim/v2/${id}${path}`, body, { authorization: `Bearer ${tenant.token}` }),
    api: (method, path, body) => admin(method, `/tenants/${id}${path}`, body),
    async settings(patch) {
      const response = await admin('PATCH', `/tenants/${id}`, { settings: patch });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.settings as Json;
    },
    async createUser(userName, extra = {}) {
      const response = await tenant.scim('POST', '/Users', userBody(userName, extra));
      assert.equal(response.status, 201, response.text);
      return String(response.body.id);
    },
    async createGroup(displayName, membershipIds = []) {
      const response = await tenant.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName, members: membershipIds.map((value) => ({ value })) });
      assert.equal(response.status, 201, response.text);
      return String(response.body.id);
    },
    async addToGroup(groupId, userIds) {
      const response = await tenant.scim('PATCH', `/Groups/${groupId}`, patchOp([{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }]));
      assert.ok(response.status === 200 || response.status === 204, response.text);
    },
    async removeFromGroup(groupId, userIds) {
      const response = await tenant.scim('PATCH', `/Groups/${groupId}`, patchOp(userIds.map((value) => ({ op: 'remove', path: `members[value eq "${value}"]` }))));
      assert.ok(response.status === 200 || response.status === 204, response.text);
    },
    async member(userId) {
      const response = await admin('GET', `/tenants/${id}/members/${userId}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body;
    },
    async members(query = '') {
      const response = await admin('GET', `/tenants/${id}/members${query}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.members as Json[];
    },
    async events() {
      const events = await server.store.read.events.list(id, 0, 10_000);
      return events.map((event) => ({ type: event.type, payload: event.payload }));
    },
    async newToken() {
      tenant.token = await issue();
    },
  };
  return tenant;
}

export function patchOp(operations: readonly Json[]): Json {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations };
}

/** A PATCH body setting `active`. */
export function setActive(active: boolean): Json {
  return patchOp([{ op: 'replace', path: 'active', value: active }]);
}
