import { HttpConnection, type HttpRequest, type HttpResponse } from './http-connection.js';
import type { SeededGroup } from './manifest.js';
import { personOf, userBody } from './people.js';
import type { PeerServer } from './peer-server.js';
import { Progress } from './progress.js';
import { managerIndexOf, SMALL_GROUP_SIZE, smallGroupUserIndexes } from './seed.js';

/** Concurrent connections that POST the peer's users (peers commit each create on its own). */
const SEED_CONNECTIONS = 8;
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SMALL_GROUP_NAME = 'Benchmark Small Team';

/** What seeding a peer produced. */
export interface PeerSeed {
  /** The peer's ids of users 0 … N-1 (user i is `userBody(i)`, as in Roster's seed). */
  readonly userIds: readonly string[];
  /** The 10-member group, when the peer accepted POST /Groups. */
  readonly smallGroup: SeededGroup | undefined;
  readonly seconds: number;
  readonly created: number;
  /** Users the peer already had (409 on POST), whose ids were looked up by userName. */
  readonly existing: number;
  /** Remarks for the report (a group the peer refused, members it does not list, …). */
  readonly notes: readonly string[];
}

function describe(request: HttpRequest, response: HttpResponse): string {
  return `${request.method} ${request.path.slice(0, 160)} answered ${response.status}: ${(response.body ?? '').slice(0, 300)}`;
}

function parsed(body: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function idOf(resource: unknown): string | undefined {
  const id = typeof resource === 'object' && resource !== null ? (resource as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Sends `request` and returns the created (or existing) resource's id, or throws with the peer's answer. */
async function createOrFind(connection: HttpConnection, request: HttpRequest, base: string, endpoint: 'Users' | 'Groups', filter: string): Promise<{ id: string; existed: boolean }> {
  const created = await connection.send(request, true);
  if (created.status === 200 || created.status === 201) {
    const id = idOf(parsed(created.body));
    if (id !== undefined) return { id, existed: false };
  } else if (created.status === 409) {
    // Left from an earlier run against the same peer: reuse it.
    const lookup: HttpRequest = { method: 'GET', path: `${base}/${endpoint}?filter=${encodeURIComponent(filter)}` };
    const found = await connection.send(lookup, true);
    const resources = found.status === 200 ? parsed(found.body).Resources : undefined;
    const id = Array.isArray(resources) ? idOf(resources[0]) : undefined;
    if (id !== undefined) return { id, existed: true };
    throw new Error(`${describe(request, created)}; then ${describe(lookup, found)}`);
  }
  throw new Error(describe(request, created));
}

/** How many members a group's full GET lists (undefined when the read fails). */
async function listedMembers(connection: HttpConnection, base: string, groupId: string): Promise<number | undefined> {
  const response = await connection.send({ method: 'GET', path: `${base}/Groups/${groupId}` }, true);
  if (response.status !== 200 || response.body === undefined) return undefined;
  const members = parsed(response.body).members;
  return Array.isArray(members) ? members.length : 0;
}

async function seedUsers(peer: PeerServer, users: number): Promise<{ ids: string[]; existing: number }> {
  const ids: string[] = new Array<string>(users);
  const progress = new Progress();
  progress.begin(`${peer.name} users over its SCIM API`, users);
  let next = 0;
  let existing = 0;
  const lane = async (): Promise<void> => {
    const connection = await HttpConnection.open(peer.host, peer.port, peer.headers);
    try {
      while (next < users) {
        const index = next;
        next += 1;
        // The manager is named when it was created already (with parallel lanes, all but the first few users).
        const manager = managerIndexOf(index);
        const managerId = manager === undefined ? undefined : ids[manager];
        const body = userBody(index, managerId === undefined ? {} : { managerId });
        const request: HttpRequest = { method: 'POST', path: `${peer.base}/Users`, body: JSON.stringify(body) };
        const result = await createOrFind(connection, request, peer.base, 'Users', `userName eq "${personOf(index).userName}"`);
        ids[index] = result.id;
        if (result.existed) existing += 1;
        progress.advance(1);
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEED_CONNECTIONS, users) }, lane));
  progress.end();
  return { ids, existing };
}

async function seedSmallGroup(peer: PeerServer, ids: readonly string[], notes: string[]): Promise<SeededGroup | undefined> {
  const members = smallGroupUserIndexes(ids.length).filter((index) => index < ids.length).map((index) => ({ value: ids[index] as string }));
  const connection = await HttpConnection.open(peer.host, peer.port, peer.headers);
  try {
    const request: HttpRequest = { method: 'POST', path: `${peer.base}/Groups`, body: JSON.stringify({ schemas: [CORE_GROUP], displayName: SMALL_GROUP_NAME, members }) };
    let id: string;
    try {
      id = (await createOrFind(connection, request, peer.base, 'Groups', `displayName eq "${SMALL_GROUP_NAME}"`)).id;
    } catch (error) {
      notes.push(`group scenarios skipped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const listed = await listedMembers(connection, peer.base, id);
    if (listed !== members.length) notes.push(`its ${members.length}-member group (created with POST /Groups and its members) lists ${listed ?? 'no readable'} members on GET /Groups/{id}`);
    return { id, displayName: SMALL_GROUP_NAME, members: members.length };
  } finally {
    connection.close();
  }
}

/**
 * Seeds a peer through its own SCIM API with the users of Roster's seed (`userBody(0 … N-1)`,
 * POST /Users over 8 connections, progress on stderr) and the 10-member group; users it
 * already has (409) are found by userName, so a peer kept from an earlier run is reused.
 * Throws when the peer refuses a user.
 */
export async function seedPeer(peer: PeerServer, users: number): Promise<PeerSeed> {
  const began = performance.now();
  const { ids, existing } = await seedUsers(peer, users);
  const notes: string[] = [];
  const smallGroup = await seedSmallGroup(peer, ids, notes);
  if (smallGroup !== undefined && smallGroup.members < SMALL_GROUP_SIZE) notes.push(`its small group has ${smallGroup.members} members (fewer users than Roster's seed puts in it)`);
  return { userIds: ids, smallGroup, seconds: (performance.now() - began) / 1000, created: users - existing, existing, notes };
}
