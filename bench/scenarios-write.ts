import type { JsonObject } from '../src/scim/json.js';
import { userBody } from './people.js';
import { rosterTarget, type BenchContext, type Scenario, type ScimTarget } from './scenario.js';
import { managerIndexOf } from './seed.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

function randomIndex(users: number): number {
  return Math.floor(Math.random() * users);
}

/** A body as user `index` was seeded (same manager), with a new title. */
function seededBody(context: BenchContext, index: number, title: string): JsonObject {
  const manager = managerIndexOf(index);
  const managerId = manager === undefined ? undefined : context.manifest.userIds[manager];
  return userBody(index, { title, ...(managerId === undefined ? {} : { managerId }) });
}

/** PATCH replacing one attribute (title) of a random user, as Entra sends it. */
export function userPatchScenario(context: BenchContext, target: ScimTarget = rosterTarget(context), id = 'user-patch'): Scenario {
  const { servers, userIds, users } = target;
  return {
    id,
    title: `PATCH /Users/{id} replace title${servers.length > 1 ? ` (${servers.length} processes)` : ''}`,
    servers,
    headers: target.headers,
    load: {
      connections: context.options.connections,
      next: () => {
        const body = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: `Title ${Math.floor(Math.random() * 1e9)}` }] };
        return { request: { method: 'PATCH', path: `${target.base}/Users/${userIds[randomIndex(users)] ?? ''}`, body: JSON.stringify(body) } };
      },
    },
  };
}

/** PUT of a whole random user (its seeded attributes with a new title), as Okta sends updates. */
export function userPutScenario(context: BenchContext): Scenario {
  const { userIds, users } = context.manifest;
  return {
    id: 'user-put',
    title: 'PUT /Users/{id} (whole user, new title)',
    servers: context.roster.slice(0, 1),
    load: {
      connections: context.options.connections,
      next: () => {
        const index = randomIndex(users);
        const body = seededBody(context, index, `Principal ${Math.floor(Math.random() * 1e9)}`);
        return { request: { method: 'PUT', path: `${context.base}/Users/${userIds[index] ?? ''}`, body: JSON.stringify(body) } };
      },
    },
  };
}

/** POST /Users of new, realistic users (each with its user.created event in the same transaction). */
export function userPostScenario(context: BenchContext, target: ScimTarget = rosterTarget(context)): Scenario {
  let counter = 0;
  const salt = `n${context.runId}x`;
  return {
    id: 'user-post',
    title: 'POST /Users (new user + its event)',
    servers: target.servers,
    headers: target.headers,
    load: {
      connections: context.options.connections,
      next: () => {
        counter += 1;
        return { request: { method: 'POST', path: `${target.base}/Users`, body: JSON.stringify(userBody(counter, { salt })) }, expect: [201] };
      },
    },
  };
}

/** Operations per /Bulk request. */
export const BULK_OPERATIONS = 1000;

/** A /Bulk request of `operations` operations: half new users, half PATCHes of existing ones. */
export function bulkBody(context: BenchContext, operations: number, batch: number): string {
  const { userIds, users } = context.manifest;
  const salt = `b${context.runId}x${batch}x`;
  const list: JsonObject[] = [];
  for (let i = 0; i < operations; i += 1) {
    if (i % 2 === 0) {
      list.push({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: userBody(i, { salt }) });
    } else {
      const value = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `Bulk ${batch}.${i}` }] };
      list.push({ method: 'PATCH', path: `/Users/${userIds[randomIndex(users)] ?? ''}`, data: value });
    }
  }
  // No failOnErrors: every operation is attempted, as IdPs' initial syncs do.
  return JSON.stringify({ schemas: [BULK_REQUEST], Operations: list });
}

/** Sequential /Bulk requests of 1,000 operations (500 POST, 500 PATCH) on one connection. */
export function bulkScenario(context: BenchContext, operations: number): Scenario {
  let batch = 0;
  let operationsDone = 0;
  let operationsFailed = 0;
  return {
    id: 'bulk-1000',
    title: `POST /Bulk with ${operations.toLocaleString('en-US')} operations (1 connection)`,
    servers: context.roster.slice(0, 1),
    warmupMs: 0,
    load: {
      connections: 1,
      maxRequests: 20,
      next: () => {
        batch += 1;
        return {
          request: { method: 'POST', path: `${context.base}/Bulk`, body: bulkBody(context, operations, batch) },
          keepBody: true,
          after: (response) => {
            // Each operation's result carries its status (RFC 7644 §3.7.3).
            const statuses = response.body?.match(/"status"\s*:\s*"?\d{3}/g) ?? [];
            operationsDone += statuses.length;
            operationsFailed += statuses.filter((status) => !/2\d\d$/.test(status)).length;
          },
        };
      },
    },
    before: () => {
      operationsDone = 0;
      operationsFailed = 0;
      return Promise.resolve();
    },
    notes: (result) =>
      Promise.resolve([
        `${(result.ok * operations / result.seconds).toFixed(0)} operations/s; ${operationsDone} operation results, ${operationsFailed} of them failed`,
      ]),
  };
}
