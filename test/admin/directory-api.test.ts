import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, allPages, assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, startServer, type Json, type TestServer } from '../support/scim-client.js';
import { consoleRequest, secretOf, signIn } from '../console/console-client.js';
import { newTenant, patchOp, type Admin, type PolicyTenant } from '../policy/policy-client.js';

for (const engine of testEngines()) {
  describe(`directory read API (${engine.name})`, () => {
    let server: TestServer;
    let admin: Admin;
    let tenant: PolicyTenant;
    const ids: Record<string, string> = {};

    before(async () => {
      server = await startServer(engine);
      admin = await adminClient(server);
      tenant = await newTenant(server, admin, 'Directory');
      ids.ada = await tenant.createUser('ada@example.com', {
        externalId: 'ext-ada',
        title: 'Engineer',
        phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
        addresses: [{ type: 'work', locality: 'London', country: 'GB' }],
        preferredLanguage: 'en-GB',
        locale: 'en-GB',
        timezone: 'Europe/London',
        password: 'never-returned',
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        [ENTERPRISE]: { department: 'R&D', employeeNumber: '42' },
      });
      ids.bob = await tenant.createUser('bob@example.com', { name: { givenName: 'Bob', familyName: 'Builder' } });
      ids.cyd = await tenant.createUser('cyd@example.com', { name: { givenName: 'Cyd', familyName: 'Charisse' } });
      ids.eng = await tenant.createGroup('Engineering', [ids.ada, ids.bob]);
      ids.all = await tenant.createGroup('Everyone', [ids.eng, ids.cyd]);
      const manual = await tenant.api('POST', '/members', { userName: 'owner@example.com', email: 'owner@example.com', creator: true });
      assert.equal(manual.status, 201, JSON.stringify(manual.body));
      ids.owner = String(manual.body.userId);
    });
    after(() => server.close());

    it('returns a member with its whole SCIM profile, first and last name, and direct groups', async () => {
      const member = await tenant.member(ids.ada ?? '');
      assert.equal(member.userName, 'ada@example.com');
      assert.equal(member.email, 'ada@example.com');
      assert.equal(member.firstName, 'Ada');
      assert.equal(member.lastName, 'Lovelace');
      const profile = member.profile as Json;
      assert.equal(profile.id, ids.ada);
      assert.equal(profile.externalId, 'ext-ada');
      assert.equal(profile.title, 'Engineer');
      assert.equal(profile.timezone, 'Europe/London');
      assert.deepEqual(profile.phoneNumbers, [{ value: '+1 555 0100', type: 'work' }]);
      assert.deepEqual(profile[ENTERPRISE], { department: 'R&D', employeeNumber: '42' });
      assert.equal('password' in profile, false, 'the password is never stored nor returned');
      assert.equal((profile.meta as Json).version, 1);
      assert.deepEqual(member.groups, [{ id: ids.eng, displayName: 'Engineering' }], 'direct groups only: not Everyone, reached through Engineering');
    });

    it('shows a member made by hand without a profile', async () => {
      const member = await tenant.member(ids.owner ?? '');
      assert.equal(member.profile, null);
      assert.equal(member.firstName, null);
      assert.deepEqual(member.groups, []);
    });

    it('answers 404 with the management error body for an unknown member or group', async () => {
      assertApiError(await tenant.api('GET', '/members/nope'), 'NOT_FOUND');
      assertApiError(await tenant.api('GET', '/groups/nope'), 'NOT_FOUND');
      assertApiError(await tenant.api('GET', '/groups/nope/members'), 'NOT_FOUND');
    });

    it('filters members by group, userName, email, source and text, and keeps seats', async () => {
      const byGroup = await tenant.api('GET', `/members?group=${ids.eng}`);
      assert.deepEqual((byGroup.body.members as Json[]).map((m) => m.userName).sort(), ['ada@example.com', 'bob@example.com']);
      assert.equal(typeof (byGroup.body.seats as Json).used, 'number');
      assert.deepEqual((await tenant.members('?userName=BOB@example.com')).map((m) => m.userId), [ids.bob]);
      assert.deepEqual((await tenant.members('?email=cyd@EXAMPLE.com')).map((m) => m.userId), [ids.cyd]);
      assert.deepEqual((await tenant.members('?source=manual')).map((m) => m.userId), [ids.owner]);
      assert.equal((await tenant.members('?source=scim')).length, 3);
      assert.deepEqual((await tenant.members('?q=charis')).map((m) => m.userId), [ids.cyd], 'search reaches the family name');
      assert.deepEqual((await tenant.members('?q=BOB')).map((m) => m.userId), [ids.bob]);
    });

    it('filters by updatedSince: a profile change, and a change of direct groups, count', async () => {
      const since = new Date(Date.now() + 1).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(await tenant.members(`?updatedSince=${since}`), []);
      const patched = await tenant.scim('PATCH', `/Users/${ids.cyd}`, patchOp([{ op: 'replace', path: 'title', value: 'Dancer' }]));
      assert.equal(patched.status, 200, patched.text);
      await tenant.removeFromGroup(ids.eng ?? '', [ids.bob ?? '']);
      const changed = await tenant.members(`?updatedSince=${since}`);
      await tenant.addToGroup(ids.eng ?? '', [ids.bob ?? '']);
      assert.deepEqual(changed.map((m) => m.userId).sort(), [ids.bob, ids.cyd].sort());
      assertApiError(await tenant.api('GET', '/members?updatedSince=yesterday'), 'VALIDATION_FAILED');
    });

    it('filters by updatedSince: a deleted group counts as a change of its members\' direct groups', async () => {
      const pair = await tenant.createGroup('Short-lived', [ids.ada ?? '', ids.cyd ?? '']);
      const since = new Date(Date.now() + 1).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(await tenant.members(`?updatedSince=${since}`), []);
      const deleted = await tenant.scim('DELETE', `/Groups/${pair}`);
      assert.equal(deleted.status, 204, deleted.text);
      // The group.deleted event implies every removal: no group.member_removed names them.
      const changed = await tenant.members(`?updatedSince=${since}`);
      assert.deepEqual(changed.map((m) => m.userId).sort(), [ids.ada, ids.cyd].sort());
    });

    it('pages members to the end under every sort, in order, each row once', async () => {
      for (const sort of ['userId', '-userId', 'userName', '-userName', 'createdAt', '-updatedAt']) {
        const { items } = await allPages(tenant.api, `/members?limit=1&sort=${sort}`, 'members');
        assert.equal(items.length, 4, sort);
        const key = sort.replace('-', '') as 'userId' | 'userName' | 'createdAt' | 'updatedAt';
        const values = items.map((m) => [String(m[key]).toLowerCase(), String(m.userId)] as const);
        const sorted = [...values].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
        assert.deepEqual(values, sort.startsWith('-') ? sorted.reverse() : sorted, sort);
      }
      assertApiError(await tenant.api('GET', '/members?sort=title'), 'VALIDATION_FAILED');
      assertApiError(await tenant.api('GET', '/members?sort=userName&after=not-a-cursor'), 'INVALID');
    });

    it('lists groups by cursor with member counts and what they give, and the older offset still works', async () => {
      const { items } = await allPages(tenant.api, '/groups?limit=1', 'groups');
      assert.deepEqual(items.map((g) => [g.displayName, g.memberCount]).sort(), [['Engineering', 2], ['Everyone', 2]]);
      assert.equal(items[0]?.role, null);
      assert.equal(((items[0]?.profile as Json).meta as Json).version !== undefined, true);
      const second = await tenant.api('GET', '/groups?offset=1&limit=1');
      assert.equal(second.body.total, 2);
      assert.deepEqual((second.body.groups as Json[]).map((g) => g.id), [items[1]?.id]);
      assert.deepEqual(items.map((g) => g.displayName), ['Engineering', 'Everyone'], 'in creation order, as before');
      assertApiError(await tenant.api('GET', '/groups?after=not-a-cursor'), 'INVALID');
      const one = await tenant.api('GET', `/groups/${ids.all}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.memberCount, 2);
      assert.equal('members' in (one.body.profile as Json), false, 'members are read from their own list');
    });

    it('lists a group\'s direct members, users and nested groups, with type and display', async () => {
      const { items, seq } = await allPages(tenant.api, `/groups/${ids.all}/members?limit=1`, 'members');
      const expected = [
        { id: ids.eng, type: 'Group', display: 'Engineering' },
        { id: ids.cyd, type: 'User', display: 'cyd@example.com' },
      ].sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1));
      assert.deepEqual(items, expected);
      assert.ok(seq > 0);
    });

    it('puts the tenant\'s last event seq on every list', async () => {
      const last = (await server.store.read.events.list(tenant.id, 0, 10_000)).at(-1)?.seq;
      for (const path of ['/members', '/groups', `/groups/${ids.eng}/members`]) {
        const response = await tenant.api('GET', path);
        assert.equal(response.body.seq, last, path);
      }
    });

    it('leaves archived members out when asked (excludeArchived), and keeps them by default', async () => {
      const gone = await tenant.createUser('idp-test-user@example.com');
      assert.equal((await tenant.scim('DELETE', `/Users/${gone}`)).status, 204);
      assert.equal((await tenant.member(gone)).status, 'archived');
      assert.ok((await tenant.members('')).some((m) => m.userId === gone), 'archived members stay in the default list');
      const current = await tenant.members('?excludeArchived=true');
      assert.equal(current.some((m) => m.userId === gone), false);
      assert.equal(current.length, 4);
      assert.deepEqual((await tenant.members('?excludeArchived=true&status=archived')).map((m) => m.userId), [gone], 'an explicit status wins');
      assertApiError(await tenant.api('GET', '/members?excludeArchived=perhaps'), 'VALIDATION_FAILED');
    });

    it('refuses unknown parameters with the management error body', async () => {
      const response = await tenant.api('GET', '/members?colour=red');
      assert.equal(response.status, 400);
      assert.equal(typeof (response.body.error as Json).code, 'string');
    });

    it('lets a setup-link session read its own tenant only', async () => {
      const link = await admin('POST', `/tenants/${tenant.id}/setup-links`, {});
      assert.equal(link.status, 201);
      const login = await signIn(server, { setupToken: secretOf(link.body.url) });
      for (const path of ['members', `members/${ids.ada}`, 'groups', `groups/${ids.eng}`, `groups/${ids.eng}/members`]) {
        assert.equal((await consoleRequest(server, login, 'GET', `/tenants/${tenant.id}/${path}`)).status, 200, path);
        const other = await consoleRequest(server, login, 'GET', `/tenants/${server.tenantId}/${path}`);
        assert.equal(other.status, 404, path);
        assert.equal((other.body.error as Json).code, 'NOT_FOUND');
      }
    });

    it('names each operation and schema in the OpenAPI document', async () => {
      const document = JSON.parse((await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body) as { paths: Record<string, Record<string, Json>> };
      const ids = ['listMembers', 'getMember', 'listGroups', 'getGroup', 'listGroupMembers'];
      const found = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
      for (const id of ids) assert.ok(found.includes(id), id);
      const text = JSON.stringify(document);
      for (const name of ['DirectoryMember', 'DirectoryGroup', 'GroupMember']) assert.ok(text.includes(name), name);
    });
  });
}
