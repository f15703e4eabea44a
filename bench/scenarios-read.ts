import { personOf } from './people.js';
import { rosterTarget, type BenchContext, type Scenario, type ScimTarget } from './scenario.js';

/** Page size of the list scenarios. */
export const PAGE = 100;

function randomIndex(users: number): number {
  return Math.floor(Math.random() * users);
}

/** The hello-world reference route, on its own server process. */
export function helloScenario(context: BenchContext, id: string): Scenario {
  return {
    id,
    title: 'hello-world Fastify route (reference)',
    servers: [context.hello],
    headers: '',
    load: { connections: context.options.connections, next: () => ({ request: { method: 'GET', path: '/hello' } }) },
  };
}

/** GET /Users/{id} of a random seeded user. */
export function userByIdScenario(context: BenchContext, target: ScimTarget = rosterTarget(context)): Scenario {
  const { userIds, users } = target;
  return {
    id: 'user-by-id',
    title: 'GET /Users/{id}',
    servers: target.servers,
    headers: target.headers,
    load: {
      connections: context.options.connections,
      next: () => ({ request: { method: 'GET', path: `${target.base}/Users/${userIds[randomIndex(users)] ?? ''}` } }),
    },
  };
}

/** GET /Users?filter=userName eq "…" of a random seeded user, as IdPs do before every create. */
export function filterUserNameScenario(context: BenchContext, target: ScimTarget = rosterTarget(context), id = 'filter-username'): Scenario {
  const { servers, users } = target;
  return {
    id,
    title: `GET /Users?filter=userName eq "…"${servers.length > 1 ? ` (${servers.length} processes)` : ''}`,
    servers,
    headers: target.headers,
    load: {
      connections: context.options.connections,
      next: () => {
        const filter = encodeURIComponent(`userName eq "${personOf(randomIndex(users)).userName}"`);
        return { request: { method: 'GET', path: `${target.base}/Users?filter=${filter}` } };
      },
    },
  };
}

/** GET /Users?startIndex=<random>&count=100: a page of 100 users anywhere in the tenant. */
export function listPageScenario(context: BenchContext, target: ScimTarget = rosterTarget(context)): Scenario {
  const users = target.users;
  return {
    id: 'list-page',
    title: `GET /Users?startIndex=<random>&count=${PAGE}`,
    servers: target.servers,
    headers: target.headers,
    load: {
      connections: context.options.connections,
      next: () => ({ request: { method: 'GET', path: `${target.base}/Users?startIndex=${1 + randomIndex(Math.max(1, users - PAGE))}&count=${PAGE}` } }),
    },
  };
}

/** Cursor paging (RFC 9865): each connection walks the users 100 at a time by `nextCursor`, from the start. */
export function cursorPageScenario(context: BenchContext): Scenario {
  const cursors: (string | undefined)[] = [];
  return {
    id: 'cursor-page',
    title: `GET /Users?cursor=…&count=${PAGE} (following nextCursor)`,
    servers: context.roster.slice(0, 1),
    load: {
      connections: context.options.connections,
      next: (connection) => ({
        request: { method: 'GET', path: `${context.base}/Users?count=${PAGE}&cursor=${encodeURIComponent(cursors[connection] ?? '')}` },
        keepBody: true,
        after: (response) => {
          const match = response.body === undefined ? null : /"nextCursor"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(response.body);
          cursors[connection] = match?.[1] === undefined ? undefined : (JSON.parse(`"${match[1]}"`) as string);
        },
      }),
    },
  };
}
