import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { type Json } from '../support/scim-client.js';
import { policyServer, patchOp, setActive, type PolicyTenant } from '../policy/policy-client.js';

/**
 * The events that say what happened to members and memberships, whoever made the change
 * (docs/events.md): their payloads, one event per actual change, none when nothing changed.
 */

interface FeedEvent {
  readonly type: string;
  readonly resource: { readonly type: string; readonly id: string };
  readonly data: Json;
}

for (const engine of testEngines()) {
  describe(`member and membership events (${engine.name})`, () => {
    const policy = policyServer(engine);

    /** Runs `change` and returns the tenant's events it wrote. */
    async function eventsOf(tenant: PolicyTenant, change: () => Promise<unknown>): Promise<FeedEvent[]> {
      const start = await policy.server.store.read.events.lastSeq(tenant.id);
      await change();
      const page = await policy.admin('GET', `/events?tenant=${tenant.id}&after=${start}&limit=1000`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      return (page.body.events as FeedEvent[]).map(({ type, resource, data }) => ({ type, resource, data }));
    }

    const without = (data: Json, ...keys: string[]): Json => Object.fromEntries(Object.entries(data).filter(([key]) => !['schemaVersion', 'tenantId', ...keys].includes(key)));

    it('membership events name the member by type and userName or displayName', async () => {
      const tenant = await policy.tenant('Names');
      const ada = await tenant.createUser('ada@example.com', { displayName: 'Ada L.' });
      const child = await tenant.createGroup('Child');
      const parent = await tenant.createGroup('Parent');
      const added = await eventsOf(tenant, () => tenant.addToGroup(parent, [ada, child]));
      assert.deepEqual(
        added.map((event) => [event.type, event.resource.id, without(event.data)]),
        [
          ['group.member_added', parent, { group: { id: parent, displayName: 'Parent' }, memberId: ada, memberType: 'User', userName: 'ada@example.com' }],
          ['group.member_added', parent, { group: { id: parent, displayName: 'Parent' }, memberId: child, memberType: 'Group', displayName: 'Child' }],
        ],
      );
      const removed = await eventsOf(tenant, () => tenant.scim('PUT', `/Groups/${parent}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Parent', members: [{ value: child }] }));
      assert.deepEqual(
        removed.map((event) => [event.type, without(event.data)]),
        [['group.member_removed', { group: { id: parent, displayName: 'Parent' }, memberId: ada, memberType: 'User', userName: 'ada@example.com' }]],
      );
    });

    it('reconciliation: one member.status_changed per change of status, none when the status stays', async () => {
      const tenant = await policy.tenant('Statuses');
      const ada = await tenant.createUser('ada@example.com');
      const archived = await eventsOf(tenant, () => tenant.scim('PATCH', `/Users/${ada}`, setActive(false)));
      assert.deepEqual(archived.map((event) => event.type), ['user.archived', 'member.status_changed']);
      assert.deepEqual(without(archived[1]?.data ?? {}), { userName: 'ada@example.com', status: 'archived', previousStatus: 'active' });
      assert.equal(archived[1]?.resource.id, ada);
      const retitled = await eventsOf(tenant, () => tenant.scim('PATCH', `/Users/${ada}`, patchOp([{ op: 'replace', path: 'title', value: 'Dr' }])));
      assert.deepEqual(retitled.map((event) => event.type), ['user.updated'], 'no status event when the status stays');
      const deleted = await eventsOf(tenant, () => tenant.scim('DELETE', `/Users/${ada}`));
      assert.deepEqual(deleted.map((event) => event.type), ['user.deleted'], 'archived already');
    });

    it('seats: a reactivation refused a seat, and a seat given by hand, each change the status once', async () => {
      const tenant = await policy.tenant('Seats');
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      assert.equal((await tenant.scim('PATCH', `/Users/${bob}`, setActive(false))).status, 200);
      await tenant.settings({ seatLimit: 1, seatPolicy: 'createInactive' });
      const refused = await eventsOf(tenant, () => tenant.scim('PATCH', `/Users/${bob}`, setActive(true)));
      const statuses = refused.filter((event) => event.type === 'member.status_changed');
      assert.deepEqual(statuses.map((event) => without(event.data)), [{ userName: 'bob@example.com', status: 'inactive', previousStatus: 'archived' }]);
      assert.equal((await tenant.scim('PATCH', `/Users/${ada}`, setActive(false))).status, 200);
      const given = await eventsOf(tenant, () => tenant.api('PATCH', `/members/${bob}`, { status: 'active' }));
      assert.deepEqual(given.filter((event) => event.type.startsWith('member.')).map((event) => without(event.data)), [{ userName: 'bob@example.com', status: 'active', previousStatus: 'inactive' }]);
    });

    it('a SCIM user\'s member is announced when it is made: with the user, or at sync while sync is off', async () => {
      const tenant = await policy.tenant('Provisioned');
      let ada = '';
      const created = await eventsOf(tenant, async () => {
        ada = await tenant.createUser('ada@example.com');
      });
      assert.deepEqual(created.map((event) => [event.type, event.resource.id]), [['user.created', ada], ['member.provisioned', ada]]);
      assert.deepEqual(without(created[1]?.data ?? {}), { userName: 'ada@example.com', status: 'active', role: 'member', roles: ['member'], accessGroupId: null, managedByScim: false });
      await tenant.settings({ autoSync: false });
      let bob = '';
      const queued = await eventsOf(tenant, async () => {
        bob = await tenant.createUser('bob@example.com', { active: false });
      });
      assert.deepEqual(queued.map((event) => event.type), ['user.created'], 'no member until sync');
      const synced = await eventsOf(tenant, () => tenant.api('POST', '/sync'));
      assert.deepEqual(synced.map((event) => [event.type, event.resource.id, event.data.status]), [['member.provisioned', bob, 'archived']]);
    });

    it('a hand-made member linked to a SCIM user: member.linked with its previous id', async () => {
      const tenant = await policy.tenant('Linking');
      let hand: Awaited<ReturnType<typeof tenant.api>> | undefined;
      const made = await eventsOf(tenant, async () => {
        hand = await tenant.api('POST', '/members', { userName: 'Carol@Example.com' });
      });
      assert.equal(hand?.status, 201, JSON.stringify(hand?.body));
      assert.deepEqual(made.map((event) => [event.type, without(event.data)]), [['member.created', { userName: 'Carol@Example.com', role: 'member', roles: ['member'], status: 'active', creator: false }]]);
      let carol = '';
      const events = await eventsOf(tenant, async () => {
        carol = await tenant.createUser('carol@example.com');
      });
      const linked = events.filter((event) => event.type === 'member.linked');
      assert.deepEqual(linked.map((event) => [event.resource.id, without(event.data)]), [[carol, { userName: 'Carol@Example.com', previousId: String(hand?.body.userId) }]]);
      assert.ok(!events.some((event) => event.type === 'member.status_changed'), 'active before and after');
      assert.equal((await tenant.member(carol)).managedByScim, true);
    });

    it('deletePolicy hard: the member goes with its user (member.deleted)', async () => {
      const tenant = await policy.tenant('Hard');
      await tenant.settings({ deletePolicy: 'hard' });
      const ada = await tenant.createUser('ada@example.com');
      const events = await eventsOf(tenant, () => tenant.scim('DELETE', `/Users/${ada}`));
      assert.deepEqual(events.map((event) => [event.type, event.resource.id]), [['user.deleted', ada], ['member.deleted', ada]]);
      // The hard delete erases the user's personal data from its events, this one included.
      assert.deepEqual(without(events[1]?.data ?? {}), { erased: true });
    });

    it('removing the last role mapping makes SCIM-given roles hand-editable, with member.role_changed', async () => {
      const tenant = await policy.tenant('Mappings');
      const ada = await tenant.createUser('ada@example.com');
      const editors = await tenant.createGroup('Editors', [ada]);
      await tenant.settings({ roleMappings: { [editors]: 'editor' } });
      await tenant.settings({ autoSync: false });
      const events = await eventsOf(tenant, () => tenant.settings({ roleMappings: {} }));
      const roles = events.filter((event) => event.type === 'member.role_changed');
      assert.deepEqual(roles.map((event) => without(event.data)), [
        { userName: 'ada@example.com', role: 'editor', previousRole: 'editor', roles: ['editor'], previousRoles: ['editor'], accessGroupId: null, previousAccessGroupId: null, managedByScim: false, by: 'system' },
      ]);
      assert.equal((await tenant.member(ada)).roleManagedByScim, false);
    });

    it('disabling SCIM and deleting its setup say what they removed, resource by resource', async () => {
      const tenant = await policy.tenant('Teardown');
      const ada = await tenant.createUser('ada@example.com', { externalId: 'e-ada' });
      const bob = await tenant.createUser('bob@example.com');
      const eng = await tenant.createGroup('Eng', [ada, bob]);
      const disabled = await eventsOf(tenant, () => tenant.settings({ scimEnabled: false }));
      assert.deepEqual(
        disabled.map((event) => [event.type, event.resource.id]),
        [['group.deleted', eng], ['user.updated', ada], ['scim.disabled', tenant.id]],
      );
      assert.deepEqual(disabled[1]?.data.changedAttributes, ['externalId']);
      assert.equal((disabled[1]?.data.before as Json).externalId, 'e-ada');
      assert.equal((disabled[1]?.data.user as Json).externalId, undefined);
      assert.deepEqual(without(disabled[2]?.data ?? {}), { tokensDeleted: 1, groupsRemoved: 1, externalIdsCleared: 1, pendingDiscarded: 0, creatorPromoted: false, setupDeleted: false });

      await tenant.settings({ scimEnabled: true });
      await tenant.newToken();
      for (const id of [ada, bob]) assert.equal((await tenant.scim('PATCH', `/Users/${id}`, setActive(false))).status, 200);
      const deleted = await eventsOf(tenant, () => tenant.api('DELETE', '/scim'));
      const [first, second] = [ada, bob].sort();
      assert.deepEqual(
        deleted.map((event) => [event.type, event.resource.id, event.type === 'user.deleted' ? event.data.archived : null]),
        [
          ['user.deleted', first, false],
          ['user.deleted', second, false],
          ['member.unlinked', first, null],
          ['member.unlinked', second, null],
          ['scim.disabled', tenant.id, null],
        ],
      );
      assert.deepEqual(without(deleted.find((event) => event.resource.id === ada && event.type === 'member.unlinked')?.data ?? {}), { userName: 'ada@example.com' });
      assert.equal(deleted.at(-1)?.data.usersDeleted, 2);
    });
  });
}
