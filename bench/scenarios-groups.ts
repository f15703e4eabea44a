import type { HttpRequest } from './http-connection.js';
import { HttpConnection } from './http-connection.js';
import type { SeededGroup } from './manifest.js';
import { rosterTarget, type BenchContext, type Scenario, type ScimTarget } from './scenario.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Which group end a membership scenario works on. */
export type GroupSize = 'small' | 'large';

function groupOf(context: BenchContext, size: GroupSize): SeededGroup {
  return size === 'small' ? context.manifest.smallGroup : context.manifest.largeGroup;
}

function addRequest(context: BenchContext, groupId: string, userId: string): HttpRequest {
  const body = { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] };
  return { method: 'PATCH', path: `${context.base}/Groups/${groupId}`, body: JSON.stringify(body) };
}

function removeRequest(context: BenchContext, groupId: string, userId: string): HttpRequest {
  const body = { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] };
  return { method: 'PATCH', path: `${context.base}/Groups/${groupId}`, body: JSON.stringify(body) };
}

/**
 * The user connection `connection` adds to and removes from the group. For the small group it
 * is a user outside it (from the end of the seeded users); for the large group, one of its
 * members (the first users). Each connection owns its user, so the pairs never collide and the
 * group stays within `connections` of its seeded size.
 */
function ownUser(context: BenchContext, size: GroupSize, connection: number): string {
  const { users, userIds } = context.manifest;
  const index = size === 'small' ? users - 1 - connection : connection;
  return userIds[index] ?? '';
}

/**
 * PATCH adding one member to a group, at 10 or at ~100,000 members. Each connection
 * alternates add and remove of its own user (so the group keeps its size); the scenario's
 * figures are those of the adds.
 */
export function membershipAddScenario(context: BenchContext, size: GroupSize): Scenario {
  const group = groupOf(context, size);
  // Small: the user starts outside the group (add first); large: inside (remove first).
  const inGroup: boolean[] = Array.from({ length: context.options.connections }, () => size === 'large');
  const scenario: Scenario = {
    id: `group-add-${size}`,
    title: `PATCH /Groups/{id} add 1 member, group of ${group.members.toLocaleString('en-US')}`,
    servers: context.roster.slice(0, 1),
    tag: 'add',
    load: {
      connections: context.options.connections,
      next: (connection) => {
        const userId = ownUser(context, size, connection);
        const adding = inGroup[connection] !== true;
        return {
          request: adding ? addRequest(context, group.id, userId) : removeRequest(context, group.id, userId),
          tag: adding ? 'add' : 'remove',
          after: (response) => {
            if (response.status >= 200 && response.status < 300) inGroup[connection] = adding;
          },
        };
      },
    },
    // Puts every connection's user back where the seed had it.
    finish: async () => {
      const server = context.roster[0];
      if (server === undefined) return;
      const connection = await HttpConnection.open('127.0.0.1', server.port, context.headers);
      try {
        for (const [index, member] of inGroup.entries()) {
          const userId = ownUser(context, size, index);
          if (size === 'small' && member) await connection.send(removeRequest(context, group.id, userId));
          if (size === 'large' && !member) await connection.send(addRequest(context, group.id, userId));
        }
      } finally {
        connection.close();
      }
    },
  };
  return scenario;
}

/** GET /Groups/{id}?excludedAttributes=members: should cost the same at any group size. */
export function groupExcludedScenario(context: BenchContext, size: GroupSize, target: ScimTarget = rosterTarget(context)): Scenario {
  const group = target.groups[size];
  if (group === undefined) throw new Error(`no ${size} group was seeded on this server`);
  return {
    id: `group-get-excluded-${size}`,
    title: `GET /Groups/{id}?excludedAttributes=members, group of ${group.members.toLocaleString('en-US')}`,
    servers: target.servers,
    headers: target.headers,
    load: {
      connections: context.options.connections,
      next: () => ({ request: { method: 'GET', path: `${target.base}/Groups/${group.id}?excludedAttributes=members` } }),
    },
  };
}

/** A full GET of the large group, one at a time, to time it and watch the server's RSS during it. */
export function groupFullScenario(context: BenchContext): Scenario {
  const group = context.manifest.largeGroup;
  return {
    id: 'group-get-full-large',
    title: `GET /Groups/{id} with all ${group.members.toLocaleString('en-US')} members (1 connection)`,
    servers: context.roster.slice(0, 1),
    warmupMs: 0,
    load: {
      connections: 1,
      maxRequests: 10,
      next: () => ({ request: { method: 'GET', path: `${context.base}/Groups/${group.id}` } }),
    },
  };
}
