import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { allPages, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { type Json } from '../support/scim-client.js';
import { policyServer, setActive, type PolicyTenant } from '../policy/policy-client.js';

/**
 * A copy of the directory's members and groups, made from the read API once and then kept up
 * to date from the event feed alone (docs/events.md, "Which events change what the read API
 * shows"), must equal the read API after a hand-made member is linked, after reconciliation
 * and mapping changes move statuses and roles, after SCIM is disabled, and after the SCIM
 * setup is deleted. Each phase also checks that a copy blind to the events it needs ends
 * wrong, so the comparison can fail.
 */

interface MemberCopy {
  userName: string;
  status: string;
  role: string;
  accessGroupId: string | null;
  managedByScim: boolean;
  roleManagedByScim: boolean;
}

interface Copy {
  readonly members: Map<string, MemberCopy>;
  /** SCIM users (the members' `profile`) by id. */
  readonly users: Map<string, Json>;
  readonly groups: Map<string, { displayName: string; members: Set<string> }>;
}

const MEMBER_FIELDS = ['userName', 'status', 'role', 'accessGroupId', 'managedByScim', 'roleManagedByScim'] as const;

/** The whole directory as the read API shows it now, with the feed position of its first page. */
async function readCopy(tenant: PolicyTenant): Promise<{ copy: Copy; seq: number; memberGroups: Map<string, string[]> }> {
  const listed = await allPages(tenant.api, '/members?limit=100', 'members');
  const copy: Copy = { members: new Map(), users: new Map(), groups: new Map() };
  const memberGroups = new Map<string, string[]>();
  for (const member of listed.items) {
    const id = String(member.userId);
    copy.members.set(id, Object.fromEntries(MEMBER_FIELDS.map((field) => [field, member[field]])) as unknown as MemberCopy);
    if (member.profile !== null) copy.users.set(id, member.profile as Json);
    memberGroups.set(id, (member.groups as Json[]).map((group) => String(group.id)).sort());
  }
  for (const group of (await allPages(tenant.api, '/groups?limit=100', 'groups')).items) {
    const members = await allPages(tenant.api, `/groups/${String(group.id)}/members?limit=100`, 'members');
    copy.groups.set(String(group.id), { displayName: String(group.displayName), members: new Set(members.items.map((member) => String(member.id))) });
  }
  return { copy, seq: listed.seq, memberGroups };
}

function memberOf(copy: Copy, id: string): MemberCopy {
  const member = copy.members.get(id);
  assert.ok(member !== undefined, `the copy has member ${id}`);
  return member;
}

/** Applies one event to the copy, as docs/events.md says a copy does. */
function apply(copy: Copy, event: Json): void {
  const data = event.data as Json;
  const id = String((event.resource as Json).id);
  switch (event.type) {
    case 'user.created':
    case 'user.restored':
    case 'user.updated':
    case 'user.archived':
    case 'user.reactivated':
    case 'user.deleted': {
      const user = data.user as Json;
      if (event.type === 'user.deleted') for (const group of copy.groups.values()) group.members.delete(id);
      if (event.type === 'user.deleted' && data.archived === false) copy.users.delete(id);
      else copy.users.set(id, user);
      const member = copy.members.get(id);
      if (member !== undefined) member.userName = String(user.userName);
      return;
    }
    case 'member.created':
      copy.members.set(id, { userName: String(data.userName), status: String(data.status), role: String(data.role), accessGroupId: null, managedByScim: false, roleManagedByScim: false });
      return;
    case 'member.provisioned':
      copy.members.set(id, { userName: String(data.userName), status: String(data.status), role: String(data.role), accessGroupId: (data.accessGroupId as string | null) ?? null, managedByScim: true, roleManagedByScim: data.managedByScim === true });
      return;
    case 'member.linked': {
      const linked = memberOf(copy, String(data.previousId));
      copy.members.delete(String(data.previousId));
      copy.members.set(id, { ...linked, managedByScim: true });
      return;
    }
    case 'member.unlinked':
      memberOf(copy, id).managedByScim = false;
      return;
    case 'member.deleted':
      copy.members.delete(id);
      return;
    case 'member.status_changed':
      memberOf(copy, id).status = String(data.status);
      return;
    case 'member.role_changed':
      Object.assign(memberOf(copy, id), { role: String(data.role), accessGroupId: data.accessGroupId ?? null, roleManagedByScim: data.managedByScim === true });
      return;
    case 'group.created':
    case 'group.updated': {
      const group = data.group as Json;
      const held = copy.groups.get(id);
      if (held === undefined) copy.groups.set(id, { displayName: String(group.displayName), members: new Set() });
      else held.displayName = String(group.displayName);
      return;
    }
    case 'group.deleted':
      copy.groups.delete(id);
      for (const group of copy.groups.values()) group.members.delete(id);
      return;
    case 'group.member_added':
      copy.groups.get(id)?.members.add(String(data.memberId));
      return;
    case 'group.member_removed':
      copy.groups.get(id)?.members.delete(String(data.memberId));
      return;
    default:
  }
}

/** Follows the tenant's feed from `seq`, applying the events `keep` lets through; returns where it ended. */
async function follow(admin: AdminApi, tenant: PolicyTenant, copy: Copy, seq: number, keep: (event: Json) => boolean = () => true): Promise<number> {
  let cursor = seq;
  for (;;) {
    const page = await admin('GET', `/events?tenant=${tenant.id}&after=${cursor}&limit=200`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    for (const event of page.body.events as Json[]) if (keep(event)) apply(copy, event);
    cursor = Number(page.body.nextCursor);
    if (page.body.hasMore !== true) return cursor;
  }
}

/** What differs between a copy and the read API now. */
async function differences(tenant: PolicyTenant, copy: Copy): Promise<string[]> {
  const truth = await readCopy(tenant);
  const found: string[] = [];
  for (const id of new Set([...copy.members.keys(), ...truth.copy.members.keys()])) {
    const mine = copy.members.get(id);
    const theirs = truth.copy.members.get(id);
    if (!isDeepStrictEqual(mine, theirs)) found.push(`member ${id}: copy ${JSON.stringify(mine)}, store ${JSON.stringify(theirs)}`);
    if (!isDeepStrictEqual(copy.users.get(id), truth.copy.users.get(id))) found.push(`profile ${id} differs`);
    const derived = [...copy.groups].filter(([, group]) => group.members.has(id)).map(([groupId]) => groupId).sort();
    if (theirs !== undefined && derived.join() !== (truth.memberGroups.get(id) ?? []).join()) found.push(`member ${id}: groups differ`);
  }
  for (const id of new Set([...copy.groups.keys(), ...truth.copy.groups.keys()])) {
    const show = (group: { displayName: string; members: Set<string> } | undefined) => (group === undefined ? 'none' : `${group.displayName} [${[...group.members].sort().join(',')}]`);
    if (show(copy.groups.get(id)) !== show(truth.copy.groups.get(id))) found.push(`group ${id}: copy ${show(copy.groups.get(id))}, store ${show(truth.copy.groups.get(id))}`);
  }
  return found;
}

const type = (event: Json): string => String(event.type);

for (const engine of testEngines()) {
  describe(`a copy kept from the feed alone equals the read API (${engine.name})`, () => {
    const policy = policyServer(engine);

    it('through linking, reconciliation, mapping changes, disabling SCIM and deleting its setup', async () => {
      const tenant = await policy.tenant('Copy', { creator: { userName: 'founder@example.com', role: 'member' } });
      const ada = await tenant.createUser('ada@example.com', { externalId: 'e-ada' });
      const bob = await tenant.createUser('bob@example.com', { externalId: 'e-bob' });
      const admins = await tenant.createGroup('Admins', [ada]);
      const eng = await tenant.createGroup('Eng', [ada, bob]);
      await tenant.createGroup('Parent', [eng]);
      await tenant.settings({ adminGroupId: admins });
      const hand = await tenant.api('POST', '/members', { userName: 'carol@example.com' });
      assert.equal(hand.status, 201, JSON.stringify(hand.body));

      const start = await readCopy(tenant);
      const copy = start.copy;
      // Blind to what the previous version did not say: linking and reconciliation's statuses.
      const blind = (await readCopy(tenant)).copy;
      const oldTypes = (event: Json): boolean => !['member.linked', 'member.status_changed'].includes(type(event));

      // A SCIM user links the hand-made member; reconciliation archives bob; mappings move roles.
      const carol = await tenant.createUser('carol@example.com');
      assert.equal((await tenant.scim('PATCH', `/Users/${bob}`, setActive(false))).status, 200);
      await tenant.settings({ roleMappings: { [eng]: 'editor' }, accessGroupIds: [eng] });
      await tenant.settings({ adminGroupId: null, roleMappings: {} });
      let seq = await follow(policy.admin, tenant, copy, start.seq);
      await follow(policy.admin, tenant, blind, start.seq, oldTypes);
      assert.deepEqual(await differences(tenant, copy), []);
      assert.ok((await differences(tenant, blind)).length > 0, 'without the new events the copy is wrong');
      assert.equal(copy.members.get(carol)?.managedByScim, true);
      assert.equal(copy.members.get(bob)?.status, 'archived');

      // Disabling SCIM: every group goes, externalIds are cleared, SCIM-given roles are released.
      const teardown = await readCopy(tenant);
      await tenant.settings({ scimEnabled: false });
      seq = await follow(policy.admin, tenant, copy, seq);
      await follow(policy.admin, tenant, teardown.copy, teardown.seq, (event) => type(event) === 'scim.disabled');
      assert.deepEqual(await differences(tenant, copy), []);
      assert.ok((await differences(tenant, teardown.copy)).length > 0, 'scim.disabled alone does not bring a copy up to date');
      assert.equal(copy.groups.size, 0);
      assert.equal(copy.users.get(ada)?.externalId, undefined);

      // Deleting the setup (once no provisioned member is active): SCIM users go, members stay, by hand.
      await tenant.settings({ scimEnabled: true });
      await tenant.newToken();
      for (const id of [ada, carol]) assert.equal((await tenant.scim('PATCH', `/Users/${id}`, setActive(false))).status, 200);
      const deletion = await readCopy(tenant);
      assert.equal((await tenant.api('DELETE', '/scim')).status, 204);
      await follow(policy.admin, tenant, copy, seq);
      await follow(policy.admin, tenant, deletion.copy, deletion.seq, (event) => type(event) === 'scim.disabled');
      assert.deepEqual(await differences(tenant, copy), []);
      assert.ok((await differences(tenant, deletion.copy)).length > 0, 'scim.disabled alone does not bring a copy up to date');
      assert.equal(copy.users.size, 0);
      assert.ok([...copy.members.values()].every((member) => !member.managedByScim));
    });
  });
}
