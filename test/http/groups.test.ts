import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA, assertScimError, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`/Groups on ${engine.name}`, () => {
    let server: TestServer;
    let ada: string;
    let bob: string;
    before(async () => {
      server = await startServer(engine);
      ada = String((await server.request('POST', '/Users', userBody('ada@example.com', { displayName: 'Ada Lovelace' }))).body.id);
      bob = String((await server.request('POST', '/Users', userBody('bob@example.com'))).body.id);
    });
    after(() => server.close());

    const membershipIds = (body: Json): string[] => ((body.members as Json[] | undefined) ?? []).map((member) => String(member.value)).sort();

    it('creates a group with members and shows them with type, $ref and display', async () => {
      const response = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', externalId: 'g-ext', members: [{ value: ada, display: 'ignored', $ref: null }] });
      assert.equal(response.status, 201);
      assert.equal(response.headers.location, `https://roster.test${server.base}/Groups/${String(response.body.id)}`);
      assert.deepEqual(response.body.members, [
        { value: ada, $ref: `https://roster.test${server.base}/Users/${ada}`, type: 'User', display: 'Ada Lovelace' },
      ]);
      assert.equal(response.body.externalId, 'g-ext');
      assert.equal((response.body.meta as Json).resourceType, 'Group');
    });

    it('creates an empty group the way Okta does, with members: []', async () => {
      const response = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Empty', members: [] });
      assert.equal(response.status, 201);
      assert.equal(response.body.members, undefined);
    });

    it('shows a user\'s groups as the read-only groups attribute', async () => {
      const group = await server.request('POST', '/Groups', { displayName: 'Readers', members: [{ value: bob }] });
      const user = await server.request('GET', `/Users/${bob}`);
      assert.deepEqual(user.body.groups, [{ value: group.body.id, $ref: `https://roster.test${server.base}/Groups/${String(group.body.id)}`, display: 'Readers', type: 'direct' }]);
    });

    it('accepts groups as members', async () => {
      const inner = await server.request('POST', '/Groups', { displayName: 'Inner' });
      const outer = await server.request('POST', '/Groups', { displayName: 'Outer', members: [{ value: inner.body.id, type: 'Group' }] });
      assert.equal(outer.status, 201);
      assert.deepEqual(outer.body.members, [{ value: inner.body.id, $ref: `https://roster.test${server.base}/Groups/${String(inner.body.id)}`, type: 'Group', display: 'Inner' }]);
    });

    it('shows a member\'s current display after the member is renamed', async () => {
      const named = String((await server.request('POST', '/Users', userBody('grace@example.com', { displayName: 'Grace Hopper' }))).body.id);
      const unnamed = String((await server.request('POST', '/Users', userBody('alan@example.com'))).body.id);
      const inner = String((await server.request('POST', '/Groups', { displayName: 'Compilers' })).body.id);
      const outer = String((await server.request('POST', '/Groups', { displayName: 'Pioneers', members: [{ value: named }, { value: unnamed }, { value: inner }] })).body.id);
      const displays = async (): Promise<Record<string, unknown>> => {
        const group = await server.request('GET', `/Groups/${outer}`);
        return Object.fromEntries(((group.body.members as Json[] | undefined) ?? []).map((member) => [String(member.value), member.display]));
      };
      assert.deepEqual(await displays(), { [named]: 'Grace Hopper', [unnamed]: 'alan@example.com', [inner]: 'Compilers' });
      const patch = (operations: Json[]): Json => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations });
      assert.equal((await server.request('PATCH', `/Users/${named}`, patch([{ op: 'replace', path: 'displayName', value: 'Rear Admiral Hopper' }]))).status, 200);
      assert.equal((await server.request('PATCH', `/Users/${unnamed}`, patch([{ op: 'replace', path: 'userName', value: 'turing@example.com' }]))).status, 200);
      assert.equal((await server.request('PATCH', `/Groups/${inner}`, patch([{ op: 'replace', path: 'displayName', value: 'Compiler Team' }]))).status, 204);
      assert.deepEqual(await displays(), { [named]: 'Rear Admiral Hopper', [unnamed]: 'turing@example.com', [inner]: 'Compiler Team' });
      // Without displayName a user is shown by userName again.
      assert.equal((await server.request('PATCH', `/Users/${named}`, patch([{ op: 'remove', path: 'displayName' }]))).status, 200);
      assert.equal((await displays())[named], 'grace@example.com');
    });

    it('returns 400 invalidValue naming unknown member ids and creates nothing', async () => {
      const response = await server.request('POST', '/Groups', { displayName: 'Broken', members: [{ value: ada }, { value: 'no-such-user' }] });
      assertScimError(response, 400, 'invalidValue');
      assert.match(String(response.body.detail), /no-such-user/);
      const listed = await server.request('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Broken"')}`);
      assert.equal(listed.body.totalResults, 0);
    });

    it('returns 400 invalidValue for a group without displayName', async () => {
      assertScimError(await server.request('POST', '/Groups', { members: [] }), 400, 'invalidValue');
    });

    it('finds groups by displayName eq, case-insensitively', async () => {
      await server.request('POST', '/Groups', { displayName: 'Sales Team' });
      const response = await server.request('GET', `/Groups?filter=${encodeURIComponent('displayName eq "sales team"')}`);
      assert.equal(response.body.totalResults, 1);
      assert.equal(((response.body.Resources as Json[])[0] as Json).displayName, 'Sales Team');
    });

    it('replaces the members with exactly the listed set on PUT', async () => {
      const group = await server.request('POST', '/Groups', { displayName: 'Swap', members: [{ value: ada }] });
      const id = String(group.body.id);
      const response = await server.request('PUT', `/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'Swapped', members: [{ value: bob }] });
      assert.equal(response.status, 200);
      assert.equal(response.body.displayName, 'Swapped');
      assert.deepEqual(membershipIds(response.body), [bob]);
      assert.equal((response.body.meta as Json).version, 'W/"2"');
    });

    it('keeps the members on a PUT that does not mention them, and empties the group on members: []', async () => {
      const group = await server.request('POST', '/Groups', { displayName: 'Keep', members: [{ value: ada }, { value: bob }] });
      const id = String(group.body.id);
      const renamed = await server.request('PUT', `/Groups/${id}`, { displayName: 'Kept' });
      assert.deepEqual(membershipIds(renamed.body), [ada, bob].sort());
      const emptied = await server.request('PUT', `/Groups/${id}`, { displayName: 'Kept', members: [] });
      assert.deepEqual(membershipIds(emptied.body), []);
    });

    it('refuses a group as its own member', async () => {
      const group = await server.request('POST', '/Groups', { displayName: 'Self' });
      const id = String(group.body.id);
      assertScimError(await server.request('PUT', `/Groups/${id}`, { displayName: 'Self', members: [{ value: id }] }), 400, 'invalidValue');
    });

    it('deletes a group: 204, then 404, and its members lose it from their groups', async () => {
      const group = await server.request('POST', '/Groups', { displayName: 'Doomed', members: [{ value: ada }] });
      const id = String(group.body.id);
      assert.equal((await server.request('DELETE', `/Groups/${id}`)).status, 204);
      assertScimError(await server.request('GET', `/Groups/${id}`), 404);
      const user = await server.request('GET', `/Users/${ada}`);
      assert.ok(!((user.body.groups as Json[] | undefined) ?? []).some((g) => g.value === id));
    });

    it('drops a deleted user from its groups', async () => {
      const carol = String((await server.request('POST', '/Users', userBody('carol@example.com'))).body.id);
      const group = await server.request('POST', '/Groups', { displayName: 'Carol\'s', members: [{ value: carol }, { value: ada }] });
      await server.request('DELETE', `/Users/${carol}`);
      const read = await server.request('GET', `/Groups/${String(group.body.id)}`);
      assert.deepEqual(membershipIds(read.body), [ada]);
    });

    it('writes group and membership events', async () => {
      const tenant = await server.addTenant('Group events');
      const auth = { authorization: `Bearer ${tenant.token}` };
      const user = await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('e@example.com'), auth);
      const group = await server.request('POST', `/scim/v2/${tenant.tenantId}/Groups`, { displayName: 'E', members: [{ value: user.body.id }] }, auth);
      await server.request('PUT', `/scim/v2/${tenant.tenantId}/Groups/${String(group.body.id)}`, { displayName: 'E2', members: [] }, auth);
      await server.request('DELETE', `/scim/v2/${tenant.tenantId}/Groups/${String(group.body.id)}`, undefined, auth);
      const types = (await server.store.read.events.list(tenant.tenantId, 0, 100)).map((event) => event.type).slice(4); // after tenant.created, token.created, user.created, member.provisioned
      assert.deepEqual(types, ['group.created', 'group.member_added', 'group.updated', 'group.member_removed', 'group.deleted']);
    });

    it('returns 404 for unknown groups on GET, PUT and DELETE', async () => {
      assertScimError(await server.request('GET', '/Groups/nope'), 404);
      assertScimError(await server.request('PUT', '/Groups/nope', { displayName: 'x' }), 404);
      assertScimError(await server.request('DELETE', '/Groups/nope'), 404);
    });
  });
}
