import { HttpConnection, type HttpRequest } from './http-connection.js';
import { personOf } from './people.js';
import { PAGE } from './scenarios-read.js';
import type { ScimTarget } from './scenario.js';

/** A way a server's answer to a measured request differs from what the scenario asks for. */
export interface AnswerDeviation {
  readonly scenario: string;
  readonly note: string;
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;

function objectOf(body: string | undefined): Json | undefined {
  try {
    const value: unknown = JSON.parse(body ?? '');
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends one request of each comparable scenario to `target` and checks the answer's content,
 * which the load itself does not read (it counts any 2xx as served): GET by id returns that
 * user, the userName filter finds exactly the user, a page of 100 holds 100 users and the
 * tenant's total, the group read without members has none, and a PATCH of the title is
 * visible on the next GET. A server can answer 2xx and still do less than asked; the report
 * says so beside its figures.
 */
export async function checkAnswers(target: ScimTarget): Promise<AnswerDeviation[]> {
  const server = target.servers[0];
  if (server === undefined || target.users < 4) return [];
  const deviations: AnswerDeviation[] = [];
  const connection = await HttpConnection.open(server.host, server.port, target.headers);
  const get = async (scenario: string, request: HttpRequest): Promise<Json | undefined> => {
    const response = await connection.send(request, true);
    if (response.status >= 200 && response.status < 300) return objectOf(response.body) ?? {};
    deviations.push({ scenario, note: `${request.method} answered ${response.status}: ${(response.body ?? '').slice(0, 200)}` });
    return undefined;
  };
  try {
    const [first, second, third] = target.userIds;
    const user = await get('user-by-id', { method: 'GET', path: `${target.base}/Users/${first ?? ''}` });
    if (user !== undefined && (user.id !== first || user.userName !== personOf(0).userName)) deviations.push({ scenario: 'user-by-id', note: `GET /Users/{id} returned id ${String(user.id)}, userName ${String(user.userName)}` });

    const filter = encodeURIComponent(`userName eq "${personOf(1).userName}"`);
    const found = await get('filter-username', { method: 'GET', path: `${target.base}/Users?filter=${filter}` });
    const resources = found?.Resources;
    if (found !== undefined && (found.totalResults !== 1 || !Array.isArray(resources) || resources.length !== 1 || (resources[0] as Json).id !== second)) {
      deviations.push({ scenario: 'filter-username', note: `the userName filter found totalResults ${String(found.totalResults)}, ${Array.isArray(resources) ? resources.length : 'no'} resources` });
    }

    const page = await get('list-page', { method: 'GET', path: `${target.base}/Users?startIndex=1&count=${PAGE}` });
    const listed = page?.Resources;
    const expected = Math.min(PAGE, target.users);
    if (page !== undefined && (!Array.isArray(listed) || listed.length !== expected || typeof page.totalResults !== 'number' || page.totalResults < target.users)) {
      deviations.push({ scenario: 'list-page', note: `count=${PAGE} returned ${Array.isArray(listed) ? listed.length : 'no'} resources and totalResults ${String(page.totalResults)} (the server holds at least ${target.users.toLocaleString('en-US')} users)` });
    }

    const group = target.groups.small;
    if (group !== undefined) {
      const read = await get('group-get-excluded-small', { method: 'GET', path: `${target.base}/Groups/${group.id}?excludedAttributes=members` });
      if (read !== undefined && 'members' in read) deviations.push({ scenario: 'group-get-excluded-small', note: `excludedAttributes=members is ignored: the answer has members (${Array.isArray(read.members) ? read.members.length : String(read.members)})` });
    }

    const title = `Checked ${Date.now().toString(36)}`;
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: title }] };
    const patched = await get('user-patch', { method: 'PATCH', path: `${target.base}/Users/${third ?? ''}`, body: JSON.stringify(patch) });
    if (patched !== undefined) {
      const after = await get('user-patch', { method: 'GET', path: `${target.base}/Users/${third ?? ''}` });
      if (after !== undefined && after.title !== title) deviations.push({ scenario: 'user-patch', note: `after PATCH "Replace" of title, GET shows title ${JSON.stringify(after.title)}` });
    }
  } finally {
    connection.close();
  }
  return deviations;
}
