import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Store, StoreSession } from '../../src/store/store.js';
import { adminClient, allPages, type AdminApi } from '../support/admin-client.js';
import { testEngines, type TestEngine } from '../support/engines.js';
import { startServer, type Json, type TestServer } from '../support/scim-client.js';
import { newTenant, patchOp, type PolicyTenant } from '../policy/policy-client.js';

/**
 * The snapshot-then-follow contract (docs/api.md): read `seq` from the first page, list every
 * page, then follow the event feed from `seq`, applying events in order and skipping what the
 * copy holds in a newer version. With SCIM writes running throughout, the copy must end equal
 * to the directory. A position read outside the page's snapshot breaks it (shown below).
 */

interface Copy {
  /** SCIM users by id, as the member list's `profile` and user events show them. */
  readonly users: Map<string, Json>;
  /** Groups by id: their display name and version, and their direct members' ids. */
  readonly groups: Map<string, { displayName: string; version: number; members: Set<string> }>;
}

const versionOf = (resource: Json | undefined): number => Number((resource?.meta as Json | undefined)?.version ?? 0);

/** Lists the whole directory page by page; `seq` is the first page's. */
async function snapshotOf(tenant: PolicyTenant, pageSize: number): Promise<{ copy: Copy; seq: number; memberGroups: Map<string, string[]> }> {
  const members = await allPages(tenant.api, `/members?limit=${pageSize}`, 'members');
  const copy: Copy = { users: new Map(), groups: new Map() };
  const memberGroups = new Map<string, string[]>();
  for (const member of members.items) {
    if (member.profile !== null) copy.users.set(String(member.userId), member.profile as Json);
    memberGroups.set(String(member.userId), (member.groups as Json[]).map((group) => String(group.id)).sort());
  }
  const groups = await allPages(tenant.api, `/groups?limit=${pageSize}`, 'groups');
  for (const group of groups.items) {
    const groupMembers = await allPages(tenant.api, `/groups/${String(group.id)}/members?limit=${pageSize}`, 'members');
    copy.groups.set(String(group.id), { displayName: String(group.displayName), version: versionOf(group.profile as Json), members: new Set(groupMembers.items.map((m) => String(m.id))) });
  }
  return { copy, seq: members.seq, memberGroups };
}

/** Applies one feed event; the copy may already hold a newer state (read by a later page). */
function apply(copy: Copy, event: Json): void {
  const data = event.data as Json;
  const type = String(event.type);
  if (type.startsWith('user.')) {
    const user = data.user as Json;
    const id = String(user.id);
    if (type === 'user.deleted') {
      // A user's deletion takes it out of every group (whether or not removal events follow).
      for (const group of copy.groups.values()) group.members.delete(id);
      if (data.archived === false) return void copy.users.delete(id);
    }
    if (versionOf(copy.users.get(id)) < versionOf(user)) copy.users.set(id, user);
  } else if (type === 'group.created' || type === 'group.updated') {
    const group = data.group as Json;
    const held = copy.groups.get(String(group.id));
    if (held === undefined) copy.groups.set(String(group.id), { displayName: String(group.displayName), version: versionOf(group), members: new Set() });
    else if (held.version < versionOf(group)) Object.assign(held, { displayName: String(group.displayName), version: versionOf(group) });
  } else if (type === 'group.deleted') {
    const id = String((data.group as Json).id);
    copy.groups.delete(id);
    for (const group of copy.groups.values()) group.members.delete(id);
  } else if (type === 'group.member_added' || type === 'group.member_removed') {
    const group = copy.groups.get(String((data.group as Json).id));
    const memberId = String(data.memberId);
    if (type === 'group.member_added') group?.members.add(memberId);
    else group?.members.delete(memberId);
  }
}

