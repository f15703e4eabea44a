import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, assertScimError, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...operations: Json[]): Json => ({ schemas: [PATCH_OP], Operations: operations });

for (const engine of testEngines()) {
  describe(`PATCH on ${engine.name}`, () => {
    let server: TestServer;
    let counter = 0;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const newUser = async (extra: Json = {}): Promise<string> => {
      counter += 1;
      const response = await server.request('POST', '/Users', userBody(`patch${counter}@example.com`, extra));
      assert.equal(response.status, 201, response.text);
      return String(response.body.id);
    };
    const newGroup = async (members: string[] = []): Promise<string> => {
      counter += 1;
      const response = await server.request('POST', '/Groups', { displayName: `G${counter}`, members: members.map((value) => ({ value })) });
      assert.equal(response.status, 201, response.text);
      return String(response.body.id);
    };
    const membershipIds = async (groupId: string): Promise<string[]> => {
      const response = await server.request('GET', `/Groups/${groupId}`);
      return ((response.body.members as Json[] | undefined) ?? []).map((member) => String(member.value)).sort();
    };

    it('answers a user PATCH with 200, the updated resource and the new ETag', async () => {
      const id = await newUser();
      const response = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'Countess' }));
      assert.equal(response.status, 200);
      assert.equal(response.body.title, 'Countess');
      assert.equal(response.headers.etag, 'W/"2"');
      assert.equal((response.body.meta as Json).version, 'W/"2"');
    });

    it('honours attributes on a PATCH response', async () => {
      const id = await newUser();
      const response = await server.request('PATCH', `/Users/${id}?attributes=title`, patch({ op: 'add', path: 'title', value: 'Dr' }));
      assert.deepEqual(Object.keys(response.body).sort(), ['id', 'meta', 'schemas', 'title']);
    });

    it('keeps version and lastModified when a PATCH changes nothing', async () => {
      const id = await newUser({ title: 'Same' });
      const before = await server.request('GET', `/Users/${id}`);
      const response = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'Same' }));
      assert.equal(response.status, 200);
      assert.deepEqual(response.body.meta, before.body.meta);
    });

    it('answers 412 to a stale If-Match and applies a matching one', async () => {
      const id = await newUser();
      assertScimError(await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'x' }), { 'if-match': 'W/"9"' }), 412);
      const ok = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'x' }), { 'if-match': 'W/"1"' });
      assert.equal(ok.status, 200);
    });

    it('applies all operations or none, checked on the stored row', async () => {
      const id = await newUser({ title: 'Before' });
      const stored = await server.store.read.users.get(server.tenantId, id);
      const response = await server.request(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'displayName', value: 'New' }, { op: 'replace', path: 'nosuchattribute.x', value: 1 }),
      );
      assertScimError(response, 400, 'invalidPath');
      assert.match(String(response.body.detail), /^Operations\[2\]/);
      assert.deepEqual(await server.store.read.users.get(server.tenantId, id), stored);
    });

    it('returns 400 noTarget, mutability and invalidValue with the operation index', async () => {
      const id = await newUser();
      const noTarget = await server.request('PATCH', `/Users/${id}`, patch({ op: 'remove' }));
      assertScimError(noTarget, 400, 'noTarget');
      const mutability = await server.request('PATCH', `/Users/${id}`, patch({ op: 'add', path: 'title', value: 'ok' }, { op: 'remove', path: 'userName' }));
      assertScimError(mutability, 400, 'mutability');
      assert.match(String(mutability.body.detail), /^Operations\[1\]/);
      const readOnly = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'id', value: 'x' }));
      assertScimError(readOnly, 400, 'mutability');
      const invalid = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'active', value: 'perhaps' }));
      assertScimError(invalid, 400, 'invalidValue');
      const noTargetFilter = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'emails[value co "zzz"].type', value: 'home' }));
      assertScimError(noTargetFilter, 400, 'noTarget');
    });

    it('returns 400 invalidSyntax for a body that is not a PatchOp', async () => {
      const id = await newUser();
      assertScimError(await server.request('PATCH', `/Users/${id}`, { Operations: [] }), 400, 'invalidSyntax');
      assertScimError(await server.request('PATCH', `/Users/${id}`, '[]'), 400, 'invalidSyntax');
    });

    it('returns 404 when PATCHing an unknown resource', async () => {
      assertScimError(await server.request('PATCH', '/Users/nope', patch({ op: 'replace', path: 'title', value: 'x' })), 404);
      assertScimError(await server.request('PATCH', '/Groups/nope', patch({ op: 'replace', path: 'displayName', value: 'x' })), 404);
    });

    it('returns 409 uniqueness when a PATCH takes another user\'s userName', async () => {
      await newUser();
      const taken = `patch${counter}@example.com`;
      const id = await newUser();
      assertScimError(await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'userName', value: taken.toUpperCase() })), 409, 'uniqueness');
    });

    it('archives with active=false and reactivates with active=true, with events', async () => {
      const id = await newUser();
      const off = await server.request('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
      assert.equal(off.body.active, false);
      const on = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: true } }));
      assert.equal(on.body.active, true);
      const types = (await server.store.read.events.list(server.tenantId, 0, 1000)).filter((event) => event.resourceId === id).map((event) => event.type);
      // Each user event, then what it did to the user's member.
      assert.deepEqual(types, ['user.created', 'member.provisioned', 'user.archived', 'member.status_changed', 'user.reactivated', 'member.status_changed']);
    });

    it('patches enterprise attributes by URN path and in a URN-keyed object', async () => {
      const id = await newUser();
      await server.request('PATCH', `/Users/${id}`, patch({ op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '1042' }));
      const response = await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { [ENTERPRISE]: { department: 'R&D' }, 'name.givenName': 'Grace' } }));
      assert.deepEqual(response.body[ENTERPRISE], { employeeNumber: '1042', department: 'R&D' });
      assert.equal((response.body.name as Json).givenName, 'Grace');
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
    });

    it('answers a group PATCH with 204 and its ETag, or 200 when attributes are asked for', async () => {
      const user = await newUser();
      const group = await newGroup();
      const response = await server.request('PATCH', `/Groups/${group}`, patch({ op: 'add', path: 'members', value: [{ value: user }] }));
      assert.equal(response.status, 204);
      assert.equal(response.text, '');
      assert.equal(response.headers.etag, 'W/"2"');
      const withBody = await server.request('PATCH', `/Groups/${group}?excludedAttributes=members`, patch({ op: 'replace', path: 'displayName', value: 'Renamed' }));
      assert.equal(withBody.status, 200);
      assert.equal(withBody.body.displayName, 'Renamed');
      assert.equal(withBody.body.members, undefined);
    });

    it('adds and removes members in both removal forms, idempotently', async () => {
      const [a, b, c] = [await newUser(), await newUser(), await newUser()];
      const group = await newGroup([a]);
      await server.request('PATCH', `/Groups/${group}`, patch({ op: 'Add', path: 'members', value: [{ value: b }, { value: c }, { value: a }] }));
      assert.deepEqual(await membershipIds(group), [a, b, c].sort());
      await server.request('PATCH', `/Groups/${group}`, patch({ op: 'Remove', path: 'members', value: [{ value: a }] }));
      await server.request('PATCH', `/Groups/${group}`, patch({ op: 'remove', path: `members[value eq "${b}"]` }));
      assert.deepEqual(await membershipIds(group), [c]);
      const again = await server.request('PATCH', `/Groups/${group}`, patch({ op: 'remove', path: `members[value eq "${b}"]` }));
      assert.equal(again.status, 204, 'removing a non-member succeeds');
      const types = (await server.store.read.events.list(server.tenantId, 0, 10_000)).filter((event) => event.resourceId === group).map((event) => event.type);
      assert.deepEqual(types, ['group.created', 'group.member_added', 'group.member_added', 'group.member_added', 'group.member_removed', 'group.member_removed']);
    });

    it('replaces members with exactly the listed set and removes all with a bare remove', async () => {
      const [a, b, c] = [await newUser(), await newUser(), await newUser()];
      const group = await newGroup([a, b]);
      await server.request('PATCH', `/Groups/${group}`, patch({ op: 'replace', path: 'members', value: [{ value: b }, { value: c }] }));
      assert.deepEqual(await membershipIds(group), [b, c].sort());
      await server.request('PATCH', `/Groups/${group}`, patch({ op: 'remove', path: 'members' }));
      assert.deepEqual(await membershipIds(group), []);
    });

    it('removes members selected by a filter other than value eq', async () => {
      const user = await newUser();
      const inner = await newGroup();
      const group = await newGroup([user, inner]);
      await server.request('PATCH', `/Groups/${group}`, patch({ op: 'remove', path: 'members[type eq "Group"]' }));
      assert.deepEqual(await membershipIds(group), [user]);
    });

    it('refuses unknown member ids without applying any part of the request', async () => {
      const user = await newUser();
      const group = await newGroup();
      const response = await server.request(
        'PATCH',
        `/Groups/${group}`,
        patch({ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'add', path: 'members', value: [{ value: user }, { value: 'ghost' }] }),
      );
      assertScimError(response, 400, 'invalidValue');
      assert.match(String(response.body.detail), /ghost/);
      const read = await server.request('GET', `/Groups/${group}`);
      assert.equal(read.body.displayName, `G${counter}`);
      assert.equal(read.body.members, undefined);
      assert.equal((read.body.meta as Json).version, 'W/"1"');
    });

    it('refuses a cycle of nested groups', async () => {
      const top = await newGroup();
      const middle = await newGroup([top]);
      const bottom = await newGroup([middle]);
      const response = await server.request('PATCH', `/Groups/${top}`, patch({ op: 'add', path: 'members', value: [{ value: bottom, type: 'Group' }] }));
      assertScimError(response, 400, 'invalidValue');
      assert.match(String(response.body.detail), /cycle/);
    });

    it('keeps a user\'s groups attribute right after every membership change', async () => {
      const user = await newUser();
      const one = await newGroup();
      const two = await newGroup();
      const groupsOf = async (): Promise<string[]> => (((await server.request('GET', `/Users/${user}`)).body.groups as Json[] | undefined) ?? []).map((g) => String(g.value)).sort();
      await server.request('PATCH', `/Groups/${one}`, patch({ op: 'add', path: 'members', value: [{ value: user }] }));
      await server.request('PATCH', `/Groups/${two}`, patch({ op: 'add', path: 'members', value: [{ value: user }] }));
      assert.deepEqual(await groupsOf(), [one, two].sort());
      await server.request('PATCH', `/Groups/${one}`, patch({ op: 'remove', path: `members[value eq "${user}"]` }));
      assert.deepEqual(await groupsOf(), [two]);
      await server.request('DELETE', `/Groups/${two}`);
      assert.deepEqual(await groupsOf(), []);
    });
  });
}