async function follow(server: TestServer, admin: AdminApi, tenant: PolicyTenant, copy: Copy, seq: number): Promise<void> {
  let cursor = String(seq);
  for (;;) {
    const page = await admin('GET', `/events?tenant=${tenant.id}&after=${cursor}&limit=50`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    for (const event of page.body.events as Json[]) apply(copy, event);
    cursor = String(page.body.nextCursor);
    if (page.body.hasMore !== true) return;
  }
}

/** What differs between the copy and the directory as it is now (read with nothing writing). */
async function differences(tenant: PolicyTenant, copy: Copy): Promise<string[]> {
  const truth = await snapshotOf(tenant, 1000);
  const found: string[] = [];
  for (const id of new Set([...copy.users.keys(), ...truth.copy.users.keys()])) {
    if (!isDeepStrictEqual(copy.users.get(id), truth.copy.users.get(id))) found.push(`user ${id}: copy v${versionOf(copy.users.get(id))}, store v${versionOf(truth.copy.users.get(id))}`);
  }
  for (const id of new Set([...copy.groups.keys(), ...truth.copy.groups.keys()])) {
    const mine = copy.groups.get(id);
    const theirs = truth.copy.groups.get(id);
    const describe = (group: typeof mine) => (group === undefined ? 'none' : `${group.displayName} [${[...group.members].sort().join(',')}]`);
    if (describe(mine) !== describe(theirs)) found.push(`group ${id}: copy ${describe(mine)}, store ${describe(theirs)}`);
  }
  // Members' `groups` agree with the groups' member lists.
  for (const [userId, groups] of truth.memberGroups) {
    const derived = [...copy.groups].filter(([, group]) => group.members.has(userId)).map(([id]) => id).sort();
    if (derived.join() !== groups.join()) found.push(`member ${userId}: groups ${groups.join()} in the store, ${derived.join()} in the copy`);
  }
  return found;
}

/**
 * `store` seen through a "snapshot" that is no snapshot: reads go to the database one by one,
 * and the position is read after `beforePosition` (a write) has run. Test-only: it is what the
 * follow test must catch. It shares the suite's database (a second one costs a migration), so
 * closing it leaves the store to its owner.
 */
function positionOutsideSnapshot(store: Store, beforePosition: { run?: () => Promise<void> }): TestEngine {
  const snapshot = <T>(work: (session: StoreSession) => Promise<T>): Promise<T> => {
    const lastSeq = async (tenantId: string): Promise<number> => {
      const run = beforePosition.run;
      beforePosition.run = undefined;
      await run?.();
      return store.read.events.lastSeq(tenantId);
    };
    return work({ ...store.read, events: { ...store.read.events, list: store.read.events.list.bind(store.read.events), append: store.read.events.append.bind(store.read.events), feedPosition: store.read.events.feedPosition.bind(store.read.events), lastSeq } });
  };
  const close = (): Promise<void> => Promise.resolve();
  const broken = new Proxy(store, {
    get(target, property) {
      if (property === 'snapshot') return snapshot;
      if (property === 'close') return close;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) satisfies Store;
  return { name: 'position outside the snapshot', open: () => Promise.resolve(broken) };
}

async function seed(tenant: PolicyTenant, users: number): Promise<{ userIds: string[]; groupIds: string[] }> {
  const userIds: string[] = [];
  for (let index = 0; index < users; index += 1) userIds.push(await tenant.createUser(`user${index}@example.com`, { title: 'v0' }));
  const groupIds = [await tenant.createGroup('Red', userIds.slice(0, 4)), await tenant.createGroup('Blue', userIds.slice(3, 8))];
  groupIds.push(await tenant.createGroup('All', [groupIds[0] ?? '', userIds[9] ?? '']));
  return { userIds, groupIds };
}

/** One writer: a fixed mix of SCIM writes over the seeded users and groups. */
async function writer(tenant: PolicyTenant, number: number, userIds: readonly string[], groupIds: readonly string[], operations: number): Promise<void> {
  for (let step = 0; step < operations; step += 1) {
    const user = userIds[(number * 7 + step * 3) % userIds.length] ?? '';
    const group = groupIds[(number + step) % groupIds.length] ?? '';
    let response;
    switch ((number + step) % 5) {
      case 0:
        response = await tenant.scim('PATCH', `/Users/${user}`, patchOp([{ op: 'replace', path: 'title', value: `w${number}-${step}` }]));
        break;
      case 1:
        response = await tenant.scim('PATCH', `/Groups/${group}`, patchOp([{ op: 'add', path: 'members', value: [{ value: user }] }]));
        break;
      case 2:
        response = await tenant.scim('PATCH', `/Groups/${group}`, patchOp([{ op: 'remove', path: `members[value eq "${user}"]` }]));
        break;
      case 3:
        response = await tenant.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `new-${number}-${step}@example.com`, name: { givenName: 'New' } });
        break;
      default:
        response = await tenant.scim('PATCH', `/Users/${user}`, patchOp([{ op: 'replace', path: 'active', value: step % 2 === 0 }]));
    }
    assert.ok(response.status < 300, response.text);
  }
}

for (const engine of testEngines()) {
  describe(`snapshot, then follow the feed (${engine.name})`, () => {
    const hook: { run?: () => Promise<void> } = {};
    let server: TestServer;
    let broken: TestServer;
    let admin: AdminApi;
    let brokenAdmin: AdminApi;

    before(async () => {
      server = await startServer(engine);
      admin = await adminClient(server);
      broken = await startServer(positionOutsideSnapshot(server.store, hook));
      brokenAdmin = await adminClient(broken);
    });
    after(async () => {
      // The broken server's store is the suite's: it closes first, while that store is open.
      await broken.close();
      await server.close();
    });

    it('ends with exactly the directory while SCIM writes run throughout', async () => {
      const tenant = await newTenant(server, admin, 'Follow');
      const { userIds, groupIds } = await seed(tenant, 12);
      const writers = [0, 1, 2].map((number) => writer(tenant, number, userIds, groupIds, 20));
      // The reader lists while the writers write (pages of 2, so many snapshots).
      const snapshot = await snapshotOf(tenant, 2);
      await Promise.all(writers);
      const last = (await admin('GET', `/tenants/${tenant.id}/members?limit=1`)).body.seq;
      assert.ok(Number(last) > snapshot.seq, 'writes came after the first page: the feed has work to do');
      await follow(server, admin, tenant, snapshot.copy, snapshot.seq);
      assert.deepEqual(await differences(tenant, snapshot.copy), []);
    });

    it('fails when the position is read outside the page\'s snapshot', async () => {
      const tenant = await newTenant(broken, brokenAdmin, 'Broken');
      const { userIds } = await seed(tenant, 12);
      const first = [...userIds].sort()[0] ?? '';
      // A write lands between the first page and the position read after it: the page does not
      // show it, and following from that position skips it.
      hook.run = async () => {
        const response = await tenant.scim('PATCH', `/Users/${first}`, patchOp([{ op: 'replace', path: 'title', value: 'unseen' }]));
        assert.equal(response.status, 200, response.text);
      };
      const snapshot = await snapshotOf(tenant, 2);
      await follow(broken, brokenAdmin, tenant, snapshot.copy, snapshot.seq);
      const found = await differences(tenant, snapshot.copy);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0] ?? '', new RegExp(`^user ${first}: copy v1, store v2`));
    });
  });
}
